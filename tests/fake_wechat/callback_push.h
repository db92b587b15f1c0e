// Event pushes to a developer's callback URL, as the platform sends them: the event as XML or
// (the mini program's JSON push setting) JSON, the signature query parameters, safe-mode
// encryption, and one HTTP exchange (5 s timeout, like the platform's reply deadline).
// Subscribe-message events carry a List: in XML repeated <List> elements inside
// <SubscribeMsgPopupEvent>, <SubscribeMsgChangeEvent> or <SubscribeMsgSentEvent>; in JSON a
// "List" that is an object when it holds one entry and an array when it holds several. Used by POST
// /__fake/push and POST /__fake/verify. Only http:// URLs are supported (the fake links no TLS).
// Thread-safety: pure functions; each call opens its own connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wxb::fake {

// One entry of a subscribe event's List. popup: status (accept|reject) and popupScene;
// change: status (reject); sent: msgId, errorCode and status (ErrorStatus: success, fail:...).
struct SubscribeEventEntry {
  std::string templateId;
  std::string status;
  std::optional<int64_t> popupScene;
  std::optional<int64_t> msgId;
  std::optional<int64_t> errorCode;
};

// subscribe_msg_popup_event, subscribe_msg_change_event or subscribe_msg_sent_event.
bool isSubscribeEvent(const std::string& event);

struct EventSpec {
  std::string toUser;    // the OA's original id
  std::string fromUser;  // the follower's openid
  int64_t createTime = 0;
  std::string event;  // subscribe, unsubscribe, TEMPLATESENDJOBFINISH, ...
  std::optional<std::string> eventKey;
  std::optional<std::string> ticket;
  std::optional<int64_t> msgId;  // TEMPLATESENDJOBFINISH
  std::optional<std::string> status;
  std::vector<SubscribeEventEntry> list;  // subscribe events
};

std::string buildEventXml(const EventSpec& event);
// The same event as the JSON push format; numbersAsStrings writes CreateTime and the List's
// numbers as strings (the platform is not consistent about it, so receivers must take both).
std::string buildEventJson(const EventSpec& event, bool numbersAsStrings);

struct PushSecrets {
  std::string token;
  std::string aesKey;  // the 32-byte key (aesKeyOf), used when encrypting
  std::string appid;
};

struct PushPlan {
  std::string url;
  std::string body;  // the event, XML or JSON (`json`)
  bool json = false;
  bool encrypt = false;
  PushSecrets secrets;
  int64_t timestamp = 0;
  std::string nonce;
  std::string openid;
  std::string toUser;
};

struct PushOutcome {
  bool delivered = false;  // an HTTP answer came back
  int status = 0;
  std::string body;
  std::string error;  // why nothing came back
  std::string sentUrl;
  std::string sentBody;
};

// Signs (and in safe mode encrypts) `plan.body` and POSTs it to `plan.url`.
PushOutcome pushEvent(const PushPlan& plan);

// GETs the URL verification request (signature, timestamp, nonce, echostr).
PushOutcome verifyCallback(const std::string& url, const std::string& token, int64_t timestamp,
                           const std::string& nonce, const std::string& echostr);

// The text of the first <tag> element in `xml` (CDATA unwrapped), or nullopt.
std::optional<std::string> xmlElement(const std::string& xml, const std::string& tag);

}  // namespace wxb::fake
