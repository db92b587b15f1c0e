#include "store/notices/notices.h"

#include <map>
#include <set>
#include <variant>

#include "store/db/db.h"
#include "store/notifications/notify_sql.h"

namespace wxb {

// The statements of real-time notices whose SQL differs by dialect.
struct NoticesSql {
  // Files a user to be decided at max(window_end, ?) unless due earlier: unionid, due, now.
  Stmt<std::string, int64_t, int64_t> fileDue;
  // The users due at ? (oldest first, LIMIT ?), locked for the transaction: FOR UPDATE SKIP
  // LOCKED on MySQL, SQLite's write transaction has one writer.
  Stmt<int64_t, int> lockDue;
  // The windows of the users in the list, locked in unionid order (FOR UPDATE on MySQL).
  InStmt<std::string> lockWindows;
  // Replaces a user's preferences whole: unionid, timezone, quiet_hours, muted_types, digest,
  // now. An absent field is bound as its sentinel ('*' or -1, never a valid value), stored NULL.
  Stmt<std::string, std::string, std::string, std::string, int64_t, int64_t> setPrefs;
};

namespace {

#define WXB_FILE_DUE "INSERT INTO notice_windows(unionid, due_at, updated_at) VALUES(?, ?, ?)"
#define WXB_LOCK_DUE                                                                  \
  "SELECT unionid, window_end, notices, due_at FROM notice_windows WHERE due_at <= ?" \
  " ORDER BY due_at LIMIT ?"

#define WXB_LOCK_WINDOWS "SELECT unionid FROM notice_windows WHERE unionid IN "
#define WXB_SET_PREFS                                                                        \
  "INSERT INTO preferences(unionid, timezone, quiet_hours, muted_types, digest, updated_at)" \
  " VALUES(?, NULLIF(?, '*'), NULLIF(?, '*'), NULLIF(?, '*'), NULLIF(?, -1), ?)"

const NoticesSql kSqlite{
    WXB_FILE_DUE
    " ON CONFLICT(unionid) DO UPDATE SET due_at = MIN(COALESCE(due_at, MAX(window_end,"
    " excluded.due_at)), MAX(window_end, excluded.due_at)), updated_at = excluded.updated_at",
    WXB_LOCK_DUE,
    {WXB_LOCK_WINDOWS, " ORDER BY unionid"},
    WXB_SET_PREFS
    " ON CONFLICT(unionid) DO UPDATE SET timezone = excluded.timezone, quiet_hours ="
    " excluded.quiet_hours, muted_types = excluded.muted_types, digest = excluded.digest,"
    " updated_at = excluded.updated_at",
};

const NoticesSql kMysql{
    WXB_FILE_DUE
    " ON DUPLICATE KEY UPDATE due_at = LEAST(COALESCE(due_at, GREATEST(window_end,"
    " VALUES(due_at))), GREATEST(window_end, VALUES(due_at))), updated_at = VALUES(updated_at)",
    WXB_LOCK_DUE " FOR UPDATE SKIP LOCKED",
    {WXB_LOCK_WINDOWS, " ORDER BY unionid FOR UPDATE"},
    WXB_SET_PREFS
    " ON DUPLICATE KEY UPDATE timezone = VALUES(timezone), quiet_hours = VALUES(quiet_hours),"
    " muted_types = VALUES(muted_types), digest = VALUES(digest), updated_at ="
    " VALUES(updated_at)",
};

#undef WXB_FILE_DUE
#undef WXB_LOCK_DUE
#undef WXB_LOCK_WINDOWS
#undef WXB_SET_PREFS

const Stmt<std::string> kWindow =
    "SELECT unionid, window_end, notices, due_at FROM notice_windows WHERE unionid = ?";
const Stmt<std::string> kHeld =
    "SELECT id, type, actor, text, created_at, read_at FROM events WHERE unionid = ?"
    " AND notice = 0 ORDER BY id";
const Stmt<std::string> kUnread =
    "SELECT type, COUNT(*) FROM events WHERE read_at = 0 AND unionid = ? GROUP BY type"
    " ORDER BY type";
const Stmt<std::string> kFollower = "SELECT oa_openid, subscribed FROM accounts WHERE unionid = ?";
const Stmt<std::string> kPrefs =
    "SELECT timezone, quiet_hours, muted_types, digest FROM preferences WHERE unionid = ?";
const InStmt<std::string> kPrefsIn{
    "SELECT unionid, timezone, quiet_hours, muted_types, digest FROM preferences WHERE unionid"
    " IN ",
    ""};
const Stmt<int64_t, int64_t, int64_t, int64_t, std::string> kSetWindow =
    "UPDATE notice_windows SET window_end = ?, notices = ?, due_at = NULLIF(?, -1),"
    " updated_at = ? WHERE unionid = ?";
const Stmt<int64_t, int64_t, std::string> kPutOff =
    "UPDATE notice_windows SET due_at = ?, updated_at = ? WHERE unionid = ?";
const InStmt<int64_t, int64_t> kMarkEvents{"UPDATE events SET notice = ? WHERE id IN ", ""};
const InStmt<std::string> kKnownKeys{"SELECT idempotency_key FROM outbox WHERE idempotency_key IN ",
                                     ""};
// The held events of the users in the list created at or before ? (a plain read: no locks).
const InStmt<std::string, int64_t> kHeldUpTo{
    "SELECT id FROM events WHERE notice = 0 AND created_at <= ? AND unionid IN ", ""};
// By id, not by a range of users: the digest locks only the events it announces (a range would
// lock an event a concurrent intake is adding, while that intake waits for the user's window).
const InStmt<int64_t> kDigestAnnounced{"UPDATE events SET notice = -3 WHERE notice = 0 AND id IN ",
                                       ""};
// Closes open windows at ? and has the users decided again at once (held events that arrived
// later, if any, then fall due; otherwise the decision finds nothing and clears due_at).
const InStmt<std::string, int64_t, int64_t, int64_t, int64_t> kDigestCloses{
    "UPDATE notice_windows SET window_end = CASE WHEN window_end > ? THEN ? ELSE window_end END,"
    " due_at = CASE WHEN due_at IS NULL THEN NULL ELSE ? END, updated_at = ? WHERE unionid IN ",
    ""};

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
const InStmt<int64_t, int64_t, int64_t, int64_t> kRefileMessages{
    "UPDATE outbox SET due_at = ?, updated_at = ? WHERE state = 'pending' AND attempts = 0"
    " AND due_at > ? AND id IN ",
    ""};

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

// The preferences in columns from..from+3 (timezone, quiet_hours, muted_types, digest).
Preferences readPreferences(const Row& r, size_t from) {
  Preferences p;
  if (!r.isNull(from)) p.timezone = r.text(from);
  if (!r.isNull(from + 1)) p.quietHours = r.text(from + 1);
  if (!r.isNull(from + 2)) p.mutedTypes = splitTypes(r.text(from + 2));
  if (!r.isNull(from + 3)) p.digest = r.boolean(from + 3);
  return p;
}

}  // namespace

template <>
struct RowReader<Preferences> {
  static Preferences read(const Row& r) { return readPreferences(r, 0); }
};

template <>
struct RowReader<std::pair<std::string, Preferences>> {
  static std::pair<std::string, Preferences> read(const Row& r) {
    return {r.text(0), readPreferences(r, 1)};
  }
};

namespace {

// Everything decide() needs about the user of `row`, on the claim's connection.
NoticeUser loadUser(Session& s, const WindowRow& row) {
  NoticeUser user;
  user.unionid = row.unionid;
  user.window = row.window;
  user.dueAtMs = row.dueAtMs;
  user.held = s.query<PendingEvent>(kHeld, row.unionid);
  if (auto prefs = s.queryOne<Preferences>(kPrefs, row.unionid)) user.preferences = *prefs;
  user.unread = s.query<TypeCount>(kUnread, row.unionid);
  if (auto follower = s.queryOne<FollowerRow>(kFollower, row.unionid)) {
    user.oaOpenid = follower->oaOpenid;
    user.subscribed = follower->subscribed;
  }
  return user;
}

// Sets each event's marker, one UPDATE per marker and IN list.
void markEvents(Session& s, const std::vector<std::pair<int64_t, int64_t>>& marks) {
  std::map<int64_t, std::vector<int64_t>> byMarker;
  for (const auto& [id, marker] : marks) byMarker[marker].push_back(id);
  for (const auto& [marker, ids] : byMarker) {
    forChunks(ids,
              [&](auto chunk, size_t length) { s.execIn(kMarkEvents, chunk, length, marker); });
  }
}

// Reads the user of `row` and decides; a failure of either is the user's alone, except a lost
// lock race or connection, which end the claim (the transaction is gone or runs again).
std::variant<std::pair<NoticeUser, NoticeDecision>, FailedDecision> decideOne(
    Session& s, const WindowRow& row,
    const std::function<NoticeDecision(const NoticeUser&)>& decide) {
  try {
    NoticeUser user = loadUser(s, row);
    NoticeDecision d = decide(user);
    return std::pair{std::move(user), std::move(d)};
  } catch (const LockConflict&) {
    throw;
  } catch (const StoreUnavailable&) {
    throw;
  } catch (const std::exception& e) {
    return FailedDecision{row.unionid, e.what()};
  }
}

}  // namespace

Notices::Notices(Db& db) : db_(db), sql_(db.dialect().pick(kSqlite, kMysql)) {}

bool Notices::addHeldEvent(const NotifyEvent& e) {
  const NotificationsSql& events =
      db_.dialect().pick(sqliteNotificationsSql(), mysqlNotificationsSql());
  return db_.transaction([&](Session& s) {
    if (s.exec(events.addEvent, e.eventId, e.unionid, e.type, e.actor, e.text, e.createdAtMs,
               kEventHeld) != 1) {
      return false;
    }
    s.exec(sql_.fileDue, e.unionid, e.createdAtMs, e.createdAtMs);
    return true;
  });
}

DueDecisions Notices::decideDue(int64_t nowMs, int limit,
                                const std::function<NoticeDecision(const NoticeUser&)>& decide) {
  const NotificationsSql& outbox =
      db_.dialect().pick(sqliteNotificationsSql(), mysqlNotificationsSql());
  return db_.transaction([&](Session& s) {
    DueDecisions done;
    for (const WindowRow& row : s.query<WindowRow>(sql_.lockDue, nowMs, limit)) {
      auto decided = decideOne(s, row, decide);
      if (auto* failed = std::get_if<FailedDecision>(&decided)) {
        s.exec(kPutOff, nowMs + kFailedRetryMs, nowMs, row.unionid);
        done.failed.push_back(std::move(*failed));
        continue;
      }
      auto& [user, d] = std::get<std::pair<NoticeUser, NoticeDecision>>(decided);
      if (d.message) insertMessages(s, outbox, std::span(&*d.message, 1), nowMs);
      markEvents(s, d.marks);
      s.exec(kSetWindow, d.window.endMs, d.window.notices, d.dueAtMs.value_or(-1), nowMs,
             user.unionid);
      done.decided.emplace_back(std::move(user), std::move(d));
    }
    return done;
  });
}

std::optional<int64_t> Notices::nextDueMs() {
  static const Stmt<> kNextDue =
      "SELECT COALESCE(MIN(due_at), -1) FROM notice_windows WHERE due_at IS NOT NULL";
  auto next = db_.queryOne<int64_t>(kNextDue);
  if (!next || *next < 0) return std::nullopt;
  return next;
}

NoticeUser Notices::user(const std::string& unionid) {
  return db_.session([&](Session& s) {
    auto row = s.queryOne<WindowRow>(kWindow, unionid);
    return loadUser(s, row ? *row : WindowRow{unionid, {}, std::nullopt});
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

int64_t Notices::enqueueDigest(std::span<const NewMessage> messages, int64_t readAtMs,
                               int64_t nowMs) {
  if (messages.empty()) return 0;
  const NotificationsSql& outbox =
      db_.dialect().pick(sqliteNotificationsSql(), mysqlNotificationsSql());
  return db_.transaction([&](Session& s) {
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
    std::vector<int64_t> announced;
    forChunks(unionids, [&](auto chunk, size_t length) {
      for (int64_t id : s.queryIn<int64_t>(kHeldUpTo, chunk, length, readAtMs)) {
        announced.push_back(id);
      }
    });
    forChunks(announced,
              [&](auto chunk, size_t length) { s.execIn(kDigestAnnounced, chunk, length); });
    forChunks(unionids, [&](auto chunk, size_t length) {
      s.execIn(kDigestCloses, chunk, length, nowMs, nowMs, nowMs, nowMs);
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
      for (auto& row : s.queryIn<std::pair<std::string, Preferences>>(kPrefsIn, chunk, length)) {
        found.insert(std::move(row));
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
      s.execIn(kRefileMessages, chunk, length, until, nowMs, nowMs);
    });
  });
}

}  // namespace wxb
