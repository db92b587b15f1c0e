#include "bridge/callback/callback_worker.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <sstream>

#include "bridge/metrics/callback_metrics.h"
#include "cron/stop_signal.h"
#include "store/leases/lease_owner.h"
#include "wechat/backoff.h"

namespace wxb {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("wxb.callback"); }

// "<msgid> <delivery> <at ms>" (CallbackStore's receipt payload).
std::optional<DeliveryReceipt> parseReceipt(const std::string& payload) {
  std::istringstream in(payload);
  DeliveryReceipt r;
  std::string delivery;
  if (!(in >> r.msgId >> delivery >> r.atMs)) return std::nullopt;
  for (auto d :
       {TemplateDelivery::Delivered, TemplateDelivery::Blocked, TemplateDelivery::Failed}) {
    if (delivery == templateDeliveryName(d)) {
      r.delivery = d;
      return r;
    }
  }
  return std::nullopt;
}

}  // namespace

CallbackWorker::CallbackWorker(CallbackStore& store, Accounts& accounts, WechatClient& platform,
                               Metrics& metrics, const Clock& clock,
                               CallbackWorkerSettings settings)
    : store_(store),
      accounts_(accounts),
      platform_(platform),
      metrics_(metrics),
      clock_(clock),
      settings_(settings),
      owner_(newLeaseOwner()) {}

CallbackWorker::~CallbackWorker() { stop(); }

void CallbackWorker::start() { loop_.start(); }

void CallbackWorker::stop() { loop_.stop(); }

void CallbackWorker::wake() { loop_.wake(); }

// The background loop's round: the next batch at once after one that had jobs, else a poll.
int64_t CallbackWorker::loopPass() {
  try {
    if (runOnce() > 0) return 0;
  } catch (const std::exception& e) {
    logger().warning("callback jobs: claiming failed: %s", std::string(e.what()));
  }
  return settings_.idleWaitMs;
}

int CallbackWorker::runOnce() {
  auto jobs = store_.claimJobs(owner_, settings_.batch, clock_.nowMs(), settings_.claimTtlMs);
  for (const auto& job : jobs) {
    if (stopRequested()) {
      putBack(job);
    } else {
      runAndSettle(job);
    }
  }
  return static_cast<int>(jobs.size());
}

// Stopping: a claimed job not run yet goes back to the queue, due now and its claim's attempt
// given back, for this or another instance. When even that fails, its claim expires.
void CallbackWorker::putBack(const CallbackJob& job) {
  try {
    store_.putBackJob(job.id, owner_, clock_.nowMs());
  } catch (const std::exception& e) {
    logger().warning("callback job %?d (%s): putting it back failed: %s", job.id, job.kind,
                     std::string(e.what()));
  }
}

// One job, its failure its own: a job whose run throws is settled as a failed attempt (retried
// after the backoff, given up after maxAttempts; put back as it was when the worker is
// stopping); when even that cannot be recorded, its claim expires and it runs again. The rest of
// the batch goes on either way.
void CallbackWorker::runAndSettle(const CallbackJob& job) {
  std::string error;
  bool giveUp = false;
  bool done = false;
  try {
    done = run(job, error, giveUp);
  } catch (const std::exception& e) {
    error = e.what();
  }
  try {
    settle(job, done, error, giveUp);
  } catch (const std::exception& e) {
    logger().warning("callback job %?d (%s): recording its attempt failed: %s", job.id, job.kind,
                     std::string(e.what()));
  }
}

bool CallbackWorker::run(const CallbackJob& job, std::string& error, bool& giveUp) {
  if (job.kind == kJobUnionid) return linkUnionid(job, error, giveUp);
  if (job.kind == kJobReceipt) return attachReceipt(job, error, giveUp);
  error = "unknown job kind " + job.kind;
  giveUp = true;
  return false;
}

// A follower without unionid gets it from user/info, and the upsert links it to the MP user
// with that unionid, keeping the follower's subscribed state and its time (newest wins).
bool CallbackWorker::linkUnionid(const CallbackJob& job, std::string& error, bool& giveUp) {
  auto info = platform_.userInfo(job.openid);
  if (!info) {
    error = info.error().describe();
    giveUp = !info.error().transient() && info.error().kind != WechatError::Kind::Quota;
    return false;
  }
  if (!info->unionid || info->unionid->empty()) return true;  // OA not bound to Open Platform
  auto follower = accounts_.findByOaOpenid(job.openid);
  if (!follower || !follower->unionid.empty()) return true;
  accounts_.upsertFollowers({{job.openid, *info->unionid, follower->subscribed}},
                            follower->syncedAtMs);
  return true;
}

bool CallbackWorker::attachReceipt(const CallbackJob& job, std::string& error, bool& giveUp) {
  auto receipt = parseReceipt(job.payload);
  if (!receipt) {
    error = "unreadable receipt payload";
    giveUp = true;
    return false;
  }
  const ReceiptMatch match = store_.applyReceipt(job.openid, *receipt);
  if (match == ReceiptMatch::OtherRecipient)
    countIgnoredReceipt(metrics_, job.openid, receipt->msgId);
  if (match != ReceiptMatch::NotYet) return true;
  error = "no outbox row has msgid " + std::to_string(receipt->msgId) + " yet";
  return false;
}

// A receipt no outbox row has matched yet waits for its row until receiptWindowMs after it was
// queued, whatever its attempts; then it is for a template message sent by someone else on the
// same OA (the normal case, not a failure): finished as unmatched.
void CallbackWorker::settle(const CallbackJob& job, bool done, const std::string& error,
                            bool giveUp) {
  if (done) {
    store_.finishJob(job.id, owner_);
    countJob(metrics_, job.kind, "done");
    return;
  }
  if (stopRequested()) {  // its call may have been cut short by the stop: never given up for it
    logger().debug("callback job %?d: put back, the worker is stopping: %s", job.id, error);
    putBack(job);
    return;
  }
  const int64_t now = clock_.nowMs();
  const bool receipt = job.kind == kJobReceipt && !giveUp;
  const int64_t windowEnd = job.createdAtMs + settings_.receiptWindowMs;
  if (receipt && now >= windowEnd) {
    logger().debug("callback job %?d: receipt not ours: %s", job.id, error);
    store_.finishJob(job.id, owner_);
    countJob(metrics_, job.kind, "unmatched");
    return;
  }
  if (!receipt && (giveUp || job.attempts >= settings_.maxAttempts)) {
    logger().warning("callback job %?d (%s %s) given up after %d attempts: %s", job.id, job.kind,
                     job.openid, job.attempts, error);
    store_.retryJob(job.id, owner_, std::nullopt, error, now);
    countJob(metrics_, job.kind, "gave_up");
    return;
  }
  int64_t retryAt =
      now + jitteredBackoffMs(job.attempts, settings_.backoffBaseMs, settings_.backoffMaxMs);
  if (receipt) retryAt = std::min(retryAt, windowEnd);
  store_.retryJob(job.id, owner_, retryAt, error, now);
  countJob(metrics_, job.kind, "retry");
}

}  // namespace wxb
