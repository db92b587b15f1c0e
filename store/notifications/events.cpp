// Notifications: the unread events (store/notifications/notifications.h).
#include <span>
#include <tuple>

#include "store/db/db.h"
#include "store/notifications/notifications.h"
#include "store/notifications/notify_rows.h"
#include "store/notifications/notify_sql.h"

namespace wxb {

namespace {

const InStmt<std::string, int64_t, std::string> kMarkReadTypes{
    "UPDATE events SET read_at = ? WHERE unionid = ? AND read_at = 0 AND type IN ", ""};
const Stmt<int64_t, std::string> kMarkReadAll =
    "UPDATE events SET read_at = ? WHERE unionid = ? AND read_at = 0";
const Stmt<std::string, int> kPageUnionids =
    "SELECT DISTINCT unionid FROM events WHERE read_at = 0 AND unionid > ?"
    " ORDER BY unionid LIMIT ?";
// Takes the unionid range [first, last] of a page (first = last for one account): per account
// and type, the unread count, the newest unread event and the newest unread one still held
// (0 none; one statement, so it is among those counted). A follower who blocked template
// messages (a blocked receipt, store/callback/) counts as not following for them until the next
// follow clears the mark.
const Stmt<std::string, std::string> kRangeUnread =
    "SELECT t.unionid, t.type, t.n, t.last_id, e.actor, e.text, COALESCE(a.oa_openid, ''),"
    " COALESCE(a.subscribed = 1 AND a.refuses_templates_since = 0, 0), t.held_id"
    " FROM (SELECT unionid, type, COUNT(*) AS n, MAX(id) AS last_id,"
    " MAX(CASE WHEN notice = 0 THEN id ELSE 0 END) AS held_id FROM events"
    " WHERE read_at = 0 AND unionid >= ? AND unionid <= ? GROUP BY unionid, type) t"
    " JOIN events e ON e.id = t.last_id LEFT JOIN accounts a ON a.unionid = t.unionid"
    " ORDER BY t.unionid, t.type";

}  // namespace

template <>
struct RowReader<UnreadTypeRow> {
  static UnreadTypeRow read(const Row& r) {
    return {r.text(0), r.text(1), r.int64(2),   r.int64(3), r.text(4),
            r.text(5), r.text(6), r.boolean(7), r.int64(8)};
  }
};

namespace {

std::vector<UnreadSummary> unreadRange(Session& s, const std::string& first,
                                       const std::string& last) {
  return assembleUnread(s.query<UnreadTypeRow>(kRangeUnread, first, last));
}

}  // namespace

int64_t insertEvents(Session& s, const NotificationsSql& sql, std::span<const NotifyEvent> events,
                     int64_t marker) {
  return s.insertRows(sql.addEvents, events, [&](const NotifyEvent& e) {
    using S = const std::string&;
    return std::tuple<S, S, S, S, S, int64_t, int64_t>(e.eventId, e.unionid, e.type, e.actor,
                                                       e.text, e.createdAtMs, marker);
  });
}

Notifications::Notifications(Db& db)
    : db_(db), sql_(db.dialect().pick(sqliteNotificationsSql(), mysqlNotificationsSql())) {}

bool Notifications::addEvent(const NotifyEvent& e) {
  return db_.session(
      [&](Session& s) { return insertEvents(s, sql_, std::span(&e, 1), kEventNotRealtime) == 1; });
}

int64_t Notifications::markRead(const std::string& unionid, const std::vector<std::string>& types,
                                int64_t nowMs) {
  if (types.empty()) return db_.exec(kMarkReadAll, nowMs, unionid);
  return db_.session([&](Session& s) {
    return s.execIn(kMarkReadTypes, std::span(types), types.size(), nowMs, unionid);
  });
}

std::optional<UnreadSummary> Notifications::unreadSummary(const std::string& unionid) {
  auto found = db_.session([&](Session& s) { return unreadRange(s, unionid, unionid); });
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<UnreadSummary> Notifications::unreadPage(const std::string& afterUnionid, int limit) {
  return db_.session([&](Session& s) {
    auto page = s.query<std::string>(kPageUnionids, afterUnionid, limit);
    if (page.empty()) return std::vector<UnreadSummary>{};
    return unreadRange(s, page.front(), page.back());
  });
}

}  // namespace wxb
