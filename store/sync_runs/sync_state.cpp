#include <array>
#include <utility>

#include "store/sync_runs/sync_runs.h"

namespace wxb {

namespace {

constexpr std::array<std::pair<SyncState, const char*>, 7> kStateNames = {{
    {SyncState::Running, "running"},
    {SyncState::Interrupted, "interrupted"},
    {SyncState::Completed, "completed"},
    {SyncState::Incomplete, "incomplete"},
    {SyncState::Truncated, "truncated"},
    {SyncState::Failed, "failed"},
    {SyncState::Abandoned, "abandoned"},
}};

}  // namespace

const char* syncStateName(SyncState state) {
  for (const auto& [s, name] : kStateNames) {
    if (s == state) return name;
  }
  return "failed";
}

SyncState parseSyncState(const std::string& name) {
  for (const auto& [s, n] : kStateNames) {
    if (name == n) return s;
  }
  return SyncState::Failed;
}

bool isResumable(SyncState state) {
  return state == SyncState::Running || state == SyncState::Interrupted;
}

}  // namespace wxb
