// Ledger updates: the grant ledger's rules (notify/grant_ledger.h) as changes of the store's
// ledger (store/subscriptions/subscriptions.h), each applied to one (book, openid, template_id)
// under its row lock. Two sources feed it: what a mini program reports after
// wx.requestSubscribeMessage (POST /v1/subscriptions, book "mp") and the platform's
// subscribe-message events (subscribe_msg_popup_event, subscribe_msg_change_event,
// subscribe_msg_sent_event: wechat/callback/push_event.h; book "mp" from the mini program's push
// to /wechat/callback/mp, "oa" from the OA's to /wechat/callback). `counted`
// (subscriptions.source) says whose accepts add grants, so that no accept counts twice; the other
// source's accepts are recorded as the last answer and add nothing. Rejects, bans and the
// platform's "user refused" only ever lower a count and apply from either source.
// Thread-safe (the store is; the rest is pure).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "notify/grant_ledger.h"
#include "notify/subscriptions.h"
#include "store/subscriptions/subscriptions.h"
#include "wechat/callback/push_event.h"

namespace wxb {

// Applies a mini program's answers for `mpOpenid`, given at nowMs (Unix ms), to book "mp", in
// one transaction, and returns answerOf(the stored records, in the order of `answers`). With a
// reportId (the caller's idempotency key, checked by the caller; "" for none), once per
// (mpOpenid, reportId): the same id again changes nothing and returns the first answer
// (Subscriptions::applyReport). Throws StoreError.
std::string recordReport(
    Subscriptions& ledger, GrantSource counted, const std::string& mpOpenid,
    const std::string& reportId, const std::vector<TemplateAnswer>& answers,
    const std::function<std::string(const std::vector<GrantRecord>&)>& answerOf, int64_t nowMs);

// True for the three subscribe-message events.
bool isGrantEvent(const PushEvent& push);

// The changes a subscribe-message event pushed by `book`'s app ("mp" or "oa") makes to that
// book, for its sender (FromUserName) at the event's CreateTime; entries that mean nothing for
// the ledger (eventAnswer) give none, and so does any other push.
std::vector<GrantUpdate> grantUpdatesOf(const PushEvent& push, const std::string& book,
                                        GrantSource counted);

}  // namespace wxb
