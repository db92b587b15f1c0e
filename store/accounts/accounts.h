// Accounts: one row per person wxbridge knows, by unionid, with their OA follower state
// (oa_openid, subscribed, synced_at, the refusing mark) and their mini-program openid. Written by
// the follower sync (upsertFollowers), the outbox sender (an unsubscribe on 43004), the MP login
// route and the event push (follows, blocks, binds: store/callback); read by
// the account routes, the lookup batcher, `wxbridge lookup` and direct messages. Reached through
// Store::accounts().
//
// Every method is thread-safe and throws StoreUnavailable or StoreError (store/store_error.h).
// Times are Unix milliseconds from the caller's Clock.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace wxb {

// One person as wxbridge knows them. A follower without unionid has an empty unionid and is
// known by oaOpenid alone; an MP user not (yet) seen as a follower has an empty oaOpenid.
struct Account {
  std::string unionid;
  std::string oaOpenid;
  bool subscribed = false;
  std::string mpOpenid;
  int64_t syncedAtMs = 0;  // last time sync or an event confirmed oaOpenid/subscribed; 0 never
  // Since when the follower refuses template messages (a blocked receipt); 0 not refusing.
  // A later follow clears it.
  int64_t refusesTemplatesSinceMs = 0;
};

// One follower as the OA's follower list reports it.
struct FollowerRecord {
  std::string oaOpenid;
  std::string unionid;  // empty when the OA is not bound to an Open Platform account
  bool subscribed = true;
};

class Db;
class Session;
struct AccountsSql;

class Accounts {
 public:
  explicit Accounts(Db& db);

  std::optional<Account> findByUnionid(const std::string& unionid);
  std::optional<Account> findByOaOpenid(const std::string& oaOpenid);
  // The accounts among `unionids` that are known, in no particular order: one query for up to
  // kInListMax unionids.
  std::vector<Account> findByUnionids(const std::vector<std::string>& unionids);
  // Inserts or updates followers in one transaction, stamping syncedAtMs. Follower state is
  // newest-wins: a write stamped before the row's synced_at leaves `subscribed` as it is. A
  // follower with a unionid gets it on its row; when another row (a mini-program user) holds
  // that unionid already, the follower's openid-only row is merged into it first, keeping
  // everything it knew as if the two rows had always been one: subscribed and synced_at, the
  // refusing mark and follow time (each newest wins), and its bind (mp_openid) - unless the
  // unionid's row has an MP user of its own: then that one stays and the bound MP openid is
  // left an MP user without follower (docs/sync.md "Merging accounts").
  void upsertFollowers(const std::vector<FollowerRecord>& followers, int64_t syncedAtMs);
  // Marks one follower (un)subscribed at atMs, creating a row keyed by openid if none exists.
  void setSubscribed(const std::string& oaOpenid, bool subscribed, int64_t atMs);
  // setSubscribed() inside a caller's transaction (the callback store records a push and its
  // follow change atomically).
  void setSubscribed(Session& session, const std::string& oaOpenid, bool subscribed, int64_t atMs);
  // The refusing mark of follower oaOpenid, inside the caller's transaction (the callback store
  // records a push and what it changes atomically). A block (a template receipt "failed:user
  // block") and a follow (a subscribe push) are one state, newest wins by their event times
  // (Unix ms), a follow winning a tie, whatever order they arrive in (docs/callback.md
  // "Receipts and the refusing mark"). markRefusing: a block at atMs marks the follower unless
  // a follow at or after atMs is known. noteFollow: a follow at atMs lifts a mark set at or
  // before atMs and is remembered. A follower with no row is left alone.
  void markRefusing(Session& session, const std::string& oaOpenid, int64_t atMs);
  void noteFollow(Session& session, const std::string& oaOpenid, int64_t atMs);
  // Records a mini-program user; links it to the account with the same unionid when given, the
  // unionid being the platform's word (docs/sync.md "Merging accounts"): a follower known by its
  // openid alone that a bind code bound to this MP user takes the unionid, unless a row of that
  // unionid has a follower of its own - then that row takes the MP user and the bound follower
  // stays a follower without one. A row holding the MP openid under another unionid lets go of
  // it (deleted when it had no follower), and an MP user the unionid's row had before (a bind
  // code's) stays an MP user without follower.
  void recordMpUser(const std::string& mpOpenid, const std::string& unionid);
  int64_t count();

  static constexpr size_t kInListMax = 128;
  static constexpr size_t kUpsertChunk = 1000;

 private:
  void upsertChunk(Session& session, std::span<const FollowerRecord> chunk, int64_t syncedAtMs);
  void mergeOrphan(Session& session, const std::string& unionid, int64_t orphanId);

  Db& db_;
  const AccountsSql& sql_;
};

}  // namespace wxb
