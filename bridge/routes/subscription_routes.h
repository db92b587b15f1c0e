// SubscriptionRoutes: the grant ledger of MP subscribe messages over HTTP (docs/channels.md).
// POST /v1/subscriptions {"mp_openid","results":{"TEMPLATE_ID":"accept"|"reject"|"ban"|
// "filter"}} - what wx.requestSubscribeMessage's success callback returned, forwarded by the
// backend ("errMsg" may stay in) - records each answer; an accept adds one grant when
// subscriptions.source is client. GET /v1/subscriptions/{mp_openid} answers per template: grants
// held, last result and its time. Built from the ledger, the grant source and the clock;
// registered always. Thread-safe.
#pragma once

#include "bridge/http/router.h"
#include "cron/clock.h"
#include "notify/grant_ledger.h"
#include "store/subscriptions/subscriptions.h"

namespace wxb {

class SubscriptionRoutes {
 public:
  SubscriptionRoutes(Subscriptions& ledger, GrantSource counted, const Clock& clock)
      : ledger_(ledger), counted_(counted), clock_(clock) {}

  // Adds both routes (API key); this object must outlive the router.
  void addTo(Router& router);

  ApiResponse record(const ApiRequest& request);
  ApiResponse show(const ApiRequest& request);

 private:
  Subscriptions& ledger_;
  const GrantSource counted_;
  const Clock& clock_;
};

}  // namespace wxb
