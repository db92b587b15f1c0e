#include "bridge/callback/callback_endpoint.h"

#include <Poco/Logger.h>

#include "store/store_error.h"

namespace wxb {
namespace {

// One line per refused push or verification, with the endpoint and the reason an operator needs
// when the console's Submit fails; refusal messages name fields and the endpoint's own settings,
// never values of secrets.
CallbackAnswer refused(const CallbackEndpoint& endpoint, const CallbackRefusal& refusal) {
  const std::string message = refusal.field + ": " + refusal.message;
  Poco::Logger::get("wxb.callback")
      .information("callback refused at %s (%s): %s", endpoint.path,
                   std::string(refusalName(refusal.reason)), message);
  return CallbackAnswer{apiError(refusal.httpStatus(), refusalName(refusal.reason), message),
                        "none", refusalName(refusal.reason)};
}

ApiResponse plainText(std::string body) {
  ApiResponse response;
  response.body = std::move(body);
  response.contentType = "text/plain; charset=utf-8";
  return response;
}

const char* outcomeName(PushOutcome outcome) {
  switch (outcome) {
    case PushOutcome::Applied:
      return "applied";
    case PushOutcome::Duplicate:
      return "duplicate";
    case PushOutcome::Ignored:
      return "unknown_event";
  }
  return "unknown_event";
}

}  // namespace

CallbackAnswer answerVerification(const CallbackEndpoint& endpoint, const QueryPairs& query,
                                  int64_t nowMs) {
  auto parsed = readCallbackQuery(query);
  if (!parsed) return refused(endpoint, parsed.error());
  auto echo = endpoint.envelope->verifyUrl(*parsed, nowMs / 1000);
  if (!echo) return refused(endpoint, echo.error());
  return CallbackAnswer{plainText(*echo), "none", "verified"};
}

CallbackAnswer answerPush(const CallbackEndpoint& endpoint, const QueryPairs& query,
                          std::string_view body, int64_t nowMs) {
  auto parsed = readCallbackQuery(query);
  if (!parsed) return refused(endpoint, parsed.error());
  auto push = endpoint.envelope->receive(*parsed, body, nowMs / 1000);
  if (!push) return refused(endpoint, push.error());
  const std::string event = pushKindName(push->event);
  try {
    auto outcome = endpoint.handler(push->event, nowMs);
    return CallbackAnswer{plainText("success"), event, outcomeName(outcome)};
  } catch (const StoreError&) {
    // The push was not recorded: an error status makes the platform send it again.
    return CallbackAnswer{apiError(503, "store_unavailable", "the store cannot record the push"),
                          event, "store_unavailable"};
  }
}

}  // namespace wxb
