// Schedules: the user-set reminders (/v1/schedules, docs/schedules.md) in the store, and the
// claim that fires them. Reached through Store::schedules(). Writers are the /v1/schedules
// routes (create, update, remove) and the schedule engine (fireDue); readers the routes and
// the metrics collector.
//
// A schedule's next_fire_at is set only while it is active, and due schedules are found through
// an index on it, so the engine pages through what is due and nothing per schedule is kept in
// memory. fireDue() claims due schedules exclusively across processes (SELECT ... FOR UPDATE
// SKIP LOCKED on MySQL, the single writer on SQLite) and, in the same transaction, puts each
// fire into the outbox and stores the schedule's advanced next fire: a fire is enqueued exactly
// once, whatever the number of instances and wherever a process dies.
//
// Every method is thread-safe and throws StoreUnavailable or StoreError (store/store_error.h).
// Times are Unix milliseconds from the caller's Clock.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "notify/schedules/schedule.h"
#include "store/notifications/notifications.h"

namespace wxb {

// Whom a due schedule's unionid reaches, as the accounts table knows it at the fire.
struct ScheduleRecipient {
  std::string oaOpenid;  // "" when no follower is known for the unionid
  bool subscribed = false;
};

// What firing one due schedule does: `decide` (see fireDue) updates the Schedule it is given
// and answers the message to enqueue; the other fields are the caller's, handed back after the
// commit (for metrics).
struct ScheduleFireDecision {
  std::optional<NewMessage> message;  // enqueued in the claim's transaction
  std::optional<int64_t> fireMs;      // the fire acted on (Unix ms), if any
  int64_t missed = 0;                 // fires skipped as misfires
  bool unreachable = false;           // the fire found no way to reach the user
};

enum class ScheduleUpdate { NotFound, Refused, Updated };

class Db;
struct SchedulesSql;

class Schedules {
 public:
  explicit Schedules(Db& db);

  // Stores `schedule` (its id is ignored) unless its unionid already has `maxPerUser`
  // schedules in any state; the count and the insert are one transaction (two requests racing
  // for the last place store one). Returns the stored schedule with its id, or nullopt when
  // the unionid is at its limit.
  std::optional<Schedule> create(const Schedule& schedule, int64_t maxPerUser);
  std::optional<Schedule> find(int64_t id);
  // Up to `limit` schedules of `unionid` with ids above `afterId`, by id (a page of the list).
  std::vector<Schedule> listByUnionid(const std::string& unionid, int64_t afterId, int limit);
  // Changes schedule `id` in one transaction that holds its row: `change` gets the stored
  // schedule and answers the one to store (its next fire recomputed by the caller), or nullopt
  // to refuse the change (nothing is written). `change` may run more than once (lock-race
  // retry) and must not touch the store.
  ScheduleUpdate update(int64_t id,
                        const std::function<std::optional<Schedule>(const Schedule&)>& change);
  // Deletes schedule `id`; false when there is none.
  bool remove(int64_t id);

  // Claims up to `limit` schedules due at nowMs (next_fire_at <= nowMs, earliest first) that no
  // other claimer holds and, in one transaction: calls decide(schedule, recipient) for each,
  // which updates the schedule (next fire, state, counters) and answers what to enqueue; puts
  // the messages into the outbox (a known idempotency key inserts nothing); stores every
  // schedule as decided. Returns the decisions of the committed transaction (fewer than
  // `limit`: nothing else is due). `decide` may run more than once for a schedule (lock-race
  // retry) and must not touch the store.
  std::vector<ScheduleFireDecision> fireDue(
      int64_t nowMs, int limit,
      const std::function<ScheduleFireDecision(Schedule&, const ScheduleRecipient&)>& decide);
  // The earliest next fire of any active schedule, if any.
  std::optional<int64_t> nextFireMs();
  // Schedules per state (states without schedules are absent).
  std::map<ScheduleState, int64_t> countByState();

 private:
  Db& db_;
  const SchedulesSql& sql_;
};

}  // namespace wxb
