#include "fake_wechat/stats.h"

namespace wxb::fake {

void Stats::recordCall(const std::string& path, std::optional<int> errcode) {
  std::lock_guard lock(mutex_);
  ++calls_[path];
  if (errcode) ++errcodes_[*errcode];
}

void Stats::recordFault(Fault fault) {
  faults_[static_cast<int>(fault)].fetch_add(1, std::memory_order_relaxed);
}

void Stats::recordTokenIssued(App app) {
  tokensIssued_[static_cast<int>(app)].fetch_add(1, std::memory_order_relaxed);
}

nlohmann::json Stats::snapshot() const {
  nlohmann::json out;
  out["calls"] = nlohmann::json::object();
  out["errcodes"] = nlohmann::json::object();
  {
    std::lock_guard lock(mutex_);
    for (const auto& [path, count] : calls_) out["calls"][path] = count;
    for (const auto& [code, count] : errcodes_) out["errcodes"][std::to_string(code)] = count;
  }
  out["tokens_issued"] = {{"oa", tokensIssued_[0].load()}, {"mp", tokensIssued_[1].load()}};
  out["faults"] = {{"http_500", faults_[static_cast<int>(Fault::kHttp500)].load()},
                   {"busy", faults_[static_cast<int>(Fault::kBusy)].load()},
                   {"timeout", faults_[static_cast<int>(Fault::kTimeout)].load()}};
  return out;
}

void Stats::reset() {
  std::lock_guard lock(mutex_);
  calls_.clear();
  errcodes_.clear();
  for (auto& counter : tokensIssued_) counter.store(0);
  for (auto& counter : faults_) counter.store(0);
}

}  // namespace wxb::fake
