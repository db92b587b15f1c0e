#include "notify/subscribe_events.h"

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/SAX/SAXException.h>
#include <Poco/SAX/XMLReader.h>

#include <charconv>
#include <nlohmann/json.hpp>
#include <optional>

#include "notify/subscriptions.h"

namespace wxb {

namespace {

using Json = nlohmann::json;
using Result = std::expected<SubscribeEvent, std::string>;

constexpr std::string_view kEvents[] = {"subscribe_msg_popup_event", "subscribe_msg_change_event",
                                        "subscribe_msg_sent_event"};

std::optional<int64_t> integer(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The field names of one entry: status is SubscribeStatusString, or ErrorStatus when sent.
struct EntryText {
  std::string templateId, status, errorCode, msgId;
};

// Checks what both formats read and turns the texts into an event.
Result assemble(std::string event, std::string openid, std::string_view createTime,
                const std::vector<EntryText>& list) {
  if (!isSubscribeEvent(event)) return std::unexpected("Event: not a subscribe-message event");
  if (openid.size() > 64 || !isValidTemplateId(openid)) {
    return std::unexpected("FromUserName: must be 1-64 characters of A-Z a-z 0-9 _ -");
  }
  auto created = integer(createTime);
  if (!created || *created < 0) return std::unexpected("CreateTime: must be Unix seconds");
  if (list.empty() || list.size() > kMaxSubscribeEventEntries) {
    return std::unexpected("List: must hold 1 to 100 entries");
  }
  SubscribeEvent out{std::move(event), std::move(openid), *created * 1000, {}};
  for (const auto& e : list) {
    if (!isValidTemplateId(e.templateId)) {
      return std::unexpected("List.TemplateId: must be 1-128 characters of A-Z a-z 0-9 _ -");
    }
    auto code = e.errorCode.empty() ? std::optional<int64_t>(0) : integer(e.errorCode);
    auto msgId = e.msgId.empty() ? std::optional<int64_t>(0) : integer(e.msgId);
    if (!code || !msgId) return std::unexpected("List: ErrorCode and MsgID must be integers");
    out.entries.push_back({e.templateId, e.status, *code, *msgId});
  }
  return out;
}

// A JSON member as text: a string as it is, a number as its digits, absent or null as "".
std::string textOf(const Json& object, const char* key) {
  auto found = object.find(key);
  if (found == object.end() || found->is_null()) return "";
  if (found->is_string()) return found->get<std::string>();
  if (found->is_number_integer()) return std::to_string(found->get<int64_t>());
  return "\x01";  // neither: fails every check that reads it
}

EntryText entryOf(const Json& item) {
  std::string status = textOf(item, "SubscribeStatusString");
  if (status.empty()) status = textOf(item, "ErrorStatus");
  return {textOf(item, "TemplateId"), status, textOf(item, "ErrorCode"), textOf(item, "MsgID")};
}

std::string childText(const Poco::XML::Element& parent, const char* name) {
  const Poco::XML::Element* child = parent.getChildElement(name);
  return child ? child->innerText() : "";
}

}  // namespace

bool isSubscribeEvent(std::string_view event) {
  for (std::string_view known : kEvents) {
    if (event == known) return true;
  }
  return false;
}

Result parseSubscribeEventJson(std::string_view body) {
  Json in = Json::parse(body, nullptr, false);
  if (in.is_discarded() || !in.is_object()) return std::unexpected("body: not a JSON object");
  auto list = in.find("List");
  if (list == in.end()) return std::unexpected("List: missing");
  std::vector<EntryText> entries;
  if (list->is_object()) entries.push_back(entryOf(*list));  // a list of one
  if (list->is_array()) {
    for (const auto& item : *list) {
      if (!item.is_object()) return std::unexpected("List: entries must be objects");
      entries.push_back(entryOf(item));
    }
  }
  return assemble(textOf(in, "Event"), textOf(in, "FromUserName"), textOf(in, "CreateTime"),
                  entries);
}

Result parseSubscribeEventXml(std::string_view body) {
  Poco::XML::DOMParser parser;
  parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
  parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
  Poco::AutoPtr<Poco::XML::Document> doc;
  try {
    doc = parser.parseMemory(body.data(), body.size());
  } catch (const Poco::Exception& e) {
    return std::unexpected("body: not XML (" + e.message() + ")");
  }
  const Poco::XML::Element* root = doc->documentElement();
  if (!root || root->nodeName() != "xml") return std::unexpected("body: no <xml> root element");
  const std::string event = childText(*root, "Event");
  std::vector<EntryText> entries;
  for (const char* wrapper :
       {"SubscribeMsgPopupEvent", "SubscribeMsgChangeEvent", "SubscribeMsgSentEvent"}) {
    const Poco::XML::Element* lists = root->getChildElement(wrapper);
    for (auto* node = lists ? lists->firstChild() : nullptr; node; node = node->nextSibling()) {
      auto* item = dynamic_cast<const Poco::XML::Element*>(node);
      if (!item || item->nodeName() != "List") continue;
      std::string status = childText(*item, "SubscribeStatusString");
      if (status.empty()) status = childText(*item, "ErrorStatus");
      entries.push_back({childText(*item, "TemplateId"), status, childText(*item, "ErrorCode"),
                         childText(*item, "MsgID")});
    }
  }
  return assemble(event, childText(*root, "FromUserName"), childText(*root, "CreateTime"), entries);
}

}  // namespace wxb
