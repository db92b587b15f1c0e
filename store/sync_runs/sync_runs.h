// SyncRuns: what the follower sync keeps in the store - one record per run with its
// checkpoint (the user/get cursor of the next page) and counters, the end-of-run unsubscribe
// marking, and the optional write-back into the application's own tables. Reached through
// Store::syncRuns(). The sync engine (sync/sync_engine.h) is the writer; the /v1/sync routes
// and `wxbridge sync` read.
//
// Every method is thread-safe and throws StoreUnavailable or StoreError. Records are
// fenced by owner: a process that lost the sync lease cannot overwrite the run another process
// claimed since.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/accounts/accounts.h"
#include "store/store_error.h"

namespace wxb {

enum class SyncState {
  Running,      // in progress, or its process died: resumable
  Interrupted,  // stopped early (quota, store outage, shutdown, lease lost): resumable
  Completed,    // reached the end of the list with every follower written; unseen ones marked
  Incomplete,   // reached the end, but some followers could not be fetched: nothing marked
  Truncated,    // reached the end, but the list fell clearly short of the platform's total:
                // nothing marked (sync/list_shortfall.h)
  Failed,       // stopped by an error a resume cannot fix (e.g. the cursor was refused)
  Abandoned,    // superseded by a restart before it finished
};

// "running", "interrupted", ...: the stored and printed name.
const char* syncStateName(SyncState state);
// Parses a stored name; unknown names read as Failed.
SyncState parseSyncState(const std::string& name);
// Running and Interrupted runs are picked up again by the next sync (unless it restarts).
bool isResumable(SyncState state);

struct SyncRun {
  int64_t id = 0;
  SyncState state = SyncState::Running;
  std::string owner;  // lease owner of the process that last claimed the run
  int64_t startedAtMs = 0;
  int64_t updatedAtMs = 0;   // last checkpoint
  int64_t finishedAtMs = 0;  // 0 while resumable
  std::string nextOpenid;    // cursor of the next page to fetch; "" = from the start
  int64_t pages = 0;         // pages fully written (the empty end-of-list page included)
  int64_t followers = 0;     // openids of those pages
  int64_t total = 0;         // follower count the platform reported last
  int64_t mapped = 0;        // followers written with a unionid
  int64_t unsubscribed = 0;  // accounts newly marked unsubscribed at the end of the run
  int64_t errors = 0;        // platform calls that failed (each retry of a call counts)
  int64_t skipped = 0;       // followers given up on after retries (not written)
  int resumes = 0;           // times another process picked the run up again
  std::string lastError;
};

class Db;
struct SyncRunsSql;

class SyncRuns {
 public:
  explicit SyncRuns(Db& db);

  // Creates a run in state Running, owned by `owner`, started and updated at nowMs.
  SyncRun startRun(const std::string& owner, int64_t nowMs);
  // The newest resumable run (Running or Interrupted), if any.
  std::optional<SyncRun> unfinishedRun();
  // Takes run `id` over for `owner`: state Running, resumes + 1. Returns the claimed record, or
  // nullopt when the run is gone or no longer resumable.
  std::optional<SyncRun> claimRun(int64_t id, const std::string& owner, int64_t nowMs);
  // Saves state, cursor, counters, finish time and last error (cut to 512 characters) of `run`
  // if run.owner still owns it. Returns false (saving nothing) when another owner claimed it.
  bool saveRun(const SyncRun& run);
  std::optional<SyncRun> latestRun();
  std::optional<SyncRun> findRun(int64_t id);

  // After a complete run: every account still subscribed with an OA openid whose synced_at is
  // older than the run's start was not seen by the run and is marked unsubscribed at atMs.
  // Returns how many were marked.
  int64_t markUnseenUnsubscribed(int64_t runStartedAtMs, int64_t atMs);

  // Runs `statement` (two '?': the OA openid, then the unionid) once for each follower of the
  // batch that has a unionid, in one transaction. Returns the rows it changed. MySQL only: on
  // SQLite it throws StoreError.
  int64_t writeBack(const std::string& statement, const std::vector<FollowerRecord>& followers);

 private:
  Db& db_;
  const SyncRunsSql& sql_;
};

}  // namespace wxb
