// decodePushEvent: field rules, the event dispatch and the subscribe-message lists.
#include "wechat/callback/push_event.h"

#include <Poco/String.h>

#include <algorithm>
#include <charconv>

#include "notify/text_fit.h"

namespace wxb {
namespace {

constexpr std::size_t kMaxSceneChars = 64;  // scene_str is 1-64 characters (WECHAT.md)
constexpr std::size_t kMaxShortText = 64;
constexpr std::size_t kMaxTicketBytes = 512;
constexpr std::size_t kMaxTemplateIdChars = 128;

struct BadPushField {
  std::string field;
  std::string message;
};

[[noreturn]] void bad(std::string field, std::string message) {
  throw BadPushField{std::move(field), std::move(message)};
}

// The text of a child that must appear at most once, or nullptr when absent.
const std::string* scalar(const PushNode& node, std::string_view name) {
  if (node.count(name) > 1) bad(std::string(name), "appears more than once");
  const PushNode* child = node.child(name);
  return child ? &child->text : nullptr;
}

// Text without control characters (no line breaks either), at most maxBytes bytes.
std::optional<std::string> optionalText(const PushNode& node, std::string_view name,
                                        std::size_t maxBytes) {
  const std::string* text = scalar(node, name);
  if (!text) return std::nullopt;
  if (text->size() > maxBytes) {
    bad(std::string(name), "is longer than " + std::to_string(maxBytes) + " bytes");
  }
  for (unsigned char c : *text) {
    if (c < 0x20 || c == 0x7F) bad(std::string(name), "contains a control character");
  }
  return *text;
}

std::string requireText(const PushNode& node, std::string_view name, std::size_t maxBytes) {
  auto text = optionalText(node, name, maxBytes);
  if (!text || text->empty()) bad(std::string(name), "is missing");
  return *text;
}

bool isIdChar(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

bool isDigit(unsigned char c) { return c >= '0' && c <= '9'; }

// An id: 1-maxChars characters of [A-Za-z0-9_-] (openids, original ids, template ids).
std::string requireId(const PushNode& node, std::string_view name, std::size_t maxChars = 64) {
  const std::string* text = scalar(node, name);
  if (!text || text->empty()) bad(std::string(name), "is missing");
  if (text->size() > maxChars || !std::all_of(text->begin(), text->end(), isIdChar)) {
    bad(std::string(name),
        "must be 1-" + std::to_string(maxChars) + " characters of [A-Za-z0-9_-]");
  }
  return *text;
}

// A decimal integer of int64 range; negative only when `allowNegative`.
std::optional<int64_t> optionalInteger(const PushNode& node, std::string_view name,
                                       bool allowNegative = false) {
  const std::string* text = scalar(node, name);
  if (!text) return std::nullopt;
  std::string_view digits = *text;
  if (allowNegative && digits.starts_with('-')) digits.remove_prefix(1);
  int64_t value = 0;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), isDigit) ||
      error != std::errc() || end != text->data() + text->size()) {
    bad(std::string(name), "must be a decimal integer");
  }
  return value;
}

int64_t requireInteger(const PushNode& node, std::string_view name, bool allowNegative = false) {
  auto value = optionalInteger(node, name, allowNegative);
  if (!value) bad(std::string(name), "is missing");
  return *value;
}

PushHeader readHeader(const PushNode& root) {
  PushHeader header{requireId(root, "ToUserName"), requireId(root, "FromUserName"),
                    requireInteger(root, "CreateTime"),
                    requireText(root, "MsgType", kMaxShortText)};
  if (header.createTime <= 0) bad("CreateTime", "must be a positive Unix time in seconds");
  return header;
}

std::optional<std::string> readTicket(const PushNode& root) {
  return optionalText(root, "Ticket", kMaxTicketBytes);
}

std::string checkedScene(std::string scene) {
  if (scene.empty()) bad("EventKey", "carries no scene");
  if (countCodePoints(scene) > kMaxSceneChars) {
    bad("EventKey", "carries a scene longer than 64 characters");
  }
  return scene;
}

FollowEvent readFollow(const PushNode& root, const std::optional<std::string>& eventKey) {
  constexpr std::string_view kPrefix = "qrscene_";
  FollowEvent follow{std::nullopt, readTicket(root)};
  if (eventKey && eventKey->starts_with(kPrefix)) {
    follow.scene = checkedScene(eventKey->substr(kPrefix.size()));
  }
  return follow;
}

ScanEvent readScan(const PushNode& root, const std::optional<std::string>& eventKey) {
  return ScanEvent{checkedScene(eventKey.value_or("")), readTicket(root)};
}

