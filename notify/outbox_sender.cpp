#include "notify/outbox_sender.h"

#include <Poco/Logger.h>

#include <chrono>
#include <stdexcept>

#include "cron/iso_time.h"
#include "notify/template_message.h"
#include "store/leases/lease_owner.h"
#include "store/store_error.h"
#include "wechat/backoff.h"

namespace wxb {

namespace {

constexpr int64_t kSenderLeaseTtlMs = 15'000;
constexpr int64_t kHousekeepingMs = 1'000;
constexpr int64_t kDrainPollMs = 100;
// No batch takes this long (a quarter second of sends plus a few slow calls): an older claim
// was lost track of (its outcome failed to be recorded) and is left to expire and be resent.
constexpr int64_t kMaxClaimAgeMs = 3 * 60'000;

Poco::Logger& logger() { return Poco::Logger::get("wxb.notify"); }

SenderSettings checked(SenderSettings s) {
  if (s.workers < 1 || s.batchSize < 1 || s.maxAttempts < 1 || s.claimTtlMs < 1'000 ||
      s.idleWaitMs < 1 || s.backoffBaseMs < 1 || s.backoffMaxMs < s.backoffBaseMs ||
      s.resendWindowMs < 1'000) {
    throw std::invalid_argument("outbox sender: settings out of range");
  }
  return s;
}

void sleepMs(int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

// Counts a batch as in flight for as long as it is being handled, whatever happens.
class InFlight {
 public:
  InFlight(std::atomic<int64_t>& counter, int64_t n) : counter_(counter), n_(n) { counter_ += n_; }
  ~InFlight() { counter_ -= n_; }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;

 private:
  std::atomic<int64_t>& counter_;
  const int64_t n_;
};

}  // namespace

OutboxSender::OutboxSender(Notifications& notifications, Accounts& accounts,
                           Subscriptions& subscriptions, Leases& leases, WechatClient& platform,
                           const Clock& clock, SenderSettings settings, SendObserver onSend)
    : notifications_(notifications),
      accounts_(accounts),
      subscriptions_(subscriptions),
      leases_(leases),
      platform_(platform),
      clock_(clock),
      settings_(checked(std::move(settings))),
      onSend_(std::move(onSend)),
      owner_(newLeaseOwner()),
      limiter_(rateClock_, settings_.qps, std::max(1.0, settings_.qps / 10)),
      budgets_(notifications, settings_.dailyBudget) {}

OutboxSender::~OutboxSender() { stop(); }

void OutboxSender::start(bool advertise) {
  std::lock_guard lock(mutex_);
  if (running_) return;
  running_ = true;
  advertise_ = advertise;
  signal_.reset();
  for (int i = 0; i < settings_.workers; ++i) threads_.emplace_back([this] { workerLoop(); });
  threads_.emplace_back([this] { housekeepingLoop(); });
  logger().information("outbox sender %s: %d workers, %?d sends/s at most", owner_,
                       settings_.workers, static_cast<int64_t>(settings_.qps));
}

void OutboxSender::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!running_) return;
    signal_.request();  // platform calls in their retries give up; claims not sent go back
  }
  for (auto& t : threads_) t.join();
  threads_.clear();
  std::lock_guard lock(mutex_);
  running_ = false;
  advertised_.reset();  // releases kSenderLease
}

void OutboxSender::wake() { signal_.wake(); }

SenderStats OutboxSender::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

int OutboxSender::runOnce() {
  auto batch =
      notifications_.claim(owner_, claimBatch(settings_), clock_.nowMs(), settings_.claimTtlMs);
  if (batch.empty()) return 0;
  InFlight counted(inFlight_, static_cast<int64_t>(batch.size()));
  std::vector<std::pair<int64_t, int64_t>> sent;
  for (const auto& message : batch) {
    try {
      handle(message, sent);
    } catch (const std::exception& e) {
      // The row stays claimed: once the claim expires a template message is resent with the same
      // client_msg_id, a subscribe message whose call started becomes unknown (never resent),
      // one whose call did not start or without a channel yet goes back to pending.
      logger().warning("outbox message %?d: recording its outcome failed: %s", message.id,
                       std::string(e.what()));
    }
  }
  recordSent(sent);
  return static_cast<int>(batch.size());
}

void OutboxSender::recordSent(const std::vector<std::pair<int64_t, int64_t>>& sent) {
  try {
    int64_t marked = notifications_.markSent(sent, owner_, clock_.nowMs());
    std::lock_guard lock(mutex_);
    stats_.sent += marked;
  } catch (const std::exception& e) {
    logger().warning(
        "outbox: recording %z sent messages failed (they will be resent with their "
        "client_msg_id, which the platform deduplicates): %s",
        sent.size(), std::string(e.what()));
  }
}

