// OutboxSender: delivers the outbox. A few worker threads claim due messages in small batches
// (exclusive across processes: store/notifications/notifications.h), choose each one's channel
// (notify/channels.h: a message with several forms takes the first channel that can reach the
// user now and is open for its send class), spend a subscribe grant for it in the store
// (store/subscriptions/subscriptions.h: one grant never pays for two messages), send it -
// WechatClient::sendTemplate with a client_msg_id derived from its row, sendSubscribe or
// sendBizSubscribe - and record what decideChannelSend() (notify/send_decision.h) makes of the
// answer: refunds, a ledger zeroed by 43101, a new choice of channel, a 45009 pause of that
// channel - each settlement in the same transaction as the message's new state. A subscribe
// send commits a "call started" mark right before the platform call (there is no client_msg_id
// to make a resend safe). Sends are held to settings.qps by a token bucket. A housekeeping
// thread keeps this process's claims alive, turns the claims of dead senders into "unknown" rows
// that are resent with the same client_msg_id (the platform drops the duplicate) - or, for a
// subscribe message whose call never started, back into pending rows with the grant given back
// - and shares the channels' daily counts and pauses with the other instances
// (notify/channel_budgets.h).
//
// Sent marks are written once per batch: a crash between a send and its mark leaves the row
// claimed; it is then recovered and resent with the same client_msg_id, and the platform answers
// with the first msgid instead of delivering twice.
//
// `wxbridge serve` runs start()/stop() for its lifetime; `wxbridge digest` calls drain() when no
// serve is sending. Digest and direct messages only enqueue, then wake() the workers.
// Thread-safe; the destructor stops the threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "cron/clock.h"
#include "cron/stop_signal.h"
#include "notify/channel_budgets.h"
#include "notify/notify_settings.h"
#include "notify/outbox_payload.h"
#include "notify/send_decision.h"
#include "store/accounts/accounts.h"
#include "store/leases/lease.h"
#include "store/notifications/notifications.h"
#include "store/subscriptions/subscriptions.h"
#include "wechat/rate_limiter.h"
#include "wechat/wechat_client.h"

namespace wxb {

// Called once per platform send with its channel and errcode label (sendErrcodeLabel()).
using SendObserver = std::function<void(Channel channel, int errcode)>;

struct SenderStats {
  int64_t sent = 0;
  int64_t failed = 0;
  int64_t retried = 0;    // attempts that will be tried again later
  int64_t unknown = 0;    // given up with the outcome unknown
  int64_t paused = 0;     // 45009 answers that paused sending
  int64_t recovered = 0;  // claims of dead senders this process turned unknown for a resend
  int64_t noChannel = 0;  // no channel could reach the user
  int64_t waited = 0;     // put back until a closed channel opens for their class
};

// Where one claimed message goes: its channel, its form there and the addressee.
struct SendRoute {
  Channel channel = Channel::OaTemplate;
  const ChannelForm* form = nullptr;
  std::string touser;  // OA openid, or MP openid for mp_subscribe
};

class OutboxSender {
 public:
  // The lease a sending `serve` holds, so that `wxbridge digest` knows to leave delivery to it.
  static constexpr const char* kSenderLease = "notify.sender";
  // Throws std::invalid_argument for settings out of range.
  OutboxSender(Notifications& notifications, Accounts& accounts, Subscriptions& subscriptions,
               Leases& leases, WechatClient& platform, const Clock& clock, SenderSettings settings,
               SendObserver onSend = {});
  ~OutboxSender();
  OutboxSender(const OutboxSender&) = delete;
  OutboxSender& operator=(const OutboxSender&) = delete;

  // Starts the workers and the housekeeping thread; a second call does nothing. `advertise`:
  // hold kSenderLease while running (serve), so that `wxbridge digest` leaves delivery to us.
  void start(bool advertise = false);
  // Stops claiming and joins the threads, promptly even when the platform is gone: a platform
  // call in flight ends with its attempt on the wire (no more retries or backoff waits: the
  // threads run under the sender's StopSignal, cron/stop_signal.h) and is recorded as any failed
  // send is; the messages of the claimed batches
  // not sent yet go back to pending, due now, their attempt not counted.
  void stop();
  // New messages are due: idle workers look at once.
  void wake();

  // Sends until nothing more can be sent soon: no claimable message due within horizonMs, no
  // claim in flight anywhere (a message put back until a pause ends is due then). Starts and stops
  // the threads itself. Returns the stats of this drain.
  SenderStats drain(int64_t horizonMs);

  // One claim-and-send round on the calling thread. Returns the messages it handled.
  int runOnce();
  // One housekeeping round on the calling thread (the housekeeping thread runs one a second):
  // claims kept alive, dead senders' claims recovered, the channels' counts and pauses shared.
  void housekeepOnce();

  SenderStats stats() const;
  const std::string& owner() const { return owner_; }

 private:
  void handle(const OutboxMessage& message, std::vector<std::pair<int64_t, int64_t>>& sent);
  void putBack(const OutboxMessage& message);
  void recordSent(const std::vector<std::pair<int64_t, int64_t>>& sent);
  // outbox_routing.cpp: the channel of a claimed message, its grant spent; nullopt when the
  // message was put back or ended as no_channel instead.
  std::optional<SendRoute> route(const OutboxMessage& message, const OutboxPayload& payload);
  Recipient recipientOf(const OutboxMessage& message, const OutboxPayload& payload,
                        const std::optional<Account>& account);
  bool takeGrant(const OutboxMessage& message, const SendRoute& route);
  // Commits the call-started mark of a subscribe send; false: the claim was lost, do not call.
  bool startCall(const OutboxMessage& message, const SendRoute& route);
  void wait(const OutboxMessage& message, const ChannelChoice& choice);
  void noChannel(const OutboxMessage& message, const std::string& reason);
  WechatResult<int64_t> send(const OutboxMessage& message, const SendRoute& route);
  void apply(const OutboxMessage& message, const SendDecision& decision, bool rechoose,
             GrantAfterSend grant, std::vector<std::pair<int64_t, int64_t>>& sent);
  void pause(Channel channel, const SendDecision& decision);
  void workerLoop();
  void housekeepingLoop();
  void advertise();
  // Nothing claimable within horizonMs and no claim in flight anywhere.
  bool idleEverywhere(int64_t horizonMs);

  Notifications& notifications_;
  Accounts& accounts_;
  Subscriptions& subscriptions_;
  Leases& leases_;
  WechatClient& platform_;
  const Clock& clock_;
  const SenderSettings settings_;
  SendObserver onSend_;
  const std::string owner_;
  SystemClock rateClock_;  // the rate is real time even when tests drive clock_
  RateLimiter limiter_;    // notify.qps
  ChannelBudgets budgets_;

  std::atomic<int> idleWorkers_{0};
  std::atomic<int64_t> inFlight_{0};
  // The one stop state: fired by stop() - the threads' waits end, their platform calls are not
  // retried, the claimed messages not sent yet go back - and woken by wake().
  StopSignal signal_;
  mutable std::mutex mutex_;  // guards the members below
  bool running_ = false;
  bool advertise_ = false;
  SenderStats stats_;
  std::vector<std::thread> threads_;
  std::unique_ptr<Lease> advertised_;  // kSenderLease while advertising (housekeeping thread)
};

}  // namespace wxb
