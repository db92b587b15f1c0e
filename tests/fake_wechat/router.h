// Routes a Call to the platform API or control route it names, and runs the platform pipeline.
//
// Every platform call passes, in order: latency, fault draw (timeout, HTTP 500, errcode -1),
// the IP whitelist (40164), the access_token check (41001, 40001, 40014, 42001) and the daily
// quota (45009) where the route needs a token, then its handler; the call and its errcode are
// counted in Stats. Control routes (/__fake/...) skip all of that. The route lists live with
// their handlers (api_*.cpp, control_*.cpp). Thread-safety: handle() is called concurrently by
// the server's threads; the Router itself is immutable after construction.
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "fake_wechat/exchange.h"
#include "fake_wechat/platform.h"

namespace wxb::fake {

// Which access_token a platform route needs.
enum class Auth { kNone, kOa, kMp, kAnyApp };

struct ApiRequest {
  const Call& call;
  App app;  // the app the access_token belongs to (kOa for Auth::kNone routes)
};

using ApiHandler = Reply (*)(Platform&, const ApiRequest&);
using ControlHandler = Reply (*)(Platform&, const Call&);

struct ApiRoute {
  std::string path;
  Auth auth;
  ApiHandler handler;
};

struct ControlRoute {
  std::string method;
  std::string path;
  ControlHandler handler;
};

std::vector<ApiRoute> tokenRoutes();            // api_tokens.cpp
std::vector<ApiRoute> userRoutes();             // api_users.cpp
std::vector<ApiRoute> messageRoutes();          // api_messages.cpp
std::vector<ApiRoute> subscribeRoutes();        // api_subscribe.cpp
std::vector<ApiRoute> accountRoutes();          // api_account.cpp
std::vector<ApiRoute> qrCodeRoutes();           // api_qrcode.cpp
std::vector<ControlRoute> controlRoutes();      // control_routes.cpp
std::vector<ControlRoute> miniProgramRoutes();  // control_mini_program.cpp
std::vector<ControlRoute> pushRoutes();         // control_push.cpp
std::vector<ControlRoute> configRoutes();       // control_config.cpp

class Router {
 public:
  explicit Router(Platform& platform);

  // The answer to `call`. Never throws: an unexpected exception becomes errcode -1 (platform)
  // or HTTP 500 (control).
  Reply handle(const Call& call);

 private:
  Reply handlePlatform(const ApiRoute& route, const Call& call);
  Reply runPipeline(const ApiRoute& route, const Call& call);
  Reply handleControl(const Call& call);

  Platform& platform_;
  std::unordered_map<std::string, ApiRoute> api_;
  std::map<std::pair<std::string, std::string>, ControlHandler> control_;
};

}  // namespace wxb::fake
