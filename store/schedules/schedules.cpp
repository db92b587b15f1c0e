#include "store/schedules/schedules.h"

#include <nlohmann/json.hpp>
#include <span>
#include <unordered_map>

#include "store/db/db.h"
#include "store/notifications/notify_sql.h"

namespace wxb {

// The statements whose SQL differs by dialect.
struct SchedulesSql {
  // The due schedules a pass claims (next_fire_at <= ?, earliest first, LIMIT ?), locked for
  // its transaction: FOR UPDATE SKIP LOCKED on MySQL, so instances pass over each other's
  // rows; SQLite's write transaction has one writer.
  Stmt<int64_t, int> lockDue;
  Stmt<int64_t> lockOne;           // one schedule by id, locked for a PATCH
  Stmt<std::string> countForUser;  // a unionid's schedules, locked against a racing insert
  Stmt<> lastId;
};

namespace {

#define WXB_SCHEDULE_COLUMNS                                                                  \
  "SELECT id, unionid, cron, at_ms, timezone, template, params, channel, starts_at, ends_at," \
  " max_fires, paused, state, next_fire_at, last_fire_at, fires, misfires, unreachable,"      \
  " created_at, updated_at FROM schedules "
#define WXB_DUE WXB_SCHEDULE_COLUMNS "WHERE next_fire_at <= ? ORDER BY next_fire_at LIMIT ?"
#define WXB_COUNT "SELECT COUNT(*) FROM schedules WHERE unionid = ?"
// A nullable column's value: two parameters, whether it is set and the value.
#define WXB_OPT "CASE WHEN ? = 1 THEN ? ELSE NULL END"

const SchedulesSql kSqlite{
    WXB_DUE,
    WXB_SCHEDULE_COLUMNS "WHERE id = ?",
    WXB_COUNT,
    "SELECT last_insert_rowid()",
};
const SchedulesSql kMysql{
    WXB_DUE " FOR UPDATE SKIP LOCKED",
    WXB_SCHEDULE_COLUMNS "WHERE id = ? FOR UPDATE",
    WXB_COUNT " FOR UPDATE",
    "SELECT LAST_INSERT_ID()",
};

const Stmt<int64_t> kById = WXB_SCHEDULE_COLUMNS "WHERE id = ?";
const Stmt<std::string, int64_t, int> kByUnionid =
    WXB_SCHEDULE_COLUMNS "WHERE unionid = ? AND id > ? ORDER BY id LIMIT ?";
// Every stored field, in the order bindSchedule() binds them.
const std::string kInsert =
    "INSERT INTO schedules(unionid, cron, at_ms, timezone, template, params, channel, starts_at,"
    " ends_at, max_fires, paused, state, next_fire_at, last_fire_at, fires, misfires,"
    " unreachable, created_at, updated_at) VALUES(?, ?, " WXB_OPT ", ?, ?, ?, ?, " WXB_OPT
    ", " WXB_OPT ", " WXB_OPT ", ?, ?, " WXB_OPT ", " WXB_OPT ", ?, ?, ?, ?, ?)";
const std::string kUpdate =
    "UPDATE schedules SET unionid = ?, cron = ?, at_ms = " WXB_OPT
    ", timezone = ?, template = ?, params = ?, channel = ?, starts_at = " WXB_OPT
    ", ends_at = " WXB_OPT ", max_fires = " WXB_OPT
    ", paused = ?, state = ?, next_fire_at = " WXB_OPT ", last_fire_at = " WXB_OPT
    ", fires = ?, misfires = ?, unreachable = ?, created_at = ?, updated_at = ? WHERE id = ?";
// What a fire changes. Parameters: state, next fire (set, value), last fire (set, value),
// fires, misfires, unreachable, id.
const Stmt<std::string, bool, int64_t, bool, int64_t, int64_t, int64_t, int64_t, int64_t>
    kSaveFired =
        "UPDATE schedules SET state = ?, next_fire_at = " WXB_OPT ", last_fire_at = " WXB_OPT
        ", fires = ?, misfires = ?, unreachable = ? WHERE id = ?";
const Stmt<int64_t> kDelete = "DELETE FROM schedules WHERE id = ?";
// Without a WHERE: MIN over the next_fire_at index is one index dive (NULLs do not count).
const Stmt<> kNextFire = "SELECT COALESCE(MIN(next_fire_at), -1) FROM schedules";
const Stmt<> kCountByState = "SELECT state, COUNT(*) FROM schedules GROUP BY state";
const InStmt<std::string> kRecipients{
    "SELECT unionid, COALESCE(oa_openid, ''), subscribed FROM accounts WHERE unionid IN ", ""};
constexpr size_t kRecipientListMax = 1024;

#undef WXB_SCHEDULE_COLUMNS
#undef WXB_DUE
#undef WXB_COUNT
#undef WXB_OPT

struct StateCount {
  ScheduleState state;
  int64_t count;
};

struct RecipientRow {
  std::string unionid;
  ScheduleRecipient recipient;
};

std::optional<int64_t> optionalInt(const Row& r, size_t column) {
  if (r.isNull(column)) return std::nullopt;
  return r.int64(column);
}

MessageParams readParams(const std::string& text) {
  auto json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_object()) return {};
  MessageParams params;
  for (const auto& [name, value] : json.items()) {
    if (value.is_string()) params.emplace(name, value.get<std::string>());
  }
  return params;
}

void bindOptional(Params& p, const std::optional<int64_t>& value) {
  p.bindAll<bool, int64_t>(value.has_value(), value.value_or(0));
}

// Binds every stored field of `s` in the column order of kInsert and kUpdate. `paramsJson`
// must outlive the Params (they hold a view of it).
void bindSchedule(Params& p, const Schedule& s, const std::string& paramsJson) {
  p.bindAll<std::string, std::string>(s.unionid, s.cron);
  bindOptional(p, s.atMs);
  p.bindAll<std::string, std::string, std::string, std::string>(s.timezone, s.templateName,
                                                                paramsJson, s.channel);
  bindOptional(p, s.startsAtMs);
  bindOptional(p, s.endsAtMs);
  bindOptional(p, s.maxFires);
  // A view of the name's static text: Params keeps views, so a temporary std::string here would
  // be gone before the statement runs (found by the ASan pass: stack-use-after-scope).
  p.bindAll<bool, std::string>(s.paused, std::string_view(scheduleStateName(s.state)));
  bindOptional(p, s.nextFireMs);
  bindOptional(p, s.lastFireMs);
  p.bindAll<int64_t, int64_t, int64_t, int64_t, int64_t>(s.fires, s.misfires, s.unreachable,
                                                         s.createdAtMs, s.updatedAtMs);
}

}  // namespace

