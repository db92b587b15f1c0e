// Ledger updates: the grant ledger's rules (notify/grant_ledger.h) applied to the store's ledger
// (store/subscriptions/subscriptions.h), one (openid, template_id) at a time under its row lock.
// Two sources feed it: what a mini program reports after wx.requestSubscribeMessage (POST
// /v1/subscriptions, book "mp") and the platform's subscribe events (notify/subscribe_events.h,
// book "mp" from the mini program's push, "oa" from the OA's); `counted` (subscriptions.source)
// says whose accepts add grants, so that no accept counts twice. Thread-safe (the store is).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "notify/grant_ledger.h"
#include "notify/subscribe_events.h"
#include "notify/subscriptions.h"
#include "store/subscriptions/subscriptions.h"

namespace wxb {

// Applies a mini program's answers for `mpOpenid`, given at nowMs (Unix ms), to book "mp".
// Returns the stored records, in the order of `answers`. Throws StoreError.
std::vector<GrantRecord> recordReport(Subscriptions& ledger, GrantSource counted,
                                      const std::string& mpOpenid,
                                      const std::vector<TemplateAnswer>& answers, int64_t nowMs);

// Applies a subscribe event pushed by `book`'s app ("mp" or "oa") to that book, at the event's
// CreateTime. Entries that mean nothing for the ledger change nothing. Throws StoreError.
void recordEvent(Subscriptions& ledger, GrantSource counted, const std::string& book,
                 const SubscribeEvent& event, int64_t nowMs);

}  // namespace wxb
