// Counters behind GET /__fake/stats: platform calls by path, answers by errcode, tokens issued
// by app, and injected faults by kind.
//
// The router records each platform call once, when it is answered (or dropped); the token
// routes count issued tokens. Control routes are not counted. Thread-safety: all members are
// thread-safe (one mutex for the maps, atomics for the rest).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>

#include "fake_wechat/faults.h"
#include "fake_wechat/options.h"

namespace wxb::fake {

class Stats {
 public:
  // One platform call of `path`, answered with `errcode` (nullopt: HTTP 500 or dropped).
  void recordCall(const std::string& path, std::optional<int> errcode);
  void recordFault(Fault fault);
  void recordTokenIssued(App app);

  // {"calls":{PATH:N},"errcodes":{"CODE":N},"tokens_issued":{"oa":N,"mp":N},
  //  "faults":{"http_500":N,"busy":N,"timeout":N}}
  nlohmann::json snapshot() const;

  void reset();

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, uint64_t> calls_;
  std::map<int, uint64_t> errcodes_;
  std::atomic<uint64_t> tokensIssued_[2] = {0, 0};
  std::atomic<uint64_t> faults_[4] = {0, 0, 0, 0};
};

}  // namespace wxb::fake
