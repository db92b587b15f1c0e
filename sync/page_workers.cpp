#include "sync/page_workers.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <unordered_set>

#include "store/sync_runs/sync_runs.h"
#include "sync/call_retry.h"
#include "wechat/backoff.h"

namespace wxb {

namespace {

constexpr int kStoreAttempts = 5;

Poco::Logger& logger() { return Poco::Logger::get("wxb.sync"); }

FollowerRecord toRecord(const UserInfo& info) {
  return FollowerRecord{info.openid, info.unionid.value_or(""), info.subscribed};
}

}  // namespace

PageWorkers::PageWorkers(Accounts& accounts, SyncRuns& runs, WechatClient& platform,
                         const SyncSettings& settings, RateLimiter& limiter, StopSignal& stop,
                         std::atomic<int64_t>& errors)
    : accounts_(accounts),
      runs_(runs),
      platform_(platform),
      settings_(settings),
      limiter_(limiter),
      stop_(stop),
      errors_(errors) {
  buffer_.reserve(settings_.writeBatch);
  for (int i = 0; i < std::max(1, settings_.concurrency); ++i) {
    threads_.emplace_back([this] { work(); });
  }
}

PageWorkers::~PageWorkers() {
  {
    std::lock_guard lock(mutex_);
    shuttingDown_ = true;
    workReady_.notify_all();
  }
  for (auto& t : threads_) t.join();
}

PageTally PageWorkers::processPage(const std::vector<std::string>& openids, int64_t syncedAtMs) {
  std::vector<FollowerRecord> rest;
  {
    std::unique_lock lock(mutex_);
    openids_ = &openids;
    syncedAtMs_ = syncedAtMs;
    chunks_ = (openids.size() + WechatClient::kMaxBatchGet - 1) / WechatClient::kMaxBatchGet;
    nextChunk_ = chunksDone_ = 0;
    tally_ = PageTally{};
    storeFailure_ = nullptr;
    abandon_ = false;
    workReady_.notify_all();
    pageDone_.wait(lock, [&] { return chunksDone_ == chunks_; });
    openids_ = nullptr;
    rest.swap(buffer_);
  }
  if (storeFailure_) std::rethrow_exception(storeFailure_);
  if (abandoning()) return tally_;
  if (!rest.empty()) write(rest, syncedAtMs);
  tally_.complete = true;
  return tally_;
}

void PageWorkers::work() {
  StopSignal::Scope scope(stop_);  // a stop cuts the retries of the client's calls short too
  std::unique_lock lock(mutex_);
  for (;;) {
    workReady_.wait(lock, [&] { return shuttingDown_ || (openids_ && nextChunk_ < chunks_); });
    if (shuttingDown_) return;
    const size_t chunk = nextChunk_++;
    const std::vector<std::string>& openids = *openids_;
    const int64_t syncedAtMs = syncedAtMs_;
    lock.unlock();
    try {
      processChunk(openids, chunk, syncedAtMs);
    } catch (...) {
      fail(std::current_exception());
    }
    lock.lock();
    if (++chunksDone_ == chunks_) pageDone_.notify_all();
  }
}

void PageWorkers::processChunk(const std::vector<std::string>& openids, size_t chunk,
                               int64_t syncedAtMs) {
  if (abandoning()) return;
  const size_t from = chunk * WechatClient::kMaxBatchGet;
  const size_t to = std::min(openids.size(), from + WechatClient::kMaxBatchGet);
  std::vector<std::string> ids(openids.begin() + static_cast<long>(from),
                               openids.begin() + static_cast<long>(to));
  std::vector<FollowerRecord> records = fetchChunk(ids);
  if (records.empty() || abandoning()) return;
  std::vector<FollowerRecord> full;
  {
    std::lock_guard lock(mutex_);
    buffer_.insert(buffer_.end(), std::make_move_iterator(records.begin()),
                   std::make_move_iterator(records.end()));
    if (buffer_.size() < settings_.writeBatch) return;
    full.swap(buffer_);
    buffer_.reserve(settings_.writeBatch);
  }
  write(full, syncedAtMs);
}

std::vector<FollowerRecord> PageWorkers::fetchChunk(const std::vector<std::string>& ids) {
  auto answers = callWithRetry([&] { return platform_.batchGetUserInfo(ids); }, settings_, limiter_,
                               stop_, errors_);
  std::vector<FollowerRecord> records;
  if (!answers) {
    if (stop_.stopped()) return records;
    const bool fatal = classifyFailure(answers.error()) == FailureClass::Fatal;
    logger().warning("batchget of %z followers %s: %s", ids.size(),
                     std::string(fatal ? "stops the run" : "given up"), answers.error().describe());
    std::lock_guard lock(mutex_);
    tally_.lastError = answers.error().describe();
    if (fatal) {
      tally_.fatal = answers.error();
      abandon_ = true;
    } else {
      tally_.skipped += static_cast<int64_t>(ids.size());
    }
    return records;
  }
  // Keep only answers for openids we asked about, each once.
  std::unordered_set<std::string> wanted(ids.begin(), ids.end());
  for (const UserInfo& info : *answers) {
    if (wanted.erase(info.openid)) records.push_back(toRecord(info));
  }
  if (!wanted.empty()) {
    std::lock_guard lock(mutex_);
    tally_.skipped += static_cast<int64_t>(wanted.size());
  }
  return records;
}

void PageWorkers::write(const std::vector<FollowerRecord>& batch, int64_t syncedAtMs) {
  for (int attempt = 1;; ++attempt) {
    try {
      accounts_.upsertFollowers(batch, syncedAtMs);
      if (!settings_.writeBackStatement.empty()) {
        runs_.writeBack(settings_.writeBackStatement, batch);
      }
      break;
    } catch (const StoreError& e) {
      if (attempt >= kStoreAttempts || stop_.stopped()) throw;
      logger().warning("writing %z followers failed (attempt %d of %d), retrying: %s", batch.size(),
                       attempt, kStoreAttempts, std::string(e.what()));
      stop_.sleepFor(jitteredBackoffMs(attempt, settings_.retryBaseMs, settings_.retryMaxMs));
    }
  }
  const auto mapped = std::count_if(batch.begin(), batch.end(),
                                    [](const FollowerRecord& f) { return !f.unionid.empty(); });
  std::lock_guard lock(mutex_);
  tally_.written += static_cast<int64_t>(batch.size());
  tally_.mapped += mapped;
}

void PageWorkers::fail(std::exception_ptr error) {
  std::lock_guard lock(mutex_);
  if (!storeFailure_) storeFailure_ = error;
  abandon_ = true;
}

bool PageWorkers::abandoning() const { return abandon_.load() || stop_.stopped(); }

}  // namespace wxb
