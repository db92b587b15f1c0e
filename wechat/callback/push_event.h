// PushEvent: one event push from the platform as a typed value (WECHAT.md "Event push", "More
// about the event push", "Parametric QR codes"), decoded from a PushNode (XML or JSON alike),
// with every field the handlers use validated: ids 1-64 characters of [A-Za-z0-9_-],
// CreateTime and msgids decimal integers, text fields bounded. Unknown elements are ignored;
// unknown events and ordinary user messages (text, image ...) decode to OtherEvent /
// UserMessage so the receiver can answer `success` and count them.
//
// pushDedupKey() is the durable deduplication key: ToUserName + FromUserName + CreateTime +
// Event (MsgType for messages) + what tells two pushes of one second apart - EventKey for
// follow, scan and other events, MsgID for template receipts, MsgId for messages, the entries
// for the subscribe-message events. (WECHAT.md names FromUserName + CreateTime + Event; a
// user's two template receipts in one second differ only in MsgID, so it is part of the key.)
//
// Callers: the callback route (decode, dedup, apply) and the subscribe-message handlers of
// issue #15 (the three list events). Plain values and pure functions: thread-safe.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "wechat/callback/push_document.h"

namespace wxb {

// Fields every push carries.
struct PushHeader {
  std::string toUser;      // ToUserName: the account's original id (gh_...) or appid
  std::string fromUser;    // FromUserName: the user's openid in that app
  int64_t createTime = 0;  // CreateTime, Unix seconds
  std::string msgType;     // MsgType: "event", "text", "image", ...
};

// subscribe: the user followed; a follow by scanning a parametric QR code carries its scene
// (EventKey without its "qrscene_" prefix) and Ticket.
struct FollowEvent {
  std::optional<std::string> scene;
  std::optional<std::string> ticket;
};
// unsubscribe.
struct UnfollowEvent {};
// SCAN: a follower scanned a parametric QR code; EventKey is the scene, unprefixed.
struct ScanEvent {
  std::string scene;
  std::optional<std::string> ticket;
};

// TEMPLATESENDJOBFINISH: the outcome of the template message with this msgid.
enum class TemplateDelivery { Delivered, Blocked, Failed };
const char* templateDeliveryName(TemplateDelivery delivery);  // delivered | blocked | failed
struct TemplateReceipt {
  int64_t msgId = 0;
  TemplateDelivery delivery = TemplateDelivery::Failed;
  std::string status;  // Status as sent: "success", "failed:user block", "failed: system failed"
};

// subscribe_msg_popup_event: the user answered the subscribe popup.
struct SubscribePopupChoice {
  std::string templateId;
  std::string status;                 // SubscribeStatusString: accept | reject
  std::optional<int64_t> popupScene;  // PopupScene
};
struct SubscribePopupEvent {
  std::vector<SubscribePopupChoice> choices;
};
// subscribe_msg_change_event: the user changed the subscription settings.
struct SubscribeSettingChange {
  std::string templateId;
  std::string status;  // SubscribeStatusString: reject (accept accepted too)
};
struct SubscribeChangeEvent {
  std::vector<SubscribeSettingChange> changes;
};
// subscribe_msg_sent_event: a subscribe message was delivered (ErrorCode 0) or not.
struct SubscribeSentResult {
  std::string templateId;
  int64_t msgId = 0;
  int64_t errorCode = 0;
  std::string errorStatus;  // "success" or a "fail:..." reason
};
struct SubscribeSentEvent {
  std::vector<SubscribeSentResult> results;
};

// An ordinary user message (MsgType other than "event"); the bridge ignores its content.
struct UserMessage {
  std::optional<int64_t> msgId;
};
// Any event the bridge does not act on (CLICK, VIEW, LOCATION, MASSSENDJOBFINISH, ...).
struct OtherEvent {};

using PushBody =
    std::variant<FollowEvent, UnfollowEvent, ScanEvent, TemplateReceipt, SubscribePopupEvent,
                 SubscribeChangeEvent, SubscribeSentEvent, UserMessage, OtherEvent>;

struct PushEvent {
  PushHeader header;
  std::string event;                    // Event as sent; empty for user messages
  std::optional<std::string> eventKey;  // EventKey as sent
  PushBody body;
};

// Why a push was refused: the field (e.g. "FromUserName", "List.TemplateId") and the rule.
struct PushFieldError {
  std::string field;
  std::string message;
};

// Limits of the decoder; past them a push is refused, not truncated.
constexpr std::size_t kMaxPushListEntries = 64;
constexpr std::size_t kMaxEventKeyBytes = 256;

// The typed event of a parsed push document (the root element / JSON object).
std::expected<PushEvent, PushFieldError> decodePushEvent(const PushNode& root);

// The durable deduplication key: 64 lowercase hex digits (SHA-256 of the parts above).
std::string pushDedupKey(const PushEvent& push);

// The label for metrics and logs: the canonical event name ("subscribe", "SCAN",
// "TEMPLATESENDJOBFINISH", "subscribe_msg_popup_event", ...), "message" for user messages,
// "other" for events the bridge does not act on.
const char* pushKindName(const PushEvent& push);

}  // namespace wxb
