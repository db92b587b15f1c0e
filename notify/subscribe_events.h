// Subscribe-message events: the platform's own record of the popups a user answered, the
// settings they changed and the subscribe messages it delivered (subscribe_msg_popup_event,
// subscribe_msg_change_event, subscribe_msg_sent_event; WECHAT.md, "More about the event push"),
// read from the decrypted body of a push in either format the mini program's push settings
// allow: XML (repeated <List> elements inside <SubscribeMsgPopupEvent>, <SubscribeMsgChangeEvent>
// or <SubscribeMsgSentEvent>) or JSON ("List" an array, or a bare object when it holds one
// entry; numbers may come as strings). Each entry becomes a ledger answer through eventAnswer()
// (notify/grant_ledger.h); with subscriptions.source = events the popup's accepts add grants.
// Called by the callback receiver for /wechat/callback/mp (issue #13) once it is wired; today
// only by tests. Pure functions: thread-safe.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace wxb {

// The most entries one push may carry; more is refused as malformed.
inline constexpr size_t kMaxSubscribeEventEntries = 100;

struct SubscribeEventEntry {
  std::string templateId;
  std::string status;     // SubscribeStatusString (popup, change) or ErrorStatus (sent)
  int64_t errorCode = 0;  // sent events: ErrorCode, 0 delivered
  int64_t msgId = 0;      // sent events: MsgID
};

struct SubscribeEvent {
  std::string event;         // one of the three event names
  std::string openid;        // FromUserName: the user's openid of the app that was pushed to
  int64_t createTimeMs = 0;  // CreateTime (Unix seconds on the wire), as Unix ms
  std::vector<SubscribeEventEntry> entries;
};

// True for the three subscribe-message event names.
bool isSubscribeEvent(std::string_view event);

// The event in a JSON push body. An error sentence naming the field when the body is not a
// subscribe event or a field is missing or malformed (template id 1-128 of [A-Za-z0-9_-],
// openid 1-64 of [A-Za-z0-9_-], 1 to 100 entries).
std::expected<SubscribeEvent, std::string> parseSubscribeEventJson(std::string_view body);
// The same for an XML push body (Poco's SAX parser; no DTD or external entity is read).
std::expected<SubscribeEvent, std::string> parseSubscribeEventXml(std::string_view body);

}  // namespace wxb
