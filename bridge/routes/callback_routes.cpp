#include "bridge/routes/callback_routes.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <utility>

#include "bridge/metrics/callback_metrics.h"
#include "bridge/routes/responses.h"

namespace wxb {
namespace {

// The query's pairs in order, repeats kept (readCallbackQuery refuses a repeated signature);
// a query that is not valid percent-encoding reads as no pairs, so the signature is missing.
QueryPairs queryPairs(const std::string& rawQuery) {
  try {
    Poco::URI uri;
    uri.setRawQuery(rawQuery);
    return uri.getQueryParameters();
  } catch (const Poco::Exception&) {
    return {};
  }
}

}  // namespace

void CallbackRoutes::addTo(Router& router) {
  for (const auto& endpoint : endpoints_) {
    const CallbackEndpoint* e = &endpoint;
    router.add(Route{"GET", e->path, Access::Public,
                     [this, e](const ApiRequest& r) { return verify(*e, r); }});
    // The endpoint's body limit (callback.max_body_bytes) applies at the edge: a larger
    // push gets 413 before its body is read.
    router.add(Route{"POST", e->path, Access::Public,
                     [this, e](const ApiRequest& r) { return receive(*e, r); },
                     e->envelope->settings().maxBodyBytes});
  }
  for (const auto& [path, key] :
       {std::pair{kOaPath, "callback.token"}, std::pair{kMpPath, "callback.mp.token"}}) {
    const bool served = std::any_of(endpoints_.begin(), endpoints_.end(),
                                    [&](const CallbackEndpoint& e) { return e.path == path; });
    if (served) continue;
    for (const char* method : {"GET", "POST"}) {
      router.add(Route{method, path, Access::Public,
                       [key](const ApiRequest&) { return appNotConfigured(key); }});
    }
  }
}

ApiResponse CallbackRoutes::verify(const CallbackEndpoint& endpoint, const ApiRequest& request) {
  auto answer = answerVerification(endpoint, queryPairs(request.rawQuery), clock_.nowMs());
  countPush(metrics_, answer.event, answer.outcome);
  return std::move(answer.response);
}

ApiResponse CallbackRoutes::receive(const CallbackEndpoint& endpoint, const ApiRequest& request) {
  auto answer = answerPush(endpoint, queryPairs(request.rawQuery), request.body, clock_.nowMs());
  countPush(metrics_, answer.event, answer.outcome);
  return std::move(answer.response);
}

}  // namespace wxb
