// pushDedupKey and pushKindName (see push_event.h).
#include <Poco/String.h>

#include <array>
#include <variant>

#include "wechat/callback/digest.h"
#include "wechat/callback/overloaded.h"
#include "wechat/callback/push_event.h"

namespace wxb {
namespace {

// What tells two pushes of one user, one second and one event apart.
std::string discriminator(const PushEvent& push) {
  const std::string eventKey = push.eventKey.value_or("");
  auto entries = [](const auto& list, auto describe) {
    std::string out;
    for (const auto& entry : list) out += describe(entry) + ";";
    return out;
  };
  return std::visit(
      Overloaded{
          [&](const TemplateReceipt& receipt) { return std::to_string(receipt.msgId); },
          [&](const UserMessage& message) {
            return message.msgId ? std::to_string(*message.msgId) : std::string();
          },
          [&](const SubscribePopupEvent& popup) {
            return entries(popup.choices, [](const SubscribePopupChoice& choice) {
              return choice.templateId + ":" + choice.status;
            });
          },
          [&](const SubscribeChangeEvent& change) {
            return entries(change.changes, [](const SubscribeSettingChange& entry) {
              return entry.templateId + ":" + entry.status;
            });
          },
          [&](const SubscribeSentEvent& sent) {
            return entries(sent.results, [](const SubscribeSentResult& result) {
              return result.templateId + ":" + std::to_string(result.msgId);
            });
          },
          [&](const auto&) { return eventKey; },
      },
      push.body);
}

}  // namespace

std::string pushDedupKey(const PushEvent& push) {
  // Every part but the last is validated free of line breaks, so "\n" separates unambiguously.
  const std::string& kind = push.event.empty() ? push.header.msgType : push.event;
  return sha256Hex(push.header.toUser + "\n" + push.header.fromUser + "\n" +
                   std::to_string(push.header.createTime) + "\n" + Poco::toLower(kind) + "\n" +
                   discriminator(push));
}

const char* pushKindName(const PushEvent& push) {
  static constexpr std::array<const char*, 9> kNames = {
      "subscribe",
      "unsubscribe",
      "SCAN",
      "TEMPLATESENDJOBFINISH",
      "subscribe_msg_popup_event",
      "subscribe_msg_change_event",
      "subscribe_msg_sent_event",
      "message",
      "other",
  };
  static_assert(kNames.size() == std::variant_size_v<PushBody>);
  return kNames[push.body.index()];
}

}  // namespace wxb
