// PushNode: an event-push document (WECHAT.md "Event push", "More about the event push") reduced
// to what decodePushEvent reads - named elements with text and children - whether the platform
// sent XML or JSON. One decoder then serves both formats.
//
// XML is parsed with expat, safely: any DOCTYPE is refused (so no DTD, no entity declarations,
// no entity expansion, no external entities: only the five predefined entities and character
// references exist), CDATA and plain text are both character data, attributes and processing
// instructions are ignored. JSON is parsed with nlohmann/json: an object's members become
// children named by their keys; an array under key K becomes one child named K per element
// (so `"List": [{...}, {...}]` reads like repeated <List> elements and `"List": {...}` like one);
// scalars become text (numbers in their JSON spelling, booleans "true"/"false", null "").
// Both refuse nesting deeper than kMaxDepth and more than kMaxNodes elements.
//
// Callers: CallbackEnvelope (the outer document) and decodePushEvent (the event inside).
// Pure functions, thread-safe. Error texts name the problem, never echo the input.
#pragma once

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace wxb {

struct PushNode {
  static constexpr std::size_t kMaxDepth = 8;     // the root counts as depth 1
  static constexpr std::size_t kMaxNodes = 1024;  // elements, the root included

  std::string name;
  std::string text;  // character data with surrounding ASCII whitespace trimmed
  std::vector<PushNode> children;

  // The first child named `childName`, or nullptr.
  const PushNode* child(std::string_view childName) const;
  // How many children are named `childName`.
  std::size_t count(std::string_view childName) const;
};

// A parse failure: what is wrong, in words fit for a 400 body (no input echoed).
struct DocumentError {
  std::string message;
};

enum class DocumentFormat { Xml, Json };

// The root element of an XML document (UTF-8, UTF-16, ISO-8859-1 or US-ASCII as expat knows).
std::expected<PushNode, DocumentError> parsePushXml(std::string_view text);
// The root object of a JSON document, as a node named "json".
std::expected<PushNode, DocumentError> parsePushJson(std::string_view text);
// JSON when the first non-blank character is '{', else XML.
DocumentFormat detectDocumentFormat(std::string_view text);
std::expected<PushNode, DocumentError> parsePushDocument(std::string_view text);

}  // namespace wxb