void OutboxSender::handle(const OutboxMessage& m, std::vector<std::pair<int64_t, int64_t>>& sent) {
  const int64_t now = clock_.nowMs();
  if (resendWindowPassed(m, now, settings_)) {
    notifications_.markUnknown(m.id, owner_,
                               "outcome unknown and the 10-minute dedup window has passed: "
                               "not resent",
                               now);
    std::lock_guard lock(mutex_);
    ++stats_.unknown;
    return;
  }
  OutboxPayload payload;
  try {
    payload = decodeOutboxPayload(m.payload);
  } catch (const std::exception& e) {
    notifications_.markFailed(m.id, owner_, 0, e.what(), now);
    return;
  }
  // The rate token is taken before the channel is chosen and its grant spent, so that no wait
  // separates the spend from the platform call (a sender killed while waiting would leave a
  // spent grant and an unknown message that was never sent).
  if (!signal_.sleepFor(limiter_.reserve())) return putBack(m);
  auto route = this->route(m, payload);
  if (!route || !startCall(m, *route)) return;
  WechatResult<int64_t> result = send(m, *route);
  const bool subscribe = route->channel != Channel::OaTemplate;
  ChannelSendDecision d = decideChannelSend(result, route->channel, payload.autoChannel, m,
                                            clock_.nowMs(), settings_, backoffJitter());
  if (d.chooseAgain && !subscribe) accounts_.setSubscribed(route->touser, false, clock_.nowMs());
  // A send that definitely did not reach the user may take another channel next time: always
  // for a subscribe message (its grant was given back), for a template message only when no
  // attempt of it may have been delivered (a resend must keep its client_msg_id).
  const bool rechoose = d.chooseAgain || subscribe ||
                        (payload.forms.size() > 1 && m.ambiguousSinceMs == 0 && !d.send.ambiguous);
  if (d.chooseAgain) {
    logger().information(
        "outbox message %?d: %s cannot reach the user after all (%s); choosing "
        "another channel",
        m.id, std::string(channelName(route->channel)), d.send.error);
  }
  if (d.send.action == SendDecision::Action::PauseAndRetry) pause(route->channel, d.send);
  apply(m, d.send, rechoose, d.grant, sent);
}

// Stopping: a claimed message not sent yet goes back to the queue at once, due now and its
// attempt not counted, for this or another instance to claim (docs/notify.md "The outbox",
// Stopping).
void OutboxSender::putBack(const OutboxMessage& m) {
  const int64_t now = clock_.nowMs();
  notifications_.retryLater(
      m.id, owner_, SendRetry{now, 0, "not sent yet when the sender stopped", false, true}, now);
}

// A template send needs no mark: a dead sender's claim of one is resent with its client_msg_id.
bool OutboxSender::startCall(const OutboxMessage& m, const SendRoute& route) {
  if (route.channel == Channel::OaTemplate) return true;
  if (settings_.failpoint) settings_.failpoint(SenderSettings::kAfterGrantTaken);
  if (!notifications_.markCallStarted(m.id, owner_, clock_.nowMs())) {
    logger().warning("outbox message %?d: its claim was lost before the platform call; not sent",
                     m.id);
    return false;
  }
  if (settings_.failpoint) settings_.failpoint(SenderSettings::kAfterCallStarted);
  return true;
}

WechatResult<int64_t> OutboxSender::send(const OutboxMessage& m, const SendRoute& route) {
  WechatResult<int64_t> result = [&] {
    switch (route.channel) {
      case Channel::MpSubscribe:
        return platform_.sendSubscribe(subscribeMessageOf(*route.form, route.touser));
      case Channel::OaSubscribe:
        return platform_.sendBizSubscribe(bizSubscribeMessageOf(*route.form, route.touser));
      case Channel::OaTemplate:
        break;
    }
    return platform_.sendTemplate(
        templateMessageOf(*route.form, route.touser, clientMsgIdFor(m.id, m.createdAtMs)));
  }();
  if (result) budgets_.count(route.channel);
  if (onSend_) onSend_(route.channel, sendErrcodeLabel(result));
  return result;
}

void OutboxSender::apply(const OutboxMessage& m, const SendDecision& d, bool rechoose,
                         GrantAfterSend grant, std::vector<std::pair<int64_t, int64_t>>& sent) {
  Notifications& notify = notifications_;
  const int64_t now = clock_.nowMs();
  using Action = SendDecision::Action;
  switch (d.action) {
    case Action::MarkSent:
      sent.emplace_back(m.id, d.msgid);
      return;
    case Action::RetryLater:
      notify.retryLater(m.id, owner_,
                        SendRetry{d.retryAtMs, d.errcode, d.error, d.ambiguous, false, rechoose},
                        now, grant);
      logger().debug("outbox message %?d: %s; retrying at %s", m.id, d.error,
                     formatIsoTime(d.retryAtMs, nullptr));
      break;
    case Action::MarkFailed:
      if (d.unsubscribe) accounts_.setSubscribed(m.touser, false, now);
      notify.markFailed(m.id, owner_, d.errcode, d.error, now, grant);
      logger().information("outbox message %?d failed: %s", m.id, d.error);
      break;
    case Action::MarkUnknown:
      notify.markUnknown(m.id, owner_, d.error, now, grant);
      logger().warning("outbox message %?d: outcome unknown, not resent: %s", m.id, d.error);
      break;
    case Action::PauseAndRetry:
      notify.retryLater(m.id, owner_,
                        SendRetry{d.retryAtMs, d.errcode, d.error, false, true, rechoose}, now,
                        grant);
      break;
  }
  std::lock_guard lock(mutex_);
  if (d.action == Action::RetryLater) ++stats_.retried;
  if (d.action == Action::MarkFailed) ++stats_.failed;
  if (d.action == Action::MarkUnknown) ++stats_.unknown;
  if (d.action == Action::PauseAndRetry) ++stats_.paused;
}

