#include "store/notices/notices.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "store/db/db.h"
#include "store/notifications/notify_sql.h"

namespace wxb {

// The statements of real-time notices whose SQL differs by dialect.
//
// On MySQL every statement that locks rows through an IN list of keys names the primary key
// (FORCE INDEX): MariaDB 10.11 otherwise scans the whole table when it holds few rows for the
// list's length (16 ids and 20 rows, or 64 ids and 200 rows: EXPLAIN type "index"), and such a
// scan locks every row it passes and waits for every uncommitted row it meets. A decision's
// `UPDATE events ... WHERE id IN (64 ids)` planned so at the start of bench/realtime kept
// chasing the intake's new rows at the end of the table for 19 minutes (the livelock of
// docs/benchmarks.md "realtime").
struct NoticesSql {
  // Files users to be decided at max(window_end, due) unless due earlier. Per row: unionid,
  // due, now.
  RowsStmt<std::string, int64_t, int64_t> fileDue;
  // The users due at ? (oldest due first, LIMIT ?): a plain read, the claim's candidates.
  Stmt<int64_t, int> dueCandidates;
  // Of the candidates in the list, those still due at ?, locked for the transaction in unionid
  // order through the primary key: FOR UPDATE SKIP LOCKED on MySQL (a user another instance
  // holds, or an intake is filing, is passed over), SQLite's write transaction has one writer.
  InStmt<std::string, int64_t> lockDue;
  // The windows of the users in the list, locked in unionid order (FOR UPDATE on MySQL).
  InStmt<std::string> lockWindows;
  // Sets the marker ? on the events of the list (by id).
  InStmt<int64_t, int64_t> markEvents;
  // The digest: the held events of the list (by id) count as announced by it.
  InStmt<int64_t> digestAnnounced;
  // Closes open windows at ? and has the users decided again at once (held events that
  // arrived later, if any, then fall due; otherwise the decision finds nothing and clears
  // due_at). Parameters: now four times, then the unionids.
  InStmt<std::string, int64_t, int64_t, int64_t, int64_t> digestCloses;
  // Direct messages (by id) quiet hours hold, due at ? instead: due, now, now, then the ids.
  InStmt<int64_t, int64_t, int64_t, int64_t> refileMessages;
  // Replaces a user's preferences whole: unionid, timezone, quiet_hours, muted_types, digest,
  // now. An absent field is bound as its sentinel ('*' or -1, never a valid value), stored NULL.
  Stmt<std::string, std::string, std::string, std::string, int64_t, int64_t> setPrefs;
  // Writes decided windows (rows the claim holds). Per row: unionid, window_end, notices,
  // due_at (-1 for NULL), now.
  RowsStmt<std::string, int64_t, int64_t, int64_t, int64_t> setWindows;
};

namespace {

#define WXB_FILE_DUE "INSERT INTO notice_windows(unionid, due_at, updated_at) VALUES", "(?, ?, ?)"
#define WXB_DUE_CANDIDATES \
  "SELECT unionid FROM notice_windows WHERE due_at <= ? ORDER BY due_at LIMIT ?"
#define WXB_LOCK_DUE(BY_KEY)                                               \
  "SELECT unionid, window_end, notices, due_at FROM notice_windows" BY_KEY \
  " WHERE due_at <= ?"                                                     \
  " AND unionid IN "
#define WXB_LOCK_WINDOWS(BY_KEY) "SELECT unionid FROM notice_windows" BY_KEY " WHERE unionid IN "
#define WXB_MARK_EVENTS(BY_KEY) \
  { "UPDATE events" BY_KEY " SET notice = ? WHERE id IN ", "" }
#define WXB_DIGEST_ANNOUNCED(BY_KEY) \
  { "UPDATE events" BY_KEY " SET notice = -3 WHERE notice = 0 AND id IN ", "" }
#define WXB_DIGEST_CLOSES(BY_KEY)                                                             \
  {                                                                                           \
    "UPDATE notice_windows" BY_KEY                                                            \
    " SET window_end = CASE WHEN window_end > ? THEN ? ELSE"                                  \
    " window_end END, due_at = CASE WHEN due_at IS NULL THEN NULL ELSE ? END, updated_at = ?" \
    " WHERE unionid IN ",                                                                     \
        ""                                                                                    \
  }
#define WXB_REFILE_MESSAGES(BY_KEY)                               \
  {                                                               \
    "UPDATE outbox" BY_KEY                                        \
    " SET due_at = ?, updated_at = ? WHERE state = 'pending' AND" \
    " attempts = 0 AND due_at > ? AND id IN ",                    \
        ""                                                        \
  }
#define WXB_MYSQL_BY_KEY " FORCE INDEX (PRIMARY)"
#define WXB_SET_WINDOWS                                                                  \
  "INSERT INTO notice_windows(unionid, window_end, notices, due_at, updated_at) VALUES", \
      "(?, ?, ?, NULLIF(?, -1), ?)"
#define WXB_SET_PREFS                                                                        \
  "INSERT INTO preferences(unionid, timezone, quiet_hours, muted_types, digest, updated_at)" \
  " VALUES(?, NULLIF(?, '*'), NULLIF(?, '*'), NULLIF(?, '*'), NULLIF(?, -1), ?)"

const NoticesSql kSqlite{
    {WXB_FILE_DUE,
     " ON CONFLICT(unionid) DO UPDATE SET due_at = MIN(COALESCE(due_at, MAX(window_end,"
     " excluded.due_at)), MAX(window_end, excluded.due_at)), updated_at = excluded.updated_at"},
    WXB_DUE_CANDIDATES,
    {WXB_LOCK_DUE(""), " ORDER BY unionid"},
    {WXB_LOCK_WINDOWS(""), " ORDER BY unionid"},
    WXB_MARK_EVENTS(""),
    WXB_DIGEST_ANNOUNCED(""),
    WXB_DIGEST_CLOSES(""),
    WXB_REFILE_MESSAGES(""),
    WXB_SET_PREFS
    " ON CONFLICT(unionid) DO UPDATE SET timezone = excluded.timezone, quiet_hours ="
    " excluded.quiet_hours, muted_types = excluded.muted_types, digest = excluded.digest,"
    " updated_at = excluded.updated_at",
    {WXB_SET_WINDOWS,
     " ON CONFLICT(unionid) DO UPDATE SET window_end = excluded.window_end, notices ="
     " excluded.notices, due_at = excluded.due_at, updated_at = excluded.updated_at"},
};

const NoticesSql kMysql{
    {WXB_FILE_DUE,
     " ON DUPLICATE KEY UPDATE due_at = LEAST(COALESCE(due_at, GREATEST(window_end,"
     " VALUES(due_at))), GREATEST(window_end, VALUES(due_at))), updated_at = VALUES(updated_at)"},
    WXB_DUE_CANDIDATES,
    {WXB_LOCK_DUE(WXB_MYSQL_BY_KEY), " ORDER BY unionid FOR UPDATE SKIP LOCKED"},
    {WXB_LOCK_WINDOWS(WXB_MYSQL_BY_KEY), " ORDER BY unionid FOR UPDATE"},
    WXB_MARK_EVENTS(WXB_MYSQL_BY_KEY),
    WXB_DIGEST_ANNOUNCED(WXB_MYSQL_BY_KEY),
    WXB_DIGEST_CLOSES(WXB_MYSQL_BY_KEY),
    WXB_REFILE_MESSAGES(WXB_MYSQL_BY_KEY),
    WXB_SET_PREFS
    " ON DUPLICATE KEY UPDATE timezone = VALUES(timezone), quiet_hours = VALUES(quiet_hours),"
    " muted_types = VALUES(muted_types), digest = VALUES(digest), updated_at ="
    " VALUES(updated_at)",
    {WXB_SET_WINDOWS,
     " ON DUPLICATE KEY UPDATE window_end = VALUES(window_end), notices = VALUES(notices),"
     " due_at = VALUES(due_at), updated_at = VALUES(updated_at)"},
};

#undef WXB_FILE_DUE
#undef WXB_DUE_CANDIDATES
#undef WXB_LOCK_DUE
#undef WXB_LOCK_WINDOWS
#undef WXB_MARK_EVENTS
#undef WXB_DIGEST_ANNOUNCED
#undef WXB_DIGEST_CLOSES
#undef WXB_REFILE_MESSAGES
#undef WXB_MYSQL_BY_KEY
#undef WXB_SET_PREFS
#undef WXB_SET_WINDOWS

const Stmt<std::string> kWindow =
    "SELECT unionid, window_end, notices, due_at FROM notice_windows WHERE unionid = ?";
// What a decision reads about the users in the list, each in one query for all of them.
const InStmt<std::string> kHeldIn{
    "SELECT unionid, id, type, actor, text, created_at, read_at FROM events WHERE notice = 0"
    " AND unionid IN ",
    " ORDER BY id"};
const InStmt<std::string> kUnreadIn{
    "SELECT unionid, type, COUNT(*) FROM events WHERE read_at = 0 AND unionid IN ",
    " GROUP BY unionid, type ORDER BY unionid, type"};
const InStmt<std::string> kFollowerIn{
    "SELECT unionid, oa_openid, subscribed FROM accounts WHERE unionid IN ", ""};
// The stored event ids of the list (an intake batch's known events).
const InStmt<std::string> kKnownEvents{"SELECT event_id FROM events WHERE event_id IN ", ""};
const Stmt<std::string> kPrefs =
    "SELECT timezone, quiet_hours, muted_types, digest FROM preferences WHERE unionid = ?";
const InStmt<std::string> kPrefsIn{
    "SELECT unionid, timezone, quiet_hours, muted_types, digest FROM preferences WHERE unionid"
    " IN ",
    ""};
const Stmt<int64_t, int64_t, std::string> kPutOff =
    "UPDATE notice_windows SET due_at = ?, updated_at = ? WHERE unionid = ?";
const InStmt<std::string> kKnownKeys{"SELECT idempotency_key FROM outbox WHERE idempotency_key IN ",
                                     ""};
// The held events of the users in the list (a plain read: no locks).
const InStmt<std::string> kHeldIds{
    "SELECT unionid, id FROM events WHERE notice = 0 AND unionid IN ", ""};

// A changed preference re-files what the old one held (docs/notify.md "Changing preferences"):
// the user's pending decision falls due at once (the engine then applies the new preferences,
// as `wxbridge notice --dry-run` does), and so does every direct message quiet hours hold -
// pending, never tried, due later - at ? (the end of the new quiet hours, or now). Found by a
// plain read first, so that the update locks those rows only, by id.
const Stmt<int64_t, int64_t, std::string, int64_t> kRefileDecision =
    "UPDATE notice_windows SET due_at = ?, updated_at = ? WHERE unionid = ? AND due_at > ?";
const Stmt<std::string, int64_t> kHeldMessages =
    "SELECT id FROM outbox WHERE state = 'pending' AND unionid = ? AND due_at > ?"
    " AND attempts = 0 AND ambiguous_since = 0 AND idempotency_key LIKE 'api:%'";

constexpr size_t kMaxInList = 256;
constexpr const char* kUnset = "*";

// Calls fn(chunk, IN list length) for each run of up to kMaxInList values of `values`.
template <typename Values, typename Fn>
void forChunks(const Values& values, Fn&& fn) {
  auto all = std::span(values);
  for (size_t at = 0; at < all.size(); at += kMaxInList) {
    auto chunk = all.subspan(at, std::min(kMaxInList, all.size() - at));
    fn(chunk, inListLength(chunk.size(), kMaxInList));
  }
}

struct WindowRow {
  std::string unionid;
  NoticeWindow window;
  std::optional<int64_t> dueAtMs;
};

struct FollowerRow {
  std::string oaOpenid;
  bool subscribed = false;
};

std::vector<std::string> splitTypes(const std::string& joined) {
  std::vector<std::string> types;
  for (size_t at = 0; at < joined.size();) {
    size_t comma = joined.find(',', at);
    if (comma == std::string::npos) comma = joined.size();
    if (comma > at) types.push_back(joined.substr(at, comma - at));
    at = comma + 1;
  }
  return types;
}

std::string joinTypes(const std::vector<std::string>& types) {
  std::string joined;
  for (const auto& t : types) joined += (joined.empty() ? "" : ",") + t;
  return joined;
}

}  // namespace

template <>
struct RowReader<WindowRow> {
  static WindowRow read(const Row& r) {
    WindowRow row{r.text(0), {r.int64(1), r.int64(2)}, std::nullopt};
    if (!r.isNull(3)) row.dueAtMs = r.int64(3);
    return row;
  }
};

template <>
struct RowReader<PendingEvent> {
  static PendingEvent read(const Row& r) {
    return {r.int64(0), r.text(1), r.text(2), r.text(3), r.int64(4), r.int64(5)};
  }
};

template <>
struct RowReader<TypeCount> {
  static TypeCount read(const Row& r) { return {r.text(0), r.int64(1)}; }
};

template <>
struct RowReader<FollowerRow> {
  static FollowerRow read(const Row& r) { return {r.text(0), r.boolean(1)}; }
};

namespace {

// A row of T after a leading unionid column: what the reads of several users return.
template <typename T>
struct Keyed {
  std::string unionid;
  T value;
};

// `row` without its first column, for T's own reader.
class ShiftedRow : public Row {
 public:
  explicit ShiftedRow(const Row& row) : row_(row) {}
  int64_t int64(size_t column) const override { return row_.int64(column + 1); }
  std::string text(size_t column) const override { return row_.text(column + 1); }
  bool isNull(size_t column) const override { return row_.isNull(column + 1); }

