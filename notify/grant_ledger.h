// The grant ledger's rules: how many one-time subscribe-message grants a user holds for a
// template, per (openid, template_id), and what changes the count. The platform keeps its own
// count and tells nobody; wxbridge keeps a copy so that it knows before a send whether one will
// be allowed, instead of learning from errcode 43101 afterwards (WECHAT.md, "Subscribe message
// (MP)", "More about the event push", "OA subscribe notifications").
//
// Answers come from the mini program (`wx.requestSubscribeMessage` results, POST
// /v1/subscriptions) or from the platform's events (subscribe_msg_popup_event,
// subscribe_msg_change_event, subscribe_msg_sent_event). Both describe the same popups, so only
// one of them may add grants - the one subscriptions.source names - or every accept would count
// twice. Rejects, bans and filters are recorded from either (a ban only ever lowers the count).
// A grant is spent when its message is claimed for sending and refunded when the platform
// definitely did not deliver it; 43101 (the platform holds none) sets the count to zero.
// The store applies these rules atomically; here they are pure functions: thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/subscriptions/subscriptions.h"
#include "wechat/wechat_error.h"

namespace wxb {

// One answer of the subscribe popup or settings, per template.
enum class SubscribeAnswer {
  Accept,  // one more grant
  Reject,  // declined this popup: nothing granted, earlier grants stand
  Ban,     // switched the template off: no grant counts until a later accept
  Filter,  // the platform filtered the template out (e.g. its title): nothing granted
};

// "accept", "reject", "ban", "filter": as wx.requestSubscribeMessage reports them.
std::string_view subscribeAnswerName(SubscribeAnswer answer);
std::optional<SubscribeAnswer> parseSubscribeAnswer(std::string_view name);

// Where an answer came from; subscriptions.source names the one whose accepts count.
enum class GrantSource { Client, Events };
std::string_view grantSourceName(GrantSource source);  // "client", "events"
std::optional<GrantSource> parseGrantSource(std::string_view name);

// One (openid, template_id) of the ledger.
struct GrantEntry {
  int64_t grants = 0;
  std::optional<SubscribeAnswer> lastAnswer;
  int64_t lastAnswerAtMs = 0;  // Unix ms
};

// The entry after `answer`, given at atMs (Unix ms) and reported by `from`, when `counted` is
// the source whose accepts add grants. An answer older than the last one recorded still adds
// its grant (an accept is an accept) but neither replaces the last answer nor bans.
GrantEntry applyAnswer(GrantEntry entry, SubscribeAnswer answer, GrantSource from,
                       GrantSource counted, int64_t atMs);

// What a subscribe event entry means for the ledger.
struct EventAnswer {
  std::optional<SubscribeAnswer> answer;  // to apply with GrantSource::Events
  bool zero = false;                      // the platform says the user holds no grant
};

// subscribe_msg_popup_event: SubscribeStatusString accept -> Accept, reject -> Reject.
// subscribe_msg_change_event: reject -> Ban (the user switched the template off); accept (the
// user switched it on again) grants nothing: no change.
// subscribe_msg_sent_event: ErrorCode 0 changes nothing (the grant was spent at claim);
// ErrorStatus "fail:user refuse" or "fail:user block" zeroes the entry; other failures change
// nothing. Unknown events or statuses: nothing.
EventAnswer eventAnswer(std::string_view event, std::string_view status, int64_t errorCode);

// What happens to the grant a subscribe send spent, given the platform's answer
// (GrantAfterSend and kMaxGrantsPerTemplate live with the ledger in the store, which applies
// them: store/subscriptions/subscriptions.h).
GrantAfterSend grantAfterSend(const WechatResult<int64_t>& result);

}  // namespace wxb
