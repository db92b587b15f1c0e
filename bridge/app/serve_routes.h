// ServeRoutes: the routes of `wxbridge serve`. Each route group is built with only the few
// things it uses, taken from Services, and adds its own routes to the Router. A feature this
// instance does not configure reaches its group as a null domain object (the MP login without
// wechat.mp.appid, the sync runner without wechat.oa.appid), which the group answers with
// 404 app_not_configured. Owns the groups and the Router; built once by `serve` before the
// server starts, read-only afterwards (router() is thread-safe).
#pragma once

#include <memory>

#include "bridge/app/services.h"
#include "bridge/http/router.h"
#include "bridge/routes/account_routes.h"
#include "bridge/routes/bind_code_routes.h"
#include "bridge/routes/callback_routes.h"
#include "bridge/routes/event_routes.h"
#include "bridge/routes/message_routes.h"
#include "bridge/routes/mp_session_routes.h"
#include "bridge/routes/ops_routes.h"
#include "bridge/routes/preference_routes.h"
#include "bridge/routes/schedule_routes.h"
#include "bridge/routes/subscription_routes.h"
#include "bridge/routes/sync_routes.h"
#include "bridge/routes/token_routes.h"

namespace wxb {

class ServeRoutes {
 public:
  // `services` must outlive this object.
  explicit ServeRoutes(Services& services);

  const Router& router() const { return router_; }

 private:
  std::unique_ptr<AccountRoutes> accounts_;
  std::unique_ptr<MpSessionRoutes> mpSessions_;
  std::unique_ptr<TokenRoutes> tokens_;
  std::unique_ptr<SyncRoutes> sync_;
  std::unique_ptr<EventRoutes> events_;
  std::unique_ptr<MessageRoutes> messages_;
  std::unique_ptr<SubscriptionRoutes> subscriptions_;
  std::unique_ptr<PreferenceRoutes> preferences_;
  std::unique_ptr<ScheduleRoutes> schedules_;
  std::unique_ptr<OpsRoutes> ops_;
  std::unique_ptr<CallbackRoutes> callback_;
  std::unique_ptr<BindCodeRoutes> bindCodes_;
  Router router_;
};

}  // namespace wxb
