// The JSON side of push_document.h, over nlohmann/json (its parser and destructor are iterative,
// so a deeply nested body cannot exhaust the stack before the depth check below refuses it).
#include <nlohmann/json.hpp>

#include "wechat/callback/push_document.h"
#include "wechat/strict_json.h"

namespace wxb {
namespace {

struct JsonWalk {
  std::size_t nodes = 0;
  std::string refusal;
};

std::string scalarText(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  return value.dump();  // numbers in their JSON spelling, booleans as true/false
}

bool fill(PushNode& node, const nlohmann::json& value, std::size_t depth, JsonWalk& walk);

// One member: an array becomes one sibling per element, anything else one child.
bool addMember(PushNode& parent, const std::string& key, const nlohmann::json& value,
               std::size_t depth, JsonWalk& walk) {
  const bool array = value.is_array();
  for (std::size_t i = 0; i < (array ? value.size() : 1); ++i) {
    const nlohmann::json& item = array ? value[i] : value;
    if (item.is_array()) {
      walk.refusal = "an array directly inside an array";
      return false;
    }
    parent.children.push_back(PushNode{key, {}, {}});
    if (!fill(parent.children.back(), item, depth + 1, walk)) return false;
  }
  return true;
}

bool fill(PushNode& node, const nlohmann::json& value, std::size_t depth, JsonWalk& walk) {
  if (++walk.nodes > PushNode::kMaxNodes) {
    walk.refusal = "more than " + std::to_string(PushNode::kMaxNodes) + " elements";
    return false;
  }
  if (depth > PushNode::kMaxDepth) {
    walk.refusal = "members nested deeper than " + std::to_string(PushNode::kMaxDepth);
    return false;
  }
  if (!value.is_object()) {
    node.text = scalarText(value);
    return true;
  }
  for (const auto& [key, member] : value.items()) {
    if (!addMember(node, key, member, depth, walk)) return false;
  }
  return true;
}

}  // namespace

std::expected<PushNode, DocumentError> parsePushJson(std::string_view text) {
  // A name given twice is refused (wechat/strict_json.h): XML keeps both and the decoder
  // refuses a repeated field, so JSON is never read differently either.
  auto parsed = parseJsonNoRepeats(text);
  if (!parsed && parsed.error().repeatedName.empty()) {
    return std::unexpected(DocumentError{"malformed JSON"});
  }
  if (!parsed) {
    return std::unexpected(DocumentError{"member " + shownJsonName(parsed.error().repeatedName) +
                                         " appears more than once in one object"});
  }
  const nlohmann::json& root = *parsed;
  if (!root.is_object()) return std::unexpected(DocumentError{"the JSON body is not an object"});
  PushNode node{"json", {}, {}};
  JsonWalk walk;
  if (!fill(node, root, 1, walk)) return std::unexpected(DocumentError{walk.refusal});
  return node;
}

}  // namespace wxb
