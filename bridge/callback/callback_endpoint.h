// CallbackEndpoint: one URL the platform pushes events to - its path, its envelope (token,
// keys, appid, mode: wechat/callback/callback_envelope.h) and the handler that acts on a push
// once the envelope opened it. The OA's is /wechat/callback with the PushRecorder
// (bridge/callback/push_recorder.h); issue #15 adds /wechat/callback/mp with the mini
// program's settings and its own handler. The route group (bridge/callback/callback_routes.cpp)
// serves every endpoint through answerVerification() and answerPush().
//
// Answers (WECHAT.md "Event push"): the GET verification echoes echostr verbatim (text/plain)
// or refuses with 403; a push is answered `success` (text/plain; the platform takes it
// unencrypted in every mode) once the handler returned - applied, a duplicate, or ignored - and
// with the envelope's 4xx and a JSON error body naming the field when it is refused. When the
// handler throws StoreError (the store is down), the answer is 503 so that the platform retries.
//
// Every answer carries the labels the metrics count it under: the event (pushKindName, or
// "none" when the push was refused before it was decoded) and the outcome (applied, duplicate,
// unknown_event, bad_signature, bad_appid, stale, unparseable, too_large, mode_refused,
// store_unavailable; too_large only without serve's HTTP edge, which refuses a larger body
// before it is read). Thread-safe when the handler is.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bridge/http/api_types.h"
#include "wechat/callback/callback_envelope.h"

namespace wxb {

// What a handler did with a push.
enum class PushOutcome { Applied, Duplicate, Ignored };

// Acts on one verified push at nowMs (Unix ms). Throws StoreError when it cannot record it.
using PushHandler = std::function<PushOutcome(const PushEvent& push, int64_t nowMs)>;

struct CallbackEndpoint {
  std::string path;  // "/wechat/callback"
  std::shared_ptr<const CallbackEnvelope> envelope;
  PushHandler handler;
};

struct CallbackAnswer {
  ApiResponse response;
  std::string event = "none";
  std::string outcome;
};

using QueryPairs = std::vector<std::pair<std::string, std::string>>;

// GET: the URL verification. Outcome "verified" or the refusal's name.
CallbackAnswer answerVerification(const CallbackEndpoint& endpoint, const QueryPairs& query,
                                  int64_t nowMs);
// POST: one push.
CallbackAnswer answerPush(const CallbackEndpoint& endpoint, const QueryPairs& query,
                          std::string_view body, int64_t nowMs);

}  // namespace wxb
