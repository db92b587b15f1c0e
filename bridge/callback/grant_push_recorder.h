// GrantPushRecorder: the handler of the subscribe-message events (subscribe_msg_popup_event,
// subscribe_msg_change_event, subscribe_msg_sent_event; WECHAT.md "More about the event push")
// for one app's book of the grant ledger - the mini program's /wechat/callback/mp (book "mp",
// keyed by mp_openid) and the OA's /wechat/callback (book "oa", the OA's subscribe
// notifications, keyed by oa_openid). Record first, like the OA's PushRecorder: the push's dedup
// row and its ledger changes are one store transaction (CallbackStore::recordGrants), so a push
// repeated by the platform - to this instance or another - changes the ledger once, and `success`
// is answered only after the commit. With subscriptions.source = client the events' accepts are
// recorded as the last answer but add no grant (notify/ledger_updates.h). Any other push is
// ignored (answered `success`, counted as unknown_event) without touching the store.
//
// Called by the callback route on the HTTP threads; thread-safe (the store is).
#pragma once

#include <cstdint>
#include <string>

#include "bridge/callback/callback_endpoint.h"
#include "notify/grant_ledger.h"
#include "store/callback/callback_store.h"

namespace wxb {

class GrantPushRecorder {
 public:
  // `book`: "mp" or "oa" (kMpBook, kOaBook of store/subscriptions/subscriptions.h).
  GrantPushRecorder(CallbackStore& store, std::string book, GrantSource counted);

  // Throws StoreError (StoreUnavailable) when the push could not be recorded.
  PushOutcome operator()(const PushEvent& push, int64_t nowMs);

 private:
  CallbackStore& store_;
  const std::string book_;
  const GrantSource counted_;
};

}  // namespace wxb
