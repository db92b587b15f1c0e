#include "bridge/metrics/notify_metrics.h"

#include "store/notifications/notifications.h"
#include "wechat/china_day.h"

namespace wxb {

namespace {

const char* digestOutcome(const DigestReport& r) {
  if (r.dryRun) return "dry_run";
  if (r.busy) return "busy";
  if (r.alreadyDone) return "already_done";
  return "built";
}

}  // namespace

void describeNotifyMetrics(Metrics& metrics, Notifications& notifications, const Clock& clock,
                           const DailyBudgets& dailyBudget) {
  using Type = Metrics::Type;
  metrics.describe(
      "wxbridge_outbox_messages", Type::Gauge,
      "outbox messages by state (pending, sending, sent, failed, unknown, no_channel)");
  metrics.describe("wxbridge_notify_sends_total", Type::Counter,
                   "sends by channel and errcode (0 success; negative: HTTP status or transport)");
  metrics.describe("wxbridge_channel_budget_used", Type::Gauge,
                   "successful sends of every instance by channel on the current China day "
                   "(back to 0 at China midnight)");
  metrics.describe("wxbridge_channel_budget", Type::Gauge,
                   "daily budget by channel (notify.budget.CHANNEL)");
  metrics.describe("wxbridge_notify_digest_runs_total", Type::Counter,
                   "digest jobs by outcome (built, already_done, busy)");
  metrics.describe("wxbridge_notify_digest_messages_total", Type::Counter,
                   "messages digest runs put into the outbox");
  metrics.describe("wxbridge_notify_digest_skipped_total", Type::Counter,
                   "accounts with unread events that do not follow the OA");
  metrics.describe("wxbridge_notify_notices_total", Type::Counter,
                   "real-time notices put into the outbox by kind (single, many)");
  metrics.describe("wxbridge_notify_notice_events_total", Type::Counter,
                   "real-time events by outcome, counted when the decision that ends their hold "
                   "is made: held (not sent at once by a single), merged (into a many "
                   "notice), dropped_read (read before their notice was due), quiet_hours (of "
                   "the held, held by quiet hours), no_follower (due for a user following no "
                   "OA)");
  metrics.describe("wxbridge_notify_notice_failures_total", Type::Counter,
                   "users whose real-time decision failed (logged with the unionid) and was put "
                   "off for a minute");
  metrics.addCollector([&notifications, &clock, dailyBudget](Metrics& m) {
    auto depth = notifications.depthByState();
    for (OutboxState s : {OutboxState::Pending, OutboxState::Sending, OutboxState::Sent,
                          OutboxState::Failed, OutboxState::Unknown, OutboxState::NoChannel}) {
      m.set("wxbridge_outbox_messages", {{"state", outboxStateName(s)}},
            static_cast<double>(depth[s]));
    }
    const std::string day = chinaDay(clock.nowMs());
    auto used = notifications.sendsOn(day);
    for (Channel channel : kChannels) {
      const std::string name(channelName(channel));
      const int64_t budget = dailyBudget[static_cast<size_t>(channel)];
      m.set("wxbridge_channel_budget_used", {{"channel", name}}, static_cast<double>(used[name]));
      m.set("wxbridge_channel_budget", {{"channel", name}}, static_cast<double>(budget));
    }
  });
}

SendObserver notifySendObserver(Metrics& metrics) {
  return [&metrics](Channel channel, int errcode) {
    metrics.increment(
        "wxbridge_notify_sends_total",
        {{"channel", std::string(channelName(channel))}, {"errcode", std::to_string(errcode)}});
  };
}

void countDigestRun(Metrics& metrics, const DigestReport& report) {
  metrics.increment("wxbridge_notify_digest_runs_total", {{"outcome", digestOutcome(report)}});
  if (report.dryRun) return;
  metrics.increment("wxbridge_notify_digest_messages_total", {},
                    static_cast<double>(report.enqueued));
  metrics.increment("wxbridge_notify_digest_skipped_total", {},
                    static_cast<double>(report.skipped));
}

}  // namespace wxb

namespace wxb {

void countNotices(Metrics& metrics, const NoticeCounts& c) {
  const std::pair<const char*, int64_t> notices[] = {{"single", c.single}, {"many", c.many}};
  for (const auto& [kind, n] : notices) {
    if (n > 0) metrics.increment("wxbridge_notify_notices_total", {{"kind", kind}}, double(n));
  }
  const std::pair<const char*, int64_t> events[] = {{"held", c.held},
                                                    {"merged", c.merged},
                                                    {"dropped_read", c.dropped},
                                                    {"quiet_hours", c.quietHeld},
                                                    {"no_follower", c.noFollower}};
  for (const auto& [outcome, n] : events) {
    if (n > 0) {
      metrics.increment("wxbridge_notify_notice_events_total", {{"outcome", outcome}}, double(n));
    }
  }
  if (c.failed > 0)
    metrics.increment("wxbridge_notify_notice_failures_total", {}, double(c.failed));
}

}  // namespace wxb