 private:
  const Row& row_;
};

}  // namespace

template <>
struct RowReader<Preferences> {
  // Columns: timezone, quiet_hours, muted_types, digest.
  static Preferences read(const Row& r) {
    Preferences p;
    if (!r.isNull(0)) p.timezone = r.text(0);
    if (!r.isNull(1)) p.quietHours = r.text(1);
    if (!r.isNull(2)) p.mutedTypes = splitTypes(r.text(2));
    if (!r.isNull(3)) p.digest = r.boolean(3);
    return p;
  }
};

template <typename T>
struct RowReader<Keyed<T>> {
  static Keyed<T> read(const Row& r) { return {r.text(0), RowReader<T>::read(ShiftedRow(r))}; }
};

namespace {

// Everything decide() needs about the users of `rows` (at most kMaxInList), on the claim's
// connection: four queries however many users.
std::vector<NoticeUser> loadUsers(Session& s, std::span<const WindowRow> rows) {
  std::vector<NoticeUser> users(rows.size());
  if (rows.empty()) return users;
  std::map<std::string, NoticeUser*> byId;
  std::vector<std::string> ids;
  for (size_t i = 0; i < rows.size(); ++i) {
    users[i].unionid = rows[i].unionid;
    users[i].window = rows[i].window;
    users[i].dueAtMs = rows[i].dueAtMs;
    byId[rows[i].unionid] = &users[i];
    ids.push_back(rows[i].unionid);
  }
  const auto list = std::span<const std::string>(ids);
  const size_t length = inListLength(ids.size(), kMaxInList);
  // The unread counts before the held events: under the claim no held event can be added, and
  // a read in between only takes one away, so every held event still unread is counted
  // ({{unread}} >= {{total}}, notify/notice_engine.cpp).
  for (auto& c : s.queryIn<Keyed<TypeCount>>(kUnreadIn, list, length)) {
    byId.at(c.unionid)->unread.push_back(std::move(c.value));
  }
  for (auto& e : s.queryIn<Keyed<PendingEvent>>(kHeldIn, list, length)) {
    byId.at(e.unionid)->held.push_back(std::move(e.value));
  }
  for (auto& p : s.queryIn<Keyed<Preferences>>(kPrefsIn, list, length)) {
    byId.at(p.unionid)->preferences = std::move(p.value);
  }
  for (auto& f : s.queryIn<Keyed<FollowerRow>>(kFollowerIn, list, length)) {
    byId.at(f.unionid)->oaOpenid = f.value.oaOpenid;
    byId.at(f.unionid)->subscribed = f.value.subscribed;
  }
  return users;
}

// Sets each event's marker, one UPDATE per marker and IN list.
void markEvents(Session& s, const NoticesSql& sql,
                const std::vector<std::pair<int64_t, int64_t>>& marks) {
  std::map<int64_t, std::vector<int64_t>> byMarker;
  for (const auto& [id, marker] : marks) byMarker[marker].push_back(id);
  for (const auto& [marker, ids] : byMarker) {
    forChunks(ids,
              [&](auto chunk, size_t length) { s.execIn(sql.markEvents, chunk, length, marker); });
  }
}

// Runs fn(); a failure is the user's alone, except a lost lock race or connection, which end
// the claim (the transaction is gone or runs again). Returns the failure's reason, if any.
template <typename Fn>
std::optional<std::string> userFailure(Fn&& fn) {
  try {
    fn();
    return std::nullopt;
  } catch (const LockConflict&) {
    throw;
  } catch (const StoreUnavailable&) {
    throw;
  } catch (const std::exception& e) {
    return std::string(e.what());
  }
}

// The claimed users read in one go; when that fails (not a lock race or a lost connection),
// user by user, so that one user's failure is theirs alone (nullopt and the reason in `failed`).
std::vector<std::optional<NoticeUser>> loadClaimed(Session& s, std::span<const WindowRow> rows,
                                                   std::vector<std::string>& failed) {
  std::vector<std::optional<NoticeUser>> users(rows.size());
  failed.assign(rows.size(), "");
  auto together = userFailure([&] {
    auto loaded = loadUsers(s, rows);
    for (size_t i = 0; i < rows.size(); ++i) users[i] = std::move(loaded[i]);
  });
  if (!together) return users;
  for (size_t i = 0; i < rows.size(); ++i) {
    auto alone = userFailure([&] { users[i] = std::move(loadUsers(s, rows.subspan(i, 1))[0]); });
    if (alone) failed[i] = *alone;
  }
  return users;
}

// Claims up to `limit` users due at nowMs: the oldest due found by a plain read, then those of
// them still due locked through the primary key in unionid order, passing over the locked ones.
std::vector<WindowRow> claimDue(Session& s, const NoticesSql& sql, int64_t nowMs, int limit) {
  const auto candidates = s.query<std::string>(sql.dueCandidates, nowMs, limit);
  if (candidates.empty()) return {};
  return s.queryIn<WindowRow>(sql.lockDue, std::span(candidates),
                              inListLength(candidates.size(), kMaxInList), nowMs);
}

// Writes the decisions of one claim: the messages, the events' markers, the windows.
void writeDecisions(Session& s, const NoticesSql& sql, const NotificationsSql& outbox,
                    const DueDecisions& done, int64_t nowMs) {
  std::vector<NewMessage> messages;
  std::vector<std::pair<int64_t, int64_t>> marks;
  for (const auto& [user, d] : done.decided) {
    if (d.message) messages.push_back(*d.message);
    marks.insert(marks.end(), d.marks.begin(), d.marks.end());
  }
  insertMessages(s, outbox, messages, nowMs);
  markEvents(s, sql, marks);
  s.insertRows(sql.setWindows, std::span(done.decided), [&](const auto& decided) {
    const NoticeDecision& d = decided.second;
    return std::tuple<const std::string&, int64_t, int64_t, int64_t, int64_t>(
        decided.first.unionid, d.window.endMs, d.window.notices, d.dueAtMs.value_or(-1), nowMs);
  });
}

}  // namespace

Notices::Notices(Db& db)
    : db_(db),
      sql_(db.dialect().pick(kSqlite, kMysql)),
      intake_([this](std::span<const NotifyEvent> batch) { return addHeldEvents(batch); },
              kIntakeRuns, kMaxInList) {}

bool Notices::addHeldEvent(const NotifyEvent& event) {
  try {
    return intake_.call(event);
  } catch (const LockConflict&) {
    // The batch lost its lock races kLockTries times and stored nothing: this event alone.
    return addHeldEvents(std::span(&event, 1)).front();
  }
}

std::vector<bool> Notices::addHeldEvents(std::span<const NotifyEvent> batch) {
  const NotificationsSql& events =
      db_.dialect().pick(sqliteNotificationsSql(), mysqlNotificationsSql());
  // READ COMMITTED: see "Locks" in the header comment.
  return db_.readCommittedTransaction([&](Session& s) {
    std::vector<std::string> ids;
    for (const auto& e : batch) ids.push_back(e.eventId);
    std::set<std::string> seen;
    forChunks(ids, [&](auto chunk, size_t length) {
      for (auto& id : s.queryIn<std::string>(kKnownEvents, chunk, length)) seen.insert(id);
    });
    // The first of repeated ids in the batch is stored, the others are its duplicates.
    std::vector<bool> stored(batch.size(), false);
    std::vector<NotifyEvent> fresh;
    std::map<std::string, int64_t> due;  // unionid -> the earliest arrival
    for (size_t i = 0; i < batch.size(); ++i) {
      if (!seen.insert(batch[i].eventId).second) continue;
      stored[i] = true;
      fresh.push_back(batch[i]);
      auto [at, added] = due.emplace(batch[i].unionid, batch[i].createdAtMs);
      if (!added) at->second = std::min(at->second, batch[i].createdAtMs);
    }
    // The users' windows first, in unionid order, then the events: the order of every writer
    // of held events (see "Locks" in the header comment).
    std::vector<std::tuple<std::string, int64_t>> rows(due.begin(), due.end());
    s.insertRows(sql_.fileDue, std::span<const std::tuple<std::string, int64_t>>(rows),
                 [](const auto& r) {
                   const auto& [unionid, at] = r;
                   return std::tuple<const std::string&, int64_t, int64_t>(unionid, at, at);
                 });
    if (insertEvents(s, events, fresh, kEventHeld) != static_cast<int64_t>(fresh.size())) {
      // Another instance stored one of these ids since the read: the run reads again.
      throw LockConflict("an event id of the batch was stored concurrently");
    }
    return stored;
  });
}

DueDecisions Notices::decideDue(int64_t nowMs, int limit,
                                const std::function<NoticeDecision(const NoticeUser&)>& decide) {
  const NotificationsSql& outbox =
      db_.dialect().pick(sqliteNotificationsSql(), mysqlNotificationsSql());
  limit = std::clamp(limit, 1, static_cast<int>(kMaxInList));
  // READ COMMITTED: see "Locks" in the header comment.
  return db_.readCommittedTransaction([&](Session& s) {
    DueDecisions done;
    const auto rows = claimDue(s, sql_, nowMs, limit);
    std::vector<std::string> failed;
    auto users = loadClaimed(s, rows, failed);
    for (size_t i = 0; i < rows.size(); ++i) {
      std::optional<NoticeDecision> d;
      if (users[i] && failed[i].empty()) {
        if (auto why = userFailure([&] { d = decide(*users[i]); })) failed[i] = *why;
      }
      if (!d) {
        s.exec(kPutOff, nowMs + kFailedRetryMs, nowMs, rows[i].unionid);
        done.failed.push_back({rows[i].unionid, failed[i]});
        continue;
      }
      done.decided.emplace_back(std::move(*users[i]), std::move(*d));
    }
    writeDecisions(s, sql_, outbox, done, nowMs);
    return done;
  });
}

std::optional<int64_t> Notices::nextDueMs() {
  // Without a WHERE (MIN skips NULLs): one dive into the due_at index. With `WHERE due_at IS
  // NOT NULL` MariaDB 10.11 reads every due user's index entry, on every pass of every
  // instance's notice thread.
  static const Stmt<> kNextDue = "SELECT COALESCE(MIN(due_at), -1) FROM notice_windows";
  auto next = db_.queryOne<int64_t>(kNextDue);
  if (!next || *next < 0) return std::nullopt;
  return next;
}

NoticeUser Notices::user(const std::string& unionid) {
  return db_.session([&](Session& s) {
    const WindowRow row =
        s.queryOne<WindowRow>(kWindow, unionid).value_or(WindowRow{unionid, {}, std::nullopt});
    return loadUsers(s, std::span(&row, 1)).front();
  });
}

namespace {

// Of `messages`, those whose idempotency key the outbox does not hold yet.
std::vector<NewMessage> newMessages(Session& s, std::span<const NewMessage> messages) {
  std::vector<std::string> keys;
  for (const auto& m : messages) keys.push_back(m.idempotencyKey);
  std::set<std::string> known;
  forChunks(keys, [&](auto chunk, size_t length) {
    for (auto& key : s.queryIn<std::string>(kKnownKeys, chunk, length))
      known.insert(std::move(key));
  });
  std::vector<NewMessage> fresh;
  for (const auto& m : messages) {
    if (!known.count(m.idempotencyKey)) fresh.push_back(m);
  }
  return fresh;
}

}  // namespace

int64_t Notices::enqueueDigest(std::span<const NewMessage> messages,
                               const std::map<std::string, int64_t>& heldUpTo, int64_t nowMs) {
  if (messages.empty()) return 0;
  const NotificationsSql& outbox =
      db_.dialect().pick(sqliteNotificationsSql(), mysqlNotificationsSql());
  // READ COMMITTED: see "Locks" in the header comment.
  return db_.readCommittedTransaction([&](Session& s) {
    // Only a digest message this call stores reaches its user: a resumed run leaves alone the
    // users it had reached before (and their events held since).
    const std::vector<NewMessage> fresh = newMessages(s, messages);
    std::vector<std::string> unionids;
    for (const auto& m : fresh) unionids.push_back(m.unionid);
    const int64_t created = insertMessages(s, outbox, fresh, nowMs);
    // Windows before events, as the notice engine (decideDue) takes them: no lock cycle.
    forChunks(unionids, [&](auto chunk, size_t length) {
      s.queryIn<std::string>(sql_.lockWindows, chunk, length);
    });
    // Up to the highest held id the message counted, never by time: a held event the digest's
    // read missed (committed after it) has a larger id - see "The digest" in the header.
    std::vector<int64_t> announced;
    forChunks(unionids, [&](auto chunk, size_t length) {
      for (const auto& held : s.queryIn<Keyed<int64_t>>(kHeldIds, chunk, length)) {
        auto bound = heldUpTo.find(held.unionid);
        if (bound != heldUpTo.end() && held.value <= bound->second) announced.push_back(held.value);
      }
    });
    forChunks(announced,
              [&](auto chunk, size_t length) { s.execIn(sql_.digestAnnounced, chunk, length); });
    forChunks(unionids, [&](auto chunk, size_t length) {
      s.execIn(sql_.digestCloses, chunk, length, nowMs, nowMs, nowMs, nowMs);
    });
    return created;
  });
}

std::optional<Preferences> Notices::preferences(const std::string& unionid) {
  return db_.queryOne<Preferences>(kPrefs, unionid);
}

std::map<std::string, Preferences> Notices::preferencesOf(std::span<const std::string> unionids) {
  std::map<std::string, Preferences> found;
  if (unionids.empty()) return found;
  db_.session([&](Session& s) {
    forChunks(unionids, [&](auto chunk, size_t length) {
      for (auto& row : s.queryIn<Keyed<Preferences>>(kPrefsIn, chunk, length)) {
        found.emplace(std::move(row.unionid), std::move(row.value));
      }
    });
  });
  return found;
}

void Notices::setPreferences(const std::string& unionid, const Preferences& p, int64_t nowMs,
                             std::optional<int64_t> heldUntilMs) {
  const std::string muted = p.mutedTypes ? joinTypes(*p.mutedTypes) : kUnset;
  const int64_t until = heldUntilMs.value_or(nowMs);
  db_.transaction([&](Session& s) {
    s.exec(sql_.setPrefs, unionid, p.timezone.value_or(kUnset), p.quietHours.value_or(kUnset),
           muted, p.digest ? int64_t{*p.digest} : int64_t{-1}, nowMs);
    s.exec(kRefileDecision, nowMs, nowMs, unionid, nowMs);
    const auto held = s.query<int64_t>(kHeldMessages, unionid, nowMs);
    forChunks(held, [&](auto chunk, size_t length) {
      s.execIn(sql_.refileMessages, chunk, length, until, nowMs, nowMs);
    });
  });
}

}  // namespace wxb
