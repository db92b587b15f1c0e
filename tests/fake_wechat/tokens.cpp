#include "fake_wechat/tokens.h"

#include <algorithm>
#include <limits>
#include <mutex>

#include "fake_wechat/rng.h"

namespace wxb::fake {
namespace {

constexpr int64_t kNever = std::numeric_limits<int64_t>::max();
constexpr int64_t kRememberDeadMs = 3600 * 1000;
constexpr int64_t kMs = 1000;
constexpr std::size_t kMaxTokenLength = 512;

bool wellFormed(std::string_view token) {
  return !token.empty() && token.size() <= kMaxTokenLength &&
         token.find_first_not_of(kIdAlphabet) == std::string_view::npos;
}

}  // namespace

TokenService::TokenService(const TokenSettings& settings, const FakeClock& clock)
    : settings_(settings), clock_(clock) {}

const std::string& TokenService::issue(App app, Kind kind, int64_t now) {
  prune(now);
  std::string value = randomString(kTokenLength);
  records_[value] = Record{app, now + settings_.ttl * kMs, kNever};
  Slot& target = slot(app, kind);
  target.current = std::move(value);
  return target.current;
}

bool TokenService::alive(const std::string& token, int64_t now, int64_t margin) const {
  auto found = records_.find(token);
  if (found == records_.end()) return false;
  return now < found->second.validUntil && now < found->second.expiresAt - margin;
}

void TokenService::retire(const std::string& token, int64_t until) {
  auto found = records_.find(token);
  if (found != records_.end()) found->second.validUntil = std::min(found->second.validUntil, until);
}

void TokenService::prune(int64_t now) {
  if (records_.size() < pruneAt_) return;
  std::erase_if(records_, [now](const auto& entry) {
    const Record& r = entry.second;
    return std::min(r.validUntil, r.expiresAt) + kRememberDeadMs <= now;
  });
  pruneAt_ = std::max<std::size_t>(4096, records_.size() * 2);
}

IssuedToken TokenService::fetchClassic(App app) {
  std::unique_lock lock(mutex_);
  int64_t now = clock_.nowMs();
  Slot& classic = slot(app, kClassic);
  retire(classic.previous, now);
  retire(classic.current, now + settings_.overlap * kMs);
  classic.previous = classic.current;
  return IssuedToken{issue(app, kClassic, now), settings_.ttl, true};
}

std::optional<ForceRefused> TokenService::admitForce(App app, int64_t now) {
  ForceState& state = force_[static_cast<int>(app)];
  if (int64_t day = chinaDay(now / kMs); state.day != day) {
    state.day = day;
    state.count = 0;
  }
  if (state.lastAt != 0 && now - state.lastAt < settings_.forceRefreshInterval * kMs) {
    return ForceRefused::kTooSoon;
  }
  if (state.count >= settings_.forceRefreshDaily) return ForceRefused::kDailyLimit;
  ++state.count;
  state.lastAt = now;
  return std::nullopt;
}

std::variant<IssuedToken, ForceRefused> TokenService::fetchStable(App app, bool forceRefresh) {
  std::unique_lock lock(mutex_);
  int64_t now = clock_.nowMs();
  Slot& stable = slot(app, kStable);
  if (forceRefresh) {
    if (auto refused = admitForce(app, now)) return *refused;
    retire(stable.current, now);
    return IssuedToken{issue(app, kStable, now), settings_.ttl, true};
  }
  int64_t window = std::min(settings_.stableRenewWindow * kMs, settings_.ttl * kMs / 2);
  if (!stable.current.empty() && alive(stable.current, now, window)) {
    int64_t remaining = records_.at(stable.current).expiresAt - now;
    return IssuedToken{stable.current, (remaining + kMs - 1) / kMs, false};
  }
  return IssuedToken{issue(app, kStable, now), settings_.ttl, true};
}

int TokenService::check(std::string_view token, App app) const {
  if (!wellFormed(token)) return 40014;
  std::shared_lock lock(mutex_);
  auto found = records_.find(std::string(token));
  if (found == records_.end() || found->second.app != app || found->second.stuck) return 40001;
  const Record& record = found->second;
  int64_t now = clock_.nowMs();
  if (now < record.validUntil && now < record.expiresAt) return 0;
  return record.expiresAt <= record.validUntil ? 42001 : 40001;
}

int TokenService::forEachLive(App app, int64_t now, const std::function<void(Record&)>& change) {
  int live = 0;
  for (auto& [value, record] : records_) {
    if (record.app != app || now >= record.validUntil || now >= record.expiresAt) continue;
    change(record);
    ++live;
  }
  return live;
}

int TokenService::invalidate(App app) {
  std::unique_lock lock(mutex_);
  int64_t now = clock_.nowMs();
  int killed = forEachLive(app, now, [now](Record& record) { record.validUntil = now; });
  slot(app, kClassic) = Slot{};
  slot(app, kStable) = Slot{};
  return killed;
}

int TokenService::stick(App app) {
  std::unique_lock lock(mutex_);
  return forEachLive(app, clock_.nowMs(), [](Record& record) { record.stuck = true; });
}

}  // namespace wxb::fake
