// MpSessionRoutes: POST /v1/mp/sessions {"code"} - a mini-program login. Built from the MP login
// function alone, which is null when wechat.mp.appid is not configured: the handler then
// answers 404 app_not_configured (after validating the request, so a malformed one is still
// its 400). The handler validates the code, calls MpLogin and maps a refusal: a bad or used
// code is 400 on "code", a high-risk user 403, other platform failures 429/502. Thread-safe.
#pragma once

#include "bridge/accounts/mp_login.h"
#include "bridge/http/router.h"

namespace wxb {

class MpSessionRoutes {
 public:
  // `login` is null when the MP is not configured.
  explicit MpSessionRoutes(MpLogin* login) : login_(login) {}

  // Adds the route (API key); this object must outlive the router.
  void addTo(Router& router);

  ApiResponse createSession(const ApiRequest& request);

 private:
  MpLogin* login_;
};

}  // namespace wxb
