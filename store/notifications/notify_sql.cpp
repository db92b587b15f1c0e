#include "store/notifications/notify_sql.h"

namespace wxb {

namespace {

#define WXB_ADD_EVENT \
  " INTO events(event_id, unionid, type, actor, text, created_at, notice) VALUES"
#define WXB_ADD_EVENT_ROW "(?, ?, ?, ?, ?, ?, ?)"
#define WXB_ENQUEUE                                                                        \
  " INTO outbox(idempotency_key, unionid, touser, template, payload, digest_run, channel," \
  " send_class, state, due_at, created_at, updated_at) VALUES"
#define WXB_ENQUEUE_ROW "(?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)"
#define WXB_DUE \
  WXB_MESSAGE_COLUMNS "WHERE send_class = ? AND due_at <= ? ORDER BY due_at, id LIMIT ?"
#define WXB_COUNT_SENDS "INSERT INTO send_budgets(channel, day, used) VALUES(?, ?, ?)"
#define WXB_PAUSE "INSERT INTO send_pauses(api, until_at, reason, set_at) VALUES(?, ?, ?, ?)"
#define WXB_OPEN_RUN " INTO digest_runs(run_key, started_at) VALUES(?, ?)"
#define WXB_CLAIM_ROWS(BY_KEY)                                                                   \
  {                                                                                              \
    "UPDATE outbox" BY_KEY                                                                       \
    " SET state = 'sending', due_at = NULL, claimed_by = ?,"                                     \
    " claim_until = ?, attempts = attempts + 1, last_attempt_at = ?, updated_at = ?,"            \
    " call_started_at = 0, grant_app = '', grant_openid = '', grant_template = '' WHERE id IN ", \
        ""                                                                                       \
  }

const NotificationsSql kSqlite{
    {"INSERT" WXB_ADD_EVENT, WXB_ADD_EVENT_ROW, " ON CONFLICT(event_id) DO NOTHING"},
    {"INSERT" WXB_ENQUEUE, WXB_ENQUEUE_ROW, " ON CONFLICT(idempotency_key) DO NOTHING"},
    WXB_DUE,
    "SELECT COALESCE(MIN(due_at), -1) FROM outbox WHERE due_at IS NOT NULL",
    WXB_PAUSE
    " ON CONFLICT(api) DO UPDATE SET until_at = MAX(until_at, excluded.until_at),"
    " reason = excluded.reason, set_at = excluded.set_at",
    "INSERT" WXB_OPEN_RUN " ON CONFLICT(run_key) DO NOTHING",
    WXB_COUNT_SENDS " ON CONFLICT(channel, day) DO UPDATE SET used = used + excluded.used",
    WXB_CLAIM_ROWS(""),
};

const NotificationsSql kMysql{
    {"INSERT IGNORE" WXB_ADD_EVENT, WXB_ADD_EVENT_ROW, ""},
    {"INSERT IGNORE" WXB_ENQUEUE, WXB_ENQUEUE_ROW, ""},
    WXB_DUE " FOR UPDATE SKIP LOCKED",
    // Without a WHERE: MIN over the due_at index is one index dive.
    "SELECT COALESCE(MIN(due_at), -1) FROM outbox",
    WXB_PAUSE
    " ON DUPLICATE KEY UPDATE until_at = GREATEST(until_at, VALUES(until_at)),"
    " reason = VALUES(reason), set_at = VALUES(set_at)",
    "INSERT IGNORE" WXB_OPEN_RUN,
    WXB_COUNT_SENDS " ON DUPLICATE KEY UPDATE used = used + VALUES(used)",
    WXB_CLAIM_ROWS(" FORCE INDEX (PRIMARY)"),
};

#undef WXB_ADD_EVENT
#undef WXB_ADD_EVENT_ROW
#undef WXB_ENQUEUE
#undef WXB_ENQUEUE_ROW
#undef WXB_DUE
#undef WXB_PAUSE
#undef WXB_OPEN_RUN
#undef WXB_COUNT_SENDS
#undef WXB_CLAIM_ROWS

}  // namespace

const Stmt<std::string, std::string, std::string, std::string, std::string, int64_t, int64_t,
           std::string>
    kSetOutboxChannel =
        "UPDATE outbox SET channel = ?, touser = ?, grant_app = ?, grant_openid = ?,"
        " grant_template = ?, updated_at = ? WHERE id = ? AND state = 'sending' AND claimed_by = ?";

const NotificationsSql& sqliteNotificationsSql() { return kSqlite; }
const NotificationsSql& mysqlNotificationsSql() { return kMysql; }

}  // namespace wxb