template <>
struct RowReader<Schedule> {
  static Schedule read(const Row& r) {
    Schedule s;
    s.id = r.int64(0);
    s.unionid = r.text(1);
    s.cron = r.text(2);
    s.atMs = optionalInt(r, 3);
    s.timezone = r.text(4);
    s.templateName = r.text(5);
    s.params = readParams(r.text(6));
    s.channel = r.text(7);
    s.startsAtMs = optionalInt(r, 8);
    s.endsAtMs = optionalInt(r, 9);
    s.maxFires = optionalInt(r, 10);
    s.paused = r.boolean(11);
    s.state = parseScheduleState(r.text(12)).value_or(ScheduleState::Finished);
    s.nextFireMs = optionalInt(r, 13);
    s.lastFireMs = optionalInt(r, 14);
    s.fires = r.int64(15);
    s.misfires = r.int64(16);
    s.unreachable = r.int64(17);
    s.createdAtMs = r.int64(18);
    s.updatedAtMs = r.int64(19);
    return s;
  }
};

template <>
struct RowReader<StateCount> {
  static StateCount read(const Row& r) {
    return {parseScheduleState(r.text(0)).value_or(ScheduleState::Finished), r.int64(1)};
  }
};

template <>
struct RowReader<RecipientRow> {
  static RecipientRow read(const Row& r) { return {r.text(0), {r.text(1), r.boolean(2)}}; }
};

