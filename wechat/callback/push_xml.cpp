// The XML side of push_document.h, over expat. Building the tree keeps an explicit stack of
// open elements; a refusal (DOCTYPE, entity declaration, limits) stops the parser at once with
// XML_StopParser, so nothing after it is read.
#include <expat.h>

#include <climits>
#include <memory>
#include <optional>

#include "wechat/callback/push_document.h"

namespace wxb {
namespace {

struct TreeBuilder {
  XML_Parser parser = nullptr;
  std::optional<PushNode> root;
  std::vector<PushNode*> open;  // the path from the root to the element being read
  std::size_t nodes = 0;
  std::string refusal;  // set once: why we stopped the parser

  void refuse(std::string why) {
    if (!refusal.empty()) return;
    refusal = std::move(why);
    XML_StopParser(parser, XML_FALSE);
  }
};

TreeBuilder& builderOf(void* data) { return *static_cast<TreeBuilder*>(data); }

void trim(std::string& text) {
  std::size_t end = text.find_last_not_of(" \t\r\n");
  if (end == std::string::npos) return text.clear();
  text.erase(end + 1);
  text.erase(0, text.find_first_not_of(" \t\r\n"));
}

void XMLCALL onStart(void* data, const XML_Char* name, const XML_Char**) {
  TreeBuilder& b = builderOf(data);
  if (!b.refusal.empty()) return;
  if (++b.nodes > PushNode::kMaxNodes) {
    return b.refuse("more than " + std::to_string(PushNode::kMaxNodes) + " elements");
  }
  if (b.open.size() >= PushNode::kMaxDepth) {
    return b.refuse("elements nested deeper than " + std::to_string(PushNode::kMaxDepth));
  }
  if (b.open.empty()) {
    b.root = PushNode{name, {}, {}};
    b.open.push_back(&*b.root);
    return;
  }
  b.open.back()->children.push_back(PushNode{name, {}, {}});
  b.open.push_back(&b.open.back()->children.back());
}

void XMLCALL onEnd(void* data, const XML_Char*) {
  TreeBuilder& b = builderOf(data);
  if (!b.refusal.empty() || b.open.empty()) return;
  trim(b.open.back()->text);
  b.open.pop_back();
}

void XMLCALL onText(void* data, const XML_Char* text, int length) {
  TreeBuilder& b = builderOf(data);
  if (!b.refusal.empty() || b.open.empty()) return;
  b.open.back()->text.append(text, static_cast<std::size_t>(length));
}

void XMLCALL onDoctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  builderOf(data).refuse("a DOCTYPE is not allowed in a push");
}

void XMLCALL onEntityDecl(void* data, const XML_Char*, int, const XML_Char*, int, const XML_Char*,
                          const XML_Char*, const XML_Char*, const XML_Char*) {
  builderOf(data).refuse("entity declarations are not allowed in a push");
}

int XMLCALL onExternalEntity(XML_Parser, const XML_Char*, const XML_Char*, const XML_Char*,
                             const XML_Char*) {
  return XML_STATUS_ERROR;  // never fetch or read anything an entity points at
}

void configure(XML_Parser parser, TreeBuilder& builder) {
  XML_SetUserData(parser, &builder);
  XML_SetElementHandler(parser, onStart, onEnd);
  XML_SetCharacterDataHandler(parser, onText);
  XML_SetStartDoctypeDeclHandler(parser, onDoctype);
  XML_SetEntityDeclHandler(parser, onEntityDecl);
  XML_SetExternalEntityRefHandler(parser, onExternalEntity);
  XML_SetParamEntityParsing(parser, XML_PARAM_ENTITY_PARSING_NEVER);
}

DocumentError expatError(XML_Parser parser) {
  return DocumentError{"malformed XML: " + std::string(XML_ErrorString(XML_GetErrorCode(parser))) +
                       " at line " + std::to_string(XML_GetCurrentLineNumber(parser)) +
                       ", column " + std::to_string(XML_GetCurrentColumnNumber(parser))};
}

}  // namespace

std::expected<PushNode, DocumentError> parsePushXml(std::string_view text) {
  if (text.size() > INT_MAX) return std::unexpected(DocumentError{"document too large"});
  std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> parser(XML_ParserCreate(nullptr),
                                                                      XML_ParserFree);
  if (!parser) throw std::bad_alloc();
  TreeBuilder builder;
  builder.parser = parser.get();
  configure(parser.get(), builder);
  XML_Status status = XML_Parse(parser.get(), text.data(), static_cast<int>(text.size()), XML_TRUE);
  if (!builder.refusal.empty()) return std::unexpected(DocumentError{builder.refusal});
  if (status != XML_STATUS_OK) return std::unexpected(expatError(parser.get()));
  if (!builder.root) return std::unexpected(DocumentError{"no root element"});
  return std::move(*builder.root);
}

}  // namespace wxb
