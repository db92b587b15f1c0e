#include "fake_wechat/router.h"

#include <Poco/Logger.h>

#include <variant>

namespace wxb::fake {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("wxb.fake"); }

Reply dropped() {
  Reply reply;
  reply.drop = true;
  return reply;
}

Reply faultReply(FaultInjector& faults, Fault fault) {
  if (fault == Fault::kTimeout) {
    faults.pause(faults.timeoutHoldMs());
    return dropped();
  }
  if (fault == Fault::kBusy) return platformError(-1);
  Reply reply;
  reply.status = 500;
  reply.contentType = "text/html";
  reply.body = "<html><body><h1>500 Internal Server Error</h1></body></html>";
  return reply;
}

// Of two refusals, the one that tells the client most (expired, then malformed).
int mostTelling(int first, int second) {
  if (first == 42001 || second == 42001) return 42001;
  if (first == 40014 || second == 40014) return 40014;
  return 40001;
}

// The app the call's access_token belongs to, or the errcode refusing it.
std::variant<App, int> authenticate(const TokenService& tokens, Auth auth, const Call& call) {
  const std::string* token = call.param("access_token");
  if (token == nullptr || token->empty()) return 41001;
  if (auth == Auth::kOa || auth == Auth::kMp) {
    App app = auth == Auth::kOa ? App::kOa : App::kMp;
    int code = tokens.check(*token, app);
    if (code != 0) return code;
    return app;
  }
  int oa = tokens.check(*token, App::kOa);
  if (oa == 0) return App::kOa;
  int mp = tokens.check(*token, App::kMp);
  if (mp == 0) return App::kMp;
  return mostTelling(oa, mp);
}

}  // namespace

Router::Router(Platform& platform) : platform_(platform) {
  for (const auto& list : {tokenRoutes(), userRoutes(), messageRoutes(), subscribeRoutes(),
                           accountRoutes(), qrCodeRoutes()}) {
    for (const auto& route : list) api_.emplace(route.path, route);
  }
  for (const auto& list : {controlRoutes(), miniProgramRoutes(), pushRoutes(), configRoutes()}) {
    for (const auto& route : list) control_[{route.method, route.path}] = route.handler;
  }
}

Reply Router::handle(const Call& call) {
  if (call.path.starts_with("/__fake/")) return handleControl(call);
  auto route = api_.find(call.path);
  if (route == api_.end()) {
    Reply reply = platformError(40066);
    reply.status = 404;
    return reply;
  }
  return handlePlatform(route->second, call);
}

Reply Router::handlePlatform(const ApiRoute& route, const Call& call) {
  Reply reply;
  try {
    reply = runPipeline(route, call);
  } catch (const std::exception& error) {
    logger().error("platform route %s failed: %s", route.path, std::string(error.what()));
    reply = platformError(-1);
  }
  platform_.stats.recordCall(route.path, reply.errcode);
  return reply;
}

Reply Router::runPipeline(const ApiRoute& route, const Call& call) {
  FaultInjector& faults = platform_.faults;
  if (!faults.pause(faults.latencyMs())) return dropped();
  if (Fault fault = faults.draw(); fault != Fault::kNone) {
    platform_.stats.recordFault(fault);
    return faultReply(faults, fault);
  }
  if (!platform_.allowList.allows(call.peerIp)) {
    return platformError(40164, notInWhitelistMessage(call.peerIp));
  }
  App app = App::kOa;
  if (route.auth != Auth::kNone) {
    auto who = authenticate(platform_.tokens, route.auth, call);
    if (const int* code = std::get_if<int>(&who)) return platformError(*code);
    app = std::get<App>(who);
    if (!platform_.quotas.consume(app, route.path)) return platformError(45009);
    if (int64_t every = platform_.settings.invalidateTokenEvery;
        every > 0 && ++platform_.tokenUses % every == 0) {
      platform_.tokens.invalidate(app);  // this call succeeds; the next one gets 40001
    }
  }
  return route.handler(platform_, ApiRequest{call, app});
}

Reply Router::handleControl(const Call& call) {
  auto route = control_.find({call.method, call.path});
  if (route == control_.end()) {
    for (const auto& [key, handler] : control_) {
      if (key.second == call.path) return controlError(405, "method not allowed: " + call.method);
    }
    return controlError(404, "unknown control route " + call.path);
  }
  try {
    return route->second(platform_, call);
  } catch (const std::exception& error) {
    logger().error("control route %s failed: %s", call.path, std::string(error.what()));
    return controlError(500, error.what());
  }
}

}  // namespace wxb::fake