TemplateDelivery deliveryOf(const std::string& status) {
  std::string folded;
  for (char c : Poco::toLower(status)) {
    if (c != ' ') folded += c;
  }
  if (folded == "success") return TemplateDelivery::Delivered;
  if (folded == "failed:userblock") return TemplateDelivery::Blocked;
  return TemplateDelivery::Failed;  // "failed: system failed" and anything unforeseen
}

TemplateReceipt readReceipt(const PushNode& root) {
  int64_t msgId = requireInteger(root, root.child("MsgId") ? "MsgId" : "MsgID");
  std::string status = requireText(root, "Status", kMaxShortText);
  return TemplateReceipt{msgId, deliveryOf(status), status};
}

// The <List> entries of a subscribe-message event: inside <wrapper> in XML, at the top level
// (or inside the wrapper too) in JSON.
std::vector<const PushNode*> listEntries(const PushNode& root, const std::string& wrapper) {
  const PushNode* holder = &root;
  if (const PushNode* inner = root.child(wrapper); inner && inner->count("List") > 0) {
    if (root.count(wrapper) > 1) bad(wrapper, "appears more than once");
    holder = inner;
  }
  std::vector<const PushNode*> entries;
  for (const PushNode& node : holder->children) {
    if (node.name == "List") entries.push_back(&node);
  }
  if (entries.empty()) bad(wrapper + ".List", "is missing");
  if (entries.size() > kMaxPushListEntries) {
    bad(wrapper + ".List", "has more than " + std::to_string(kMaxPushListEntries) + " entries");
  }
  return entries;
}

std::string templateIdOf(const PushNode& entry) {
  return requireId(entry, "TemplateId", kMaxTemplateIdChars);
}

SubscribePopupEvent readPopup(const PushNode& root) {
  SubscribePopupEvent popup;
  for (const PushNode* entry : listEntries(root, "SubscribeMsgPopupEvent")) {
    popup.choices.push_back({templateIdOf(*entry),
                             requireText(*entry, "SubscribeStatusString", kMaxShortText),
                             optionalInteger(*entry, "PopupScene")});
  }
  return popup;
}

SubscribeChangeEvent readChange(const PushNode& root) {
  SubscribeChangeEvent change;
  for (const PushNode* entry : listEntries(root, "SubscribeMsgChangeEvent")) {
    change.changes.push_back(
        {templateIdOf(*entry), requireText(*entry, "SubscribeStatusString", kMaxShortText)});
  }
  return change;
}

SubscribeSentEvent readSent(const PushNode& root) {
  SubscribeSentEvent sent;
  for (const PushNode* entry : listEntries(root, "SubscribeMsgSentEvent")) {
    sent.results.push_back({templateIdOf(*entry), requireInteger(*entry, "MsgID"),
                            optionalInteger(*entry, "ErrorCode", true).value_or(0),
                            optionalText(*entry, "ErrorStatus", kMaxTicketBytes).value_or("")});
  }
  return sent;
}

PushBody readEventBody(const PushNode& root, const std::string& event,
                       const std::optional<std::string>& eventKey) {
  std::string name = Poco::toLower(event);
  if (name == "subscribe") return readFollow(root, eventKey);
  if (name == "unsubscribe") return UnfollowEvent{};
  if (name == "scan") return readScan(root, eventKey);
  if (name == "templatesendjobfinish") return readReceipt(root);
  if (name == "subscribe_msg_popup_event") return readPopup(root);
  if (name == "subscribe_msg_change_event") return readChange(root);
  if (name == "subscribe_msg_sent_event") return readSent(root);
  return OtherEvent{};
}

PushEvent decode(const PushNode& root) {
  PushEvent push{readHeader(root), {}, {}, OtherEvent{}};
  if (Poco::toLower(push.header.msgType) != "event") {
    auto msgId = optionalInteger(root, root.child("MsgID") ? "MsgID" : "MsgId");
    push.body = UserMessage{msgId};
    return push;
  }
  push.event = requireText(root, "Event", kMaxShortText);
  push.eventKey = optionalText(root, "EventKey", kMaxEventKeyBytes);
  push.body = readEventBody(root, push.event, push.eventKey);
  return push;
}

}  // namespace

std::expected<PushEvent, PushFieldError> decodePushEvent(const PushNode& root) {
  try {
    return decode(root);
  } catch (const BadPushField& error) {
    return std::unexpected(PushFieldError{error.field, error.message});
  }
}

const char* templateDeliveryName(TemplateDelivery delivery) {
  switch (delivery) {
    case TemplateDelivery::Delivered:
      return "delivered";
    case TemplateDelivery::Blocked:
      return "blocked";
    case TemplateDelivery::Failed:
      return "failed";
  }
  return "failed";
}

}  // namespace wxb
