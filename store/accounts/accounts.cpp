#include "store/accounts/accounts.h"

#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "store/accounts/follow_sql.h"
#include "store/accounts/link_sql.h"
#include "store/db/db.h"

namespace wxb {

// The statements whose SQL differs by dialect. Follower state is newest-wins by time: a sync
// batch written late never undoes an unfollow event stamped after it.
struct AccountsSql {
  // Any unique key: a follower whose unionid and openid are held by two different rows fails
  // with a duplicate key, and is merged (upsertChunk).
  RowsStmt<std::string, std::string, bool, int64_t> upsertFollowers;
  Stmt<std::string, bool, int64_t> setSubscribed;
  FollowStmt follow;  // store/accounts/follow_sql.h
  Stmt<std::string, std::string> upsertMpUserByUnionid;
  Stmt<std::string> insertMpUser;
  // One openid-only row of a merge by id, as it is now (MySQL: a locking read, see
  // kRowsOfOpenids).
  Stmt<int64_t> orphanById;
};

namespace {

#define WXB_ACCOUNT_COLUMNS                                            \
  "SELECT COALESCE(unionid, ''), COALESCE(oa_openid, ''), subscribed," \
  " COALESCE(mp_openid, ''), synced_at, refuses_templates_since FROM accounts "
#define WXB_INSERT_FOLLOWERS \
  "INSERT INTO accounts(unionid, oa_openid, subscribed, synced_at) VALUES"
#define WXB_FOLLOWER_ROW "(NULLIF(?, ''), ?, ?, ?)"
#define WXB_INSERT_BY_OPENID \
  "INSERT INTO accounts(oa_openid, subscribed, synced_at) VALUES(?, ?, ?)"
#define WXB_INSERT_FOLLOW \
  "INSERT INTO accounts(oa_openid, subscribed, synced_at, followed_at) VALUES(?, 1, ?, ?)"
#define WXB_INSERT_MP_BY_UNIONID "INSERT INTO accounts(unionid, mp_openid) VALUES(?, ?)"
#define WXB_ORPHAN_COLUMNS                                                \
  "SELECT id, oa_openid, subscribed, synced_at, COALESCE(mp_openid, '')," \
  " refuses_templates_since, followed_at FROM accounts "
#define WXB_ORPHAN_BY_ID WXB_ORPHAN_COLUMNS "WHERE id = ? AND unionid IS NULL"

// SQLite's SET expressions all see the row as it was.
#define WXB_SQLITE_NEWER_WINS                                                                 \
  " subscribed = CASE WHEN excluded.synced_at >= accounts.synced_at THEN excluded.subscribed" \
  " ELSE accounts.subscribed END, synced_at = MAX(accounts.synced_at, excluded.synced_at)"
const AccountsSql kSqlite{
    {WXB_INSERT_FOLLOWERS, WXB_FOLLOWER_ROW,
     " ON CONFLICT DO UPDATE SET unionid = COALESCE(excluded.unionid, accounts.unionid),"
     " oa_openid = excluded.oa_openid," WXB_SQLITE_NEWER_WINS},
    WXB_INSERT_BY_OPENID " ON CONFLICT(oa_openid) DO UPDATE SET" WXB_SQLITE_NEWER_WINS,
    WXB_INSERT_FOLLOW " ON CONFLICT(oa_openid) DO UPDATE SET" WXB_SQLITE_NEWER_WINS
                      ", refuses_templates_since = CASE WHEN accounts.refuses_templates_since <="
                      " excluded.followed_at THEN 0 ELSE accounts.refuses_templates_since END,"
                      " followed_at = MAX(accounts.followed_at, excluded.followed_at)",
    WXB_INSERT_MP_BY_UNIONID " ON CONFLICT(unionid) DO UPDATE SET mp_openid = excluded.mp_openid",
    "INSERT INTO accounts(mp_openid) VALUES(?) ON CONFLICT(mp_openid) DO NOTHING",
    WXB_ORPHAN_BY_ID,
};

// MySQL applies assignments left to right: `subscribed` is decided before `synced_at` moves.
#define WXB_MYSQL_NEWER_WINS                                                          \
  " subscribed = IF(VALUES(synced_at) >= synced_at, VALUES(subscribed), subscribed)," \
  " synced_at = GREATEST(synced_at, VALUES(synced_at))"
const AccountsSql kMysql{
    {WXB_INSERT_FOLLOWERS, WXB_FOLLOWER_ROW,
     " ON DUPLICATE KEY UPDATE unionid = COALESCE(VALUES(unionid), unionid),"
     " oa_openid = VALUES(oa_openid)," WXB_MYSQL_NEWER_WINS},
    WXB_INSERT_BY_OPENID " ON DUPLICATE KEY UPDATE" WXB_MYSQL_NEWER_WINS,
    WXB_INSERT_FOLLOW
    " ON DUPLICATE KEY UPDATE" WXB_MYSQL_NEWER_WINS
    ", refuses_templates_since = CASE WHEN refuses_templates_since <= VALUES(followed_at)"
    " THEN 0 ELSE refuses_templates_since END,"
    " followed_at = GREATEST(followed_at, VALUES(followed_at))",
    WXB_INSERT_MP_BY_UNIONID " ON DUPLICATE KEY UPDATE mp_openid = VALUES(mp_openid)",
    "INSERT INTO accounts(mp_openid) VALUES(?) ON DUPLICATE KEY UPDATE mp_openid = mp_openid",
    WXB_ORPHAN_BY_ID " FOR UPDATE",
};

// The statements both dialects write the same way.
const Stmt<std::string> kByUnionid = WXB_ACCOUNT_COLUMNS "WHERE unionid = ?";
const Stmt<std::string> kByOaOpenid = WXB_ACCOUNT_COLUMNS "WHERE oa_openid = ?";
const InStmt<std::string> kByUnionids{WXB_ACCOUNT_COLUMNS "WHERE unionid IN ", ""};
// The rows a merge may take are found by a plain (non-locking) read, then read again and
// deleted by id: on MySQL a DELETE (or a locking read) ... IN that matches nothing still
// gap-locks the openid index, and concurrent sync batches inserting there would deadlock. The
// plain read sees the transaction's first snapshot (a sync batch's later chunks, REPEATABLE
// READ); the read by id (orphanById) locks the row and sees it as it is now.
const InStmt<std::string> kRowsOfOpenids{
    "SELECT id, oa_openid, COALESCE(unionid, '') FROM accounts WHERE oa_openid IN ", ""};
// The unionids among a chunk's followers that some row holds already.
const InStmt<std::string> kHeldUnionids{"SELECT unionid FROM accounts WHERE unionid IN ", ""};
const Stmt<std::string> kUnionidHolder = "SELECT id FROM accounts WHERE unionid = ?";
const Stmt<int64_t> kDeleteAccount = "DELETE FROM accounts WHERE id = ?";
// A follower whose openid the platform now reports with another unionid, held by another row,
// lets go of its old one (id, openid, old unionid: unchanged since the plain read) and is merged
// as an openid-only row.
const Stmt<int64_t, std::string, std::string> kLetGoOfUnionid =
    "UPDATE accounts SET unionid = NULL WHERE id = ? AND oa_openid = ? AND unionid = ?";
// A merge moves the orphan's openid to the row of its unionid; a binding (mp_openid) moves
// along unless that row has an MP user of its own.
const Stmt<std::string, std::string, std::string> kTakeOrphan =
    "UPDATE accounts SET oa_openid = ?, mp_openid = COALESCE(mp_openid, NULLIF(?, ''))"
    " WHERE unionid = ?";
const Stmt<std::string, int64_t> kGiveUnionid = "UPDATE accounts SET unionid = ? WHERE id = ?";
const Stmt<int64_t> kUnbindMpUser = "UPDATE accounts SET mp_openid = NULL WHERE id = ?";
const Stmt<> kCount = "SELECT COUNT(*) FROM accounts";
// Blocks and follows, newest wins by event time (a follow wins a tie): a block marks unless a
// follow at or after it is known; a follow lifts a mark set at or before it.
const Stmt<int64_t, std::string, int64_t, int64_t> kMarkRefusing =
    "UPDATE accounts SET refuses_templates_since = ? WHERE oa_openid = ?"
    " AND refuses_templates_since < ? AND followed_at < ?";
const Stmt<int64_t, int64_t, int64_t, std::string> kNoteFollow =
    "UPDATE accounts SET refuses_templates_since = CASE WHEN refuses_templates_since <= ? THEN 0"
    " ELSE refuses_templates_since END, followed_at = CASE WHEN followed_at < ? THEN ?"
    " ELSE followed_at END WHERE oa_openid = ?";

#undef WXB_ACCOUNT_COLUMNS
#undef WXB_INSERT_FOLLOWERS
#undef WXB_FOLLOWER_ROW
#undef WXB_INSERT_BY_OPENID
#undef WXB_INSERT_FOLLOW
#undef WXB_INSERT_MP_BY_UNIONID
#undef WXB_ORPHAN_COLUMNS
#undef WXB_ORPHAN_BY_ID
#undef WXB_SQLITE_NEWER_WINS
#undef WXB_MYSQL_NEWER_WINS

// An openid-only row a merge deletes, with the state the merged row takes over.
struct OrphanFollower {
  int64_t id = 0;
  std::string oaOpenid;
  bool subscribed = false;
  int64_t syncedAtMs = 0;
  std::string mpOpenid;  // bound by a bind code; empty when none
  int64_t refusingSinceMs = 0;
  int64_t followedAtMs = 0;
};

// A follower's row to merge into the row holding `unionid`: openid-only, or holding
// `oldUnionid`, which the platform no longer reports for its openid.
struct OrphanRef {
  std::string unionid;
  int64_t id = 0;
  std::string oaOpenid;
  std::string oldUnionid;  // "" for an openid-only row
};

// A row of one of a chunk's openids, as the plain read saw it.
struct FollowerRow {
  int64_t id = 0;
  std::string oaOpenid;
  std::string unionid;  // "" none
};

}  // namespace

template <>
struct RowReader<Account> {
  static Account read(const Row& r) {
    return Account{r.text(0), r.text(1), r.boolean(2), r.text(3), r.int64(4), r.int64(5)};
  }
};

template <>
struct RowReader<FollowerRow> {
  static FollowerRow read(const Row& r) { return FollowerRow{r.int64(0), r.text(1), r.text(2)}; }
};

template <>
struct RowReader<OrphanFollower> {
  static OrphanFollower read(const Row& r) {
    return OrphanFollower{r.int64(0), r.text(1),  r.boolean(2), r.int64(3),
                          r.text(4),  r.int64(5), r.int64(6)};
  }
};

namespace {

// The rows of the chunk's followers whose unionid another row holds already: openid-only rows,
// and rows that hold another unionid (the platform's view of the openid changed). The IN lists
// are always kUpsertChunk long, so every call uses the same prepared statements.
std::vector<OrphanRef> conflictingOrphans(Session& s, std::span<const FollowerRecord> chunk) {
  std::vector<std::string_view> openids;
  std::vector<std::string_view> unionids;
  for (const auto& f : chunk) {
    if (f.unionid.empty()) continue;
    openids.push_back(f.oaOpenid);
    unionids.push_back(f.unionid);
  }
  if (openids.empty()) return {};
  auto held = s.queryIn<std::string>(kHeldUnionids, std::span(std::as_const(unionids)),
                                     Accounts::kUpsertChunk);
  std::unordered_set<std::string_view> heldSet(held.begin(), held.end());
  std::unordered_map<std::string_view, std::string_view> unionidOf;
  for (const auto& f : chunk) unionidOf.emplace(f.oaOpenid, f.unionid);
  std::vector<OrphanRef> found;
  for (const auto& row : s.queryIn<FollowerRow>(kRowsOfOpenids, std::span(std::as_const(openids)),
                                                Accounts::kUpsertChunk)) {
    auto unionid = unionidOf.at(row.oaOpenid);
    if (row.unionid != unionid && heldSet.contains(unionid)) {
      found.push_back({std::string(unionid), row.id, row.oaOpenid, row.unionid});
    }
  }
  return found;
}

// Whether the row holding a logging-in MP user's openid takes the unionid the login reports: a
// follower known by its openid alone (a bind code bound it to the MP user), when no row of that
// unionid has a follower of its own. Otherwise that row lets go of the MP user: the unionid is
// the platform's word, a bind code only says who scanned it (docs/sync.md "Merging accounts").
bool takesUnionid(const AccountIds& holder, const std::optional<AccountIds>& owner) {
  return holder.unionid.empty() && !holder.oaOpenid.empty() && (!owner || owner->oaOpenid.empty());
}

}  // namespace

Accounts::Accounts(Db& db) : db_(db), sql_(db.dialect().pick(kSqlite, kMysql)) {}

std::optional<Account> Accounts::findByUnionid(const std::string& unionid) {
  return db_.queryOne<Account>(kByUnionid, unionid);
}

std::optional<Account> Accounts::findByOaOpenid(const std::string& oaOpenid) {
  return db_.queryOne<Account>(kByOaOpenid, oaOpenid);
}

std::vector<Account> Accounts::findByUnionids(const std::vector<std::string>& unionids) {
  if (unionids.empty()) return {};
  return db_.session([&](Session& s) {
    std::vector<Account> found;
    for (size_t from = 0; from < unionids.size(); from += kInListMax) {
      auto chunk = std::span(unionids).subspan(from, std::min(kInListMax, unionids.size() - from));
      auto rows = s.queryIn<Account>(kByUnionids, chunk, inListLength(chunk.size(), kInListMax));
      found.insert(found.end(), std::make_move_iterator(rows.begin()),
                   std::make_move_iterator(rows.end()));
    }
    return found;
  });
}

void Accounts::upsertFollowers(const std::vector<FollowerRecord>& followers, int64_t syncedAtMs) {
  if (followers.empty()) return;
  db_.transaction([&](Session& s) {
    for (size_t at = 0; at < followers.size(); at += kUpsertChunk) {
      upsertChunk(s,
                  std::span(followers).subspan(at, std::min(kUpsertChunk, followers.size() - at)),
                  syncedAtMs);
    }
  });
}

void Accounts::upsertChunk(Session& s, std::span<const FollowerRecord> chunk, int64_t syncedAtMs) {
  auto upsert = [&] {
    s.insertRows(sql_.upsertFollowers, chunk, [&](const FollowerRecord& f) {
      return std::tie(f.unionid, f.oaOpenid, f.subscribed, syncedAtMs);
    });
  };
  try {
    upsert();
    return;
  } catch (const DuplicateKey&) {
    // Some follower's unionid and openid are each held by a different row (a mini-program user
    // and an openid-only follower). The failing piece was rolled back, earlier pieces stand (the
    // upsert is idempotent: going again rewrites them the same). An openid-only row alone needs
    // no merge: the upsert fills in its unionid.
  }
  for (const auto& o : conflictingOrphans(s, chunk)) {
    if (!o.oldUnionid.empty() && s.exec(kLetGoOfUnionid, o.id, o.oaOpenid, o.oldUnionid) == 0) {
      continue;  // changed by an earlier merge of this chunk: the upsert decides
    }
    mergeOrphan(s, o.unionid, o.id);
  }
  upsert();
}

// Moves one openid-only row (or one that let go of its old unionid) into the row of its unionid,
// newest wins by time: the state it had (subscribed at synced_at, its follow and block, its bind)
// is applied to the merged row as if the two had always been one, before the chunk's upsert. A bind
// (mp_openid) whose MP user is not the unionid's stays an MP user of its own: the unionid is the
// platform's word.
void Accounts::mergeOrphan(Session& s, const std::string& unionid, int64_t orphanId) {
  auto o = s.queryOne<OrphanFollower>(sql_.orphanById, orphanId);
  if (!o) return;  // merged or deleted since the search
  // The row holding the unionid was merged away by this chunk: the upsert gives it to the orphan.
  if (!s.queryOne<int64_t>(kUnionidHolder, unionid)) return;
  s.exec(kDeleteAccount, o->id);
  s.exec(kTakeOrphan, o->oaOpenid, o->mpOpenid, unionid);
  setSubscribed(s, o->oaOpenid, o->subscribed, o->syncedAtMs);
  if (o->followedAtMs != 0) noteFollow(s, o->oaOpenid, o->followedAtMs);
  if (o->refusingSinceMs != 0) markRefusing(s, o->oaOpenid, o->refusingSinceMs);
  if (!o->mpOpenid.empty()) s.exec(sql_.insertMpUser, o->mpOpenid);
}

void Accounts::setSubscribed(const std::string& oaOpenid, bool subscribed, int64_t atMs) {
  db_.exec(sql_.setSubscribed, oaOpenid, subscribed, atMs);
}

void Accounts::setSubscribed(Session& session, const std::string& oaOpenid, bool subscribed,
                             int64_t atMs) {
  session.exec(sql_.setSubscribed, oaOpenid, subscribed, atMs);
}

void Accounts::markRefusing(Session& session, const std::string& oaOpenid, int64_t atMs) {
  session.exec(kMarkRefusing, atMs, oaOpenid, atMs, atMs);
}

void Accounts::noteFollow(Session& session, const std::string& oaOpenid, int64_t atMs) {
  session.exec(kNoteFollow, atMs, atMs, atMs, oaOpenid);
}

void Accounts::recordMpUser(const std::string& mpOpenid, const std::string& unionid) {
  if (unionid.empty()) {
    db_.exec(sql_.insertMpUser, mpOpenid);
    return;
  }
  db_.transaction([&](Session& s) {
    auto owner = s.queryOne<AccountIds>(accountIdsBy(AccountKey::Unionid), unionid);
    auto holder = s.queryOne<AccountIds>(accountIdsBy(AccountKey::MpOpenid), mpOpenid);
    if (owner && holder && owner->id == holder->id) return;  // linked already
    if (holder && takesUnionid(*holder, owner)) {
      if (owner) s.exec(kDeleteAccount, owner->id);
      s.exec(kGiveUnionid, unionid, holder->id);
    } else {
      if (holder) s.exec(holder->oaOpenid.empty() ? kDeleteAccount : kUnbindMpUser, holder->id);
      s.exec(sql_.upsertMpUserByUnionid, unionid, mpOpenid);
    }
    // The unionid's row had another MP user (a bind code's): it stays an MP user of its own.
    if (owner && !owner->mpOpenid.empty()) s.exec(sql_.insertMpUser, owner->mpOpenid);
  });
}

const Stmt<std::string>& accountIdsBy(AccountKey key) {
#define WXB_IDS                                                                        \
  "SELECT id, COALESCE(unionid, ''), COALESCE(oa_openid, ''), COALESCE(mp_openid, '')" \
  " FROM accounts WHERE "
  static const Stmt<std::string> kBy[] = {WXB_IDS "unionid = ?", WXB_IDS "oa_openid = ?",
                                          WXB_IDS "mp_openid = ?"};
#undef WXB_IDS
  return kBy[static_cast<size_t>(key)];
}

const FollowStmt& followStatement(const Dialect& dialect) {
  return dialect.pick(kSqlite, kMysql).follow;
}

int64_t Accounts::count() { return db_.queryOne<int64_t>(kCount).value_or(0); }

}  // namespace wxb
