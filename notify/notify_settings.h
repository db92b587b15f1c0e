// NotifySettings: the typed notify.* and templates.* configuration that the wiring code reads
// once (bridge/config/settings_notify.cpp) and hands to the digest, the direct-message submission
// and the outbox sender. Plain values: thread-safe once built.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "notify/channels.h"
#include "notify/grant_ledger.h"
#include "notify/quiet_hours.h"
#include "notify/template_spec.h"

namespace wxb {

// Labels of event types for {{summary}}: TYPE -> label (a type without one shows as itself).
using TypeLabels = std::map<std::string, std::string>;

// Sends a China day of each channel, indexed like kChannels (notify/channels.h).
using DailyBudgets = std::array<int64_t, kChannels.size()>;

struct SenderSettings {
  int workers = 4;      // sending threads of one process
  double qps = 200;     // template sends a second, per process
  int maxAttempts = 8;  // platform calls per message before it fails (or ends unknown)
  // Messages one worker claims at a time, at most: fewer, larger claims cost the store less,
  // but a batch should not outlast a quarter second at the qps limit (claimBatch()).
  int batchSize = 256;
  int64_t claimTtlMs = 5'000;      // a claim not renewed for this long belonged to a dead sender
  int64_t idleWaitMs = 1'000;      // how long an idle worker sleeps unless woken
  int64_t backoffBaseMs = 2'000;   // retry n waits ~ base * 2^(n-1) (equal jitter) ...
  int64_t backoffMaxMs = 300'000;  // ... capped here
  // The platform deduplicates client_msg_id for 10 minutes; resends stop a minute earlier so
  // that a slow call or a skewed clock cannot fall outside it.
  int64_t resendWindowMs = 9 * 60'000;
  // Sends a China day per channel (notify.budget.CHANNEL), indexed like kChannels: the
  // platform's default quotas.
  DailyBudgets dailyBudget = {100'000, 1'000'000, 1'000'000};
  // Test hook (docs/reliability.md "Test hooks"), empty outside tests: called with the name of
  // each moment of a subscribe send a crash test aims at - kAfterGrantTaken, kAfterCallStarted.
  std::function<void(std::string_view moment)> failpoint;
  static constexpr const char* kAfterGrantTaken = "send_after_grant_taken";
  static constexpr const char* kAfterCallStarted = "send_after_call_started";
};

// How many messages one worker claims at a time: about a quarter second of sending at the qps
// limit, between 1 and settings.batchSize.
inline int claimBatch(const SenderSettings& s) {
  const double perWorkerQuarterSecond = s.qps / s.workers / 4;
  return static_cast<int>(std::clamp(perWorkerQuarterSecond, 1.0, double(s.batchSize)));
}

// The real-time notices (notify/notice_engine.h): notify.throttle_seconds,
// notify.realtime.single/many, notify.quiet_hours and notify.types.TYPE.realtime.
struct RealtimeSettings {
  int64_t throttleMs = 600'000;
  std::string singleTemplate;            // NAME of the template of a notice announcing one event
  std::string manyTemplate;              // ... and of one that merges what a window held
  std::set<std::string> types;           // the real-time event types
  std::optional<QuietHours> quietHours;  // the default of every user; nullopt none

  // Real-time notices are on when both templates are named.
  bool enabled() const { return !singleTemplate.empty() && !manyTemplate.empty(); }
  bool isRealtime(const std::string& type) const { return enabled() && types.count(type) > 0; }
};

struct NotifySettings {
  std::map<std::string, TemplateSpec> templates;  // by NAME
  TypeLabels typeLabels;
  std::string digestTemplate;            // NAME of the digest's template; "" turns the digest off
  std::string digestCron = "0 9 * * *";  // in `timezone`
  int retentionDays = 30;  // final messages and read events are deleted this long after; 0 never
  SenderSettings sender;
  // The order in which "auto" tries a template's channels (notify.channels).
  std::vector<Channel> channelOrder = kDefaultChannelOrder;
  // Whose accepts add grants to the ledger (subscriptions.source).
  GrantSource grantSource = GrantSource::Client;
  RealtimeSettings realtime;
};

}  // namespace wxb
