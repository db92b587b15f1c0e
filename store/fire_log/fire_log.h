// StoreFireLog: the scheduler's FireLog (cron/scheduler.h) in the store - the last fire time of
// every cron job, shared by all instances, so the misfire policy survives a restart. Reached
// through Store::fireLog(). Thread-safe; throws StoreUnavailable or StoreError (the scheduler
// logs them).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cron/scheduler.h"

namespace wxb {

class Db;
struct FireLogSql;

class StoreFireLog final : public FireLog {
 public:
  explicit StoreFireLog(Db& db);

  std::optional<int64_t> lastFireMs(const std::string& job) override;
  // Never moves a job's time backwards: two instances recording one fire leave the later time.
  void recordFireMs(const std::string& job, int64_t fireMs) override;

 private:
  Db& db_;
  const FireLogSql& sql_;
};

}  // namespace wxb
