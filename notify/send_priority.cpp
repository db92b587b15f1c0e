#include "notify/send_priority.h"

#include <array>
#include <cmath>
#include <utility>

#include "wechat/china_day.h"

namespace wxb {

namespace {

struct ClassInfo {
  SendClass sendClass;
  std::string_view name;
  double reserve;
};

constexpr std::array<ClassInfo, 4> kClasses = {{
    {SendClass::Direct, "direct", 0.0},
    {SendClass::Reminder, "reminder", 0.02},
    {SendClass::Realtime, "realtime", 0.05},
    {SendClass::Digest, "digest", 0.10},
}};

const ClassInfo& info(SendClass sendClass) { return kClasses[static_cast<size_t>(sendClass)]; }

}  // namespace

std::string_view sendClassName(SendClass sendClass) { return info(sendClass).name; }

std::optional<SendClass> parseSendClass(std::string_view name) {
  for (const ClassInfo& known : kClasses) {
    if (known.name == name) return known.sendClass;
  }
  return std::nullopt;
}

double budgetReserve(SendClass sendClass) { return info(sendClass).reserve; }

std::optional<int64_t> closedUntilMs(SendClass sendClass, const ChannelBudget& budget,
                                     int64_t nowMs) {
  if (budget.pausedUntilMs > 0) {
    const int64_t resumesAt =
        budget.pausedUntilMs + static_cast<int64_t>(sendClass) * kResumeStaggerMs;
    if (nowMs < resumesAt) return resumesAt;
  }
  // The class may use the budget up to what it leaves to the classes above it.
  const double usable =
      std::floor(static_cast<double>(budget.dailyBudget) * (1.0 - budgetReserve(sendClass)));
  if (static_cast<double>(budget.usedToday) < usable) return std::nullopt;
  return nextChinaMidnightMs(nowMs);
}

}  // namespace wxb
