// PushNode lookups and the choice between the XML and JSON parsers.
#include "wechat/callback/push_document.h"

#include <algorithm>

namespace wxb {

const PushNode* PushNode::child(std::string_view childName) const {
  auto it = std::find_if(children.begin(), children.end(),
                         [&](const PushNode& node) { return node.name == childName; });
  return it == children.end() ? nullptr : &*it;
}

std::size_t PushNode::count(std::string_view childName) const {
  return static_cast<std::size_t>(
      std::count_if(children.begin(), children.end(),
                    [&](const PushNode& node) { return node.name == childName; }));
}

DocumentFormat detectDocumentFormat(std::string_view text) {
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') return DocumentFormat::Json;
  return DocumentFormat::Xml;
}

std::expected<PushNode, DocumentError> parsePushDocument(std::string_view text) {
  return detectDocumentFormat(text) == DocumentFormat::Json ? parsePushJson(text)
                                                            : parsePushXml(text);
}

}  // namespace wxb
