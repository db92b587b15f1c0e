// Store: everything wxbridge keeps, behind one interface with two backends (SQLite through
// Poco::Data for a single instance, MySQL/MariaDB through Connector/C++ for several instances
// sharing state). Open one with openStore() (store/open_store.h).
//
// Every method is thread-safe. Expected outcomes (not found, lost a race) are return values;
// a store that cannot be reached throws StoreUnavailable, anything else unexpected throws
// StoreError. Times are Unix milliseconds supplied by the caller's Clock, so that tests can
// drive them; instances sharing a database are assumed to have NTP-synced clocks.
//
// A concern with many methods (sync runs, notifications) has an interface of its own, reached
// through an accessor here and implemented per backend in files of its own, so each backend's
// files stay small. The store is also the scheduler's FireLog: the last fire of every job
// survives a restart, which the misfire policy needs.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cron/scheduler.h"

namespace wxb {

class SyncRunStore;  // store/sync_store.h
class NotifyStore;   // store/notify_store.h

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The database is down or unreachable, or cannot take writes (a read-only file or server, a
// user without write privileges); HTTP maps this to 503 and jobs retry later.
class StoreUnavailable : public StoreError {
 public:
  using StoreError::StoreError;
};

// The store cannot be used as configured and waiting will not help: an SQLite path that is a
// folder, in a folder that cannot be created or written, or a file the process may not write.
// The command line reports it as a configuration error of key() (exit 2); what() is the
// problem in the operating system's words.
class StoreConfigError : public StoreError {
 public:
  StoreConfigError(std::string key, const std::string& problem)
      : StoreError(problem), key_(std::move(key)) {}
  const std::string& key() const { return key_; }

 private:
  std::string key_;
};

// One person as wxbridge knows them. A follower without unionid has an empty unionid and is
// known by oaOpenid alone; an MP user not (yet) seen as a follower has an empty oaOpenid.
struct Account {
  std::string unionid;
  std::string oaOpenid;
  bool subscribed = false;
  std::string mpOpenid;
  int64_t syncedAtMs = 0;  // last time sync or an event confirmed oaOpenid/subscribed; 0 never
};

// One follower as the OA's follower list reports it.
struct FollowerRecord {
  std::string oaOpenid;
  std::string unionid;  // empty when the OA is not bound to an Open Platform account
  bool subscribed = true;
};

struct StoredToken {
  std::string app;  // "oa" or "mp"
  std::string accessToken;
  int64_t expiresAtMs = 0;
  int64_t fetchedAtMs = 0;
  int64_t version = 0;  // grows by one with every stored token; 0 means none stored yet
};

struct LeaseHolder {
  std::string owner;
  int64_t expiresAtMs = 0;
};

struct MigrationReport {
  std::vector<std::string> applied;  // names applied by this call, in order
  std::vector<std::string> already;  // names that were applied before
};

class Store : public FireLog {
 public:
  virtual ~Store() = default;

  // "sqlite" or "mysql": the schema/ folder this backend's migrations come from.
  virtual std::string dialect() const = 0;

  // Applies pending migrations in order under a database-wide lock, so two instances starting
  // at once apply each migration exactly once. Throws StoreError when a migration fails.
  virtual MigrationReport migrate() = 0;

  // Why the store cannot serve requests now, or nullopt when it can; /readyz and serve's start
  // ask. A round trip with a write that changes nothing, so a store that answers but cannot
  // take writes (read-only file or server, no write privilege) is not ready. Never throws.
  virtual std::optional<std::string> whyNotReady() = 0;

  // --- accounts ---
  virtual std::optional<Account> findByUnionid(const std::string& unionid) = 0;
  virtual std::optional<Account> findByOaOpenid(const std::string& oaOpenid) = 0;
  // The accounts among `unionids` that are known, in no particular order.
  virtual std::vector<Account> findByUnionids(const std::vector<std::string>& unionids) = 0;
  // Inserts or updates followers in one transaction, stamping syncedAtMs. A follower with a
  // unionid replaces any row that knew the same openid without a unionid.
  virtual void upsertFollowers(const std::vector<FollowerRecord>& followers,
                               int64_t syncedAtMs) = 0;
  // Marks one follower (un)subscribed, creating a row keyed by openid if none exists.
  virtual void setSubscribed(const std::string& oaOpenid, bool subscribed, int64_t atMs) = 0;
  // Records a mini-program user; links it to the account with the same unionid when given.
  virtual void recordMpUser(const std::string& mpOpenid, const std::string& unionid) = 0;
  virtual int64_t countAccounts() = 0;

  // --- follower sync runs (store/sync_store.h); lives as long as the store ---
  virtual SyncRunStore& syncRuns() = 0;

  // --- events, outbox, digest runs, send pauses (store/notify_store.h); as long as the store ---
  virtual NotifyStore& notifications() = 0;

  // --- leases: one holder at a time across every process sharing the database ---
  // Takes the lease when it is free or expired, or renews it when `owner` holds it. Returns
  // true when `owner` holds the lease until nowMs + ttlMs.
  virtual bool tryAcquireLease(const std::string& name, const std::string& owner, int64_t ttlMs,
                               int64_t nowMs) = 0;
  // Gives the lease up if `owner` holds it; otherwise does nothing.
  virtual void releaseLease(const std::string& name, const std::string& owner) = 0;
  virtual std::optional<LeaseHolder> leaseHolder(const std::string& name, int64_t nowMs) = 0;

  // --- access tokens ---
  virtual std::optional<StoredToken> loadToken(const std::string& app) = 0;
  // Compare-and-set: stores the token only if the stored version is still `expectedVersion`
  // (0: nothing stored yet). Returns the new version, or nullopt when another writer won.
  virtual std::optional<int64_t> storeToken(const std::string& app, const std::string& token,
                                            int64_t expiresAtMs, int64_t fetchedAtMs,
                                            int64_t expectedVersion) = 0;
  // Marks the stored token expired only if it is still `deadToken`. Returns true if it was.
  virtual bool expireToken(const std::string& app, const std::string& deadToken) = 0;
  // Counts a forced refresh if the platform's limits allow one now: at most maxPerDay on the
  // China-time day `day` (YYYY-MM-DD) and at least minGapMs after the previous one.
  virtual bool tryCountForcedRefresh(const std::string& app, const std::string& day, int64_t nowMs,
                                     int64_t minGapMs, int maxPerDay) = 0;
  // Forced refreshes counted on `day` so far.
  virtual int forcedRefreshesOn(const std::string& app, const std::string& day) = 0;

  // --- scheduler (FireLog): the last fire time of each cron job, shared by all instances ---
  std::optional<int64_t> lastFireMs(const std::string& job) override = 0;
  void recordFireMs(const std::string& job, int64_t fireMs) override = 0;
};

}  // namespace wxb
