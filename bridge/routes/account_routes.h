// AccountRoutes: GET /v1/accounts/{unionid} and POST /v1/accounts:lookup - which OA openid is
// this unionid, and do they follow. Built from the account lookup alone; the handlers validate
// the unionids, call AccountLookup and map its answer (404 for nobody). Registered always (the
// store is all it needs). Thread-safe.
#pragma once

#include "bridge/accounts/account_lookup.h"
#include "bridge/http/router.h"

namespace wxb {

class AccountRoutes {
 public:
  explicit AccountRoutes(AccountLookup& lookup) : lookup_(lookup) {}

  // Adds both routes (API key); this object must outlive the router.
  void addTo(Router& router);

  ApiResponse getAccount(const ApiRequest& request);
  ApiResponse lookupAccounts(const ApiRequest& request);

 private:
  AccountLookup& lookup_;
};

}  // namespace wxb
