// CallbackWorker: runs the callback store's durable job queue after the replies (issue #13):
// `unionid` jobs fetch a new follower's unionid with user/info and link the follower to the
// mini-program user with the same unionid (Accounts::upsertFollowers, which merges the two
// rows); `receipt` jobs attach a TEMPLATESENDJOBFINISH that came before its outbox row knew its
// msgid (one still unmatched receiptWindowMs after it was queued was not ours: finished,
// counted `unmatched`, logged at debug). A failed attempt is tried again after the shared
// backoff (wechat/backoff.h: jitteredBackoffMs, equal jitter) until maxAttempts, then given up
// (kept for inspection, purged by retention); a receipt waits for its row until its window
// ends, whatever the attempts. A permanent platform error (an unknown openid) gives up at once.
// A job whose run throws (a store error) is settled as a failed attempt on its own: the other
// jobs of its batch run as usual.
//
// One thread per process claims small batches (exclusive across processes:
// CallbackStore::claimJobs); a claim lasts claimTtlMs, so the jobs of a worker that died are
// claimed again after it. `wxbridge serve` runs start()/stop(); the PushRecorder calls wake()
// after a commit that queued jobs. stop() is prompt even when the platform is gone: the thread
// runs under its TimedLoop's StopSignal (cron/stop_signal.h), so the call in hand is not retried
// and its job, like the rest of the batch, goes back to the queue due at once with the attempt
// its claim counted given back - a stop never uses up a job's attempts or gives one up.
// Thread-safe; the destructor stops the thread.
#pragma once

#include <cstdint>
#include <string>

#include "bridge/metrics/metrics.h"
#include "cron/clock.h"
#include "cron/timed_loop.h"
#include "store/accounts/accounts.h"
#include "store/callback/callback_store.h"
#include "wechat/wechat_client.h"

namespace wxb {

struct CallbackWorkerSettings {
  int batch = 16;
  int64_t claimTtlMs = 60'000;
  int maxAttempts = 8;
  int64_t backoffBaseMs = 1'000;
  int64_t backoffMaxMs = 300'000;
  int64_t idleWaitMs = 1'000;  // the poll while idle (jobs of other instances, retries)
  // A receipt whose msgid no outbox row has this long after it was queued belongs to a template
  // message wxbridge did not send (the console, another backend): finished as `unmatched`. The
  // outbox sender records the msgids of a claimed batch when the batch is done (at most 3 min,
  // notify/outbox_sender.cpp kMaxClaimAgeMs), and when that record fails it resends with the
  // same client_msg_id, answered with the first msgid, within the platform's 10-minute dedup
  // window: after 10 min no msgid of ours can still come (docs/callback.md).
  int64_t receiptWindowMs = 600'000;
};

class CallbackWorker {
 public:
  CallbackWorker(CallbackStore& store, Accounts& accounts, WechatClient& platform, Metrics& metrics,
                 const Clock& clock, CallbackWorkerSettings settings = {});
  ~CallbackWorker();
  CallbackWorker(const CallbackWorker&) = delete;
  CallbackWorker& operator=(const CallbackWorker&) = delete;

  void start();  // a second call does nothing
  void stop();   // finishes the job in hand (no more retries), joins the thread
  void wake();   // jobs were queued: look at once

  // One claim-and-run round on the calling thread. Returns the jobs it handled.
  int runOnce();

 private:
  // Done (true) or the error to retry with; giveUp set for errors no retry can fix.
  bool run(const CallbackJob& job, std::string& error, bool& giveUp);
  bool linkUnionid(const CallbackJob& job, std::string& error, bool& giveUp);
  bool attachReceipt(const CallbackJob& job, std::string& error, bool& giveUp);
  void runAndSettle(const CallbackJob& job);
  void putBack(const CallbackJob& job);
  void settle(const CallbackJob& job, bool done, const std::string& error, bool giveUp);
  int64_t loopPass();

  CallbackStore& store_;
  Accounts& accounts_;
  WechatClient& platform_;
  Metrics& metrics_;
  const Clock& clock_;
  const CallbackWorkerSettings settings_;
  const std::string owner_;
  TimedLoop loop_{[this] { return loopPass(); }};
};

}  // namespace wxb