// A failed store write of the pause is logged, not thrown: the pause holds here all the same and
// the next refresh writes it, and the message must still go back to the queue (apply()).
void OutboxSender::pause(Channel channel, const SendDecision& d) {
  std::string unstored;
  try {
    if (!budgets_.pause(channel, d.retryAtMs, d.error, clock_.nowMs())) return;
  } catch (const StoreError& e) {
    unstored = std::string(" - not stored yet (") + e.what() +
               "): it holds here and the next refresh writes it";
  }
  logger().warning(
      "%s sends paused until %s (daily quota reached: %s)%s; they resume by themselves, the "
      "higher send classes first",
      std::string(channelName(channel)), formatIsoTime(d.retryAtMs, nullptr), d.error, unstored);
}

void OutboxSender::workerLoop() {
  StopSignal::Scope scope(signal_);
  bool idle = false;
  while (!signal_.stopped()) {
    int handled = 0;
    try {
      handled = runOnce();
    } catch (const std::exception& e) {
      logger().warning("outbox: claiming messages failed: %s", std::string(e.what()));
    }
    if ((handled == 0) != idle) {
      idle = handled == 0;
      idleWorkers_ += idle ? 1 : -1;
    }
    if (idle) signal_.waitForWake(settings_.idleWaitMs);
  }
  if (idle) --idleWorkers_;
}

void OutboxSender::housekeepOnce() {
  Notifications& notify = notifications_;
  const int64_t now = clock_.nowMs();
  if (inFlight_.load() > 0) {
    notify.extendClaims(owner_, now + settings_.claimTtlMs, now + settings_.claimTtlMs / 2,
                        now - kMaxClaimAgeMs);
  }
  if (int64_t recovered = notify.recoverStale(now); recovered > 0) {
    logger().warning(
        "outbox: %?d messages were claimed by a sender that stopped; template messages are "
        "resent with the same client_msg_id, subscribe messages go back to pending (the call "
        "never started, grant given back) or end unknown (it did)",
        recovered);
    {
      std::lock_guard lock(mutex_);
      stats_.recovered += recovered;
    }
    wake();
  }
  budgets_.refresh(now);
  advertise();
}

// Holds kSenderLease while advertising; a serve that finds another one holding it tries again
// at the next round.
void OutboxSender::advertise() {
  {
    std::lock_guard lock(mutex_);
    if (!advertise_) return;
  }
  if (advertised_) {
    advertised_->renew();
  } else {
    advertised_ = std::make_unique<Lease>(leases_, clock_, kSenderLease, kSenderLeaseTtlMs);
  }
}

void OutboxSender::housekeepingLoop() {
  StopSignal::Scope scope(signal_);
  do {
    try {
      housekeepOnce();
    } catch (const std::exception& e) {
      logger().warning("outbox housekeeping failed: %s", std::string(e.what()));
    }
  } while (signal_.sleepFor(kHousekeepingMs));
}

bool OutboxSender::idleEverywhere(int64_t horizonMs) {
  Notifications& notify = notifications_;
  const int64_t now = clock_.nowMs();
  auto depth = notify.depthByState();
  if (depth[OutboxState::Sending] > 0) return false;
  auto due = notify.nextDueMs();
  return !due || *due > now + horizonMs;
}

SenderStats OutboxSender::drain(int64_t horizonMs) {
  SenderStats before = stats();
  start();
  for (;;) {
    sleepMs(kDrainPollMs);
    if (idleWorkers_.load() < settings_.workers) continue;
    try {
      if (idleEverywhere(horizonMs)) break;
    } catch (const StoreError& e) {
      logger().warning("outbox drain: %s", std::string(e.what()));
    }
  }
  stop();
  SenderStats after = stats();
  return SenderStats{after.sent - before.sent,           after.failed - before.failed,
                     after.retried - before.retried,     after.unknown - before.unknown,
                     after.paused - before.paused,       after.recovered - before.recovered,
                     after.noChannel - before.noChannel, after.waited - before.waited};
}

}  // namespace wxb