namespace {

// Stores every field of `s` (id 0: a new row). Returns the rows changed.
int64_t writeSchedule(Session& session, const Schedule& s, bool insert) {
  const std::string paramsJson = nlohmann::json(s.params).dump();
  Params params;
  bindSchedule(params, s, paramsJson);
  if (!insert) params.bind<int64_t>(s.id);
  return session.execute(insert ? kInsert : kUpdate, params);
}

// The recipients of the due schedules' unionids, by unionid; unknown unionids are absent.
std::unordered_map<std::string, ScheduleRecipient> recipientsOf(Session& session,
                                                                const std::vector<Schedule>& due) {
  std::vector<std::string> unionids;
  for (const auto& s : due) unionids.push_back(s.unionid);
  std::unordered_map<std::string, ScheduleRecipient> found;
  for (size_t at = 0; at < unionids.size(); at += kRecipientListMax) {
    auto chunk = std::span<const std::string>(unionids).subspan(
        at, std::min(kRecipientListMax, unionids.size() - at));
    for (auto& row : session.queryIn<RecipientRow>(kRecipients, chunk,
                                                   inListLength(chunk.size(), kRecipientListMax))) {
      found.emplace(std::move(row.unionid), row.recipient);
    }
  }
  return found;
}

void saveFired(Session& session, const Schedule& s) {
  session.exec(kSaveFired, std::string(scheduleStateName(s.state)), s.nextFireMs.has_value(),
               s.nextFireMs.value_or(0), s.lastFireMs.has_value(), s.lastFireMs.value_or(0),
               s.fires, s.misfires, s.unreachable, s.id);
}

}  // namespace

Schedules::Schedules(Db& db) : db_(db), sql_(db.dialect().pick(kSqlite, kMysql)) {}

std::optional<Schedule> Schedules::create(const Schedule& schedule, int64_t maxPerUser) {
  return db_.transaction([&](Session& s) -> std::optional<Schedule> {
    if (s.queryOne<int64_t>(sql_.countForUser, schedule.unionid).value_or(0) >= maxPerUser) {
      return std::nullopt;
    }
    writeSchedule(s, schedule, true);
    Schedule stored = schedule;
    stored.id = s.queryOne<int64_t>(sql_.lastId).value_or(0);
    if (stored.id <= 0) throw StoreError("schedules: the schedule just stored has no id");
    return stored;
  });
}

std::optional<Schedule> Schedules::find(int64_t id) { return db_.queryOne<Schedule>(kById, id); }

std::vector<Schedule> Schedules::listByUnionid(const std::string& unionid, int64_t afterId,
                                               int limit) {
  return db_.query<Schedule>(kByUnionid, unionid, afterId, limit);
}

ScheduleUpdate Schedules::update(
    int64_t id, const std::function<std::optional<Schedule>(const Schedule&)>& change) {
  return db_.transaction([&](Session& s) {
    auto current = s.queryOne<Schedule>(sql_.lockOne, id);
    if (!current) return ScheduleUpdate::NotFound;
    auto changed = change(*current);
    if (!changed) return ScheduleUpdate::Refused;
    changed->id = id;
    writeSchedule(s, *changed, false);
    return ScheduleUpdate::Updated;
  });
}

bool Schedules::remove(int64_t id) { return db_.exec(kDelete, id) == 1; }

std::vector<ScheduleFireDecision> Schedules::fireDue(
    int64_t nowMs, int limit,
    const std::function<ScheduleFireDecision(Schedule&, const ScheduleRecipient&)>& decide) {
  const auto& outboxSql = db_.dialect().pick(sqliteNotificationsSql(), mysqlNotificationsSql());
  return db_.transaction([&](Session& s) {
    auto due = s.query<Schedule>(sql_.lockDue, nowMs, limit);
    std::vector<ScheduleFireDecision> decisions;
    if (due.empty()) return decisions;
    auto recipients = recipientsOf(s, due);
    std::vector<NewMessage> messages;
    for (auto& schedule : due) {
      auto found = recipients.find(schedule.unionid);
      decisions.push_back(
          decide(schedule, found == recipients.end() ? ScheduleRecipient{} : found->second));
      if (decisions.back().message) messages.push_back(*decisions.back().message);
      saveFired(s, schedule);
    }
    insertMessages(s, outboxSql, messages, nowMs);
    return decisions;
  });
}

std::optional<int64_t> Schedules::nextFireMs() {
  const int64_t next = db_.queryOne<int64_t>(kNextFire).value_or(-1);
  if (next < 0) return std::nullopt;
  return next;
}

std::map<ScheduleState, int64_t> Schedules::countByState() {
  std::map<ScheduleState, int64_t> counts;
  for (const auto& [state, count] : db_.query<StateCount>(kCountByState)) counts[state] += count;
  return counts;
}

}  // namespace wxb
