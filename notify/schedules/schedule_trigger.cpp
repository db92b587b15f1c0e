#include "notify/schedules/schedule_trigger.h"

#include <algorithm>

#include "cron/time_zone.h"

namespace wxb {

namespace {

constexpr size_t kMaxCronChars = 128;

std::expected<const date::time_zone*, FieldProblem> zoneOf(const Schedule& s) {
  if (s.timezone.empty()) {
    if (s.cron.empty()) return nullptr;
    return std::unexpected(FieldProblem{"timezone",
                                        "required with cron (an IANA name like "
                                        "Asia/Shanghai)"});
  }
  const date::time_zone* zone = findTimeZone(s.timezone);
  if (!zone) {
    return std::unexpected(
        FieldProblem{"timezone", "unknown time zone (expected an IANA name like Asia/Shanghai)"});
  }
  return zone;
}

std::expected<CronExpr, FieldProblem> cronOf(const std::string& text) {
  if (text.size() > kMaxCronChars) {
    return std::unexpected(FieldProblem{"cron", "must be at most 128 characters"});
  }
  auto parsed = CronExpr::parse(text);
  if (!parsed) return std::unexpected(FieldProblem{"cron", parsed.error().message});
  return *parsed;
}

}  // namespace

std::expected<ScheduleTrigger, FieldProblem> ScheduleTrigger::of(const Schedule& s) {
  if (!s.cron.empty() && s.atMs) {
    return std::unexpected(FieldProblem{"at", "give either cron or at, not both"});
  }
  if (s.cron.empty() && !s.atMs) {
    return std::unexpected(FieldProblem{"cron", "required (or at, for a one-shot reminder)"});
  }
  ScheduleTrigger trigger;
  if (!s.cron.empty()) {
    auto cron = cronOf(s.cron);
    if (!cron) return std::unexpected(cron.error());
    trigger.cron_ = std::move(*cron);
  }
  auto zone = zoneOf(s);
  if (!zone) return std::unexpected(zone.error());
  trigger.zone_ = *zone;
  trigger.atMs_ = s.atMs;
  trigger.startsAtMs_ = s.startsAtMs;
  trigger.endsAtMs_ = s.endsAtMs;
  return trigger;
}

std::optional<int64_t> ScheduleTrigger::nextAfter(int64_t afterMs) const {
  if (atMs_) return *atMs_ > afterMs ? atMs_ : std::nullopt;
  int64_t from = startsAtMs_ ? std::max(afterMs, *startsAtMs_ - 1) : afterMs;
  auto next = cron_->nextAfter(from, zone_);
  if (next && endsAtMs_ && *next > *endsAtMs_) return std::nullopt;
  return next;
}

}  // namespace wxb
