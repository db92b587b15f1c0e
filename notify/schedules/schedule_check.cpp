#include "notify/schedules/schedule_check.h"

#include <algorithm>

#include "cron/cron_interval.h"
#include "cron/iso_time.h"

namespace wxb {

namespace {

constexpr int64_t kMaxFiresLimit = 1'000'000'000;
// 2200-01-01T00:00:00Z: cron's years end with 2199 (kCronMaxYear).
constexpr int64_t kEndOfTimeMs = 7'258'118'400'000;

// Whether a template shows unread events ({{total}}, {{summary}} ...), which a reminder does
// not have: it fills only {{params.NAME}}.
bool showsUnread(const TemplateSpec& spec) {
  for (const auto& [key, pattern] : spec.data) {
    for (const auto& part : pattern) {
      if (part.kind != PatternPart::Kind::Literal && part.kind != PatternPart::Kind::Param) {
        return true;
      }
    }
  }
  return false;
}

std::optional<FieldProblem> checkContent(const Schedule& s, const ScheduleRules& rules) {
  auto spec = findTemplate(rules.notify, s.templateName);
  if (!spec) return spec.error();
  if (showsUnread(**spec)) {
    return FieldProblem{"template",
                        "shows unread events, which a reminder does not have (a "
                        "reminder's template may use only {{params.NAME}})"};
  }
  if (auto problem = checkParams(**spec, s.params)) return problem;
  auto used = (*spec)->paramNames();
  for (const auto& [name, value] : s.params) {
    if (!used.count(name)) {
      return FieldProblem{"params." + name, "not used by template " + s.templateName};
    }
  }
  // The channels the reminder may take, and each form's subscribe values, as a direct message's.
  auto channels = channelsFor(**spec, rules.notify, s.channel);
  if (!channels) return channels.error();
  auto rendered = renderPayload(**spec, *channels, s.channel == "auto", rules.notify.typeLabels,
                                nullptr, s.params);
  if (!rendered) return rendered.error();
  return std::nullopt;
}

std::optional<FieldProblem> checkOneShot(const Schedule& s, int64_t nowMs) {
  if (s.startsAtMs) return FieldProblem{"starts_at", "applies to cron schedules only"};
  if (s.endsAtMs) return FieldProblem{"ends_at", "applies to cron schedules only"};
  if (s.maxFires) return FieldProblem{"max_fires", "applies to cron schedules only"};
  if (*s.atMs < nowMs) return FieldProblem{"at", "is in the past"};
  if (*s.atMs >= kEndOfTimeMs) return FieldProblem{"at", "must be before 2200-01-01"};
  return std::nullopt;
}

std::optional<FieldProblem> checkWindow(const Schedule& s, int64_t nowMs) {
  if (s.atMs) return checkOneShot(s, nowMs);
  if (s.startsAtMs && *s.startsAtMs >= kEndOfTimeMs) {
    return FieldProblem{"starts_at", "must be before 2200-01-01"};
  }
  if (s.endsAtMs && s.startsAtMs && *s.endsAtMs < *s.startsAtMs) {
    return FieldProblem{"ends_at", "is before starts_at"};
  }
  if (s.endsAtMs && *s.endsAtMs < nowMs) return FieldProblem{"ends_at", "is in the past"};
  if (s.maxFires && (*s.maxFires < 1 || *s.maxFires > kMaxFiresLimit)) {
    return FieldProblem{"max_fires", "must be 1 to 1000000000"};
  }
  return std::nullopt;
}

// The cron schedule fires within its window, and never too often.
std::optional<FieldProblem> checkCronFires(const Schedule& s, const ScheduleTrigger& trigger,
                                           const ScheduleSettings& settings, int64_t nowMs) {
  const CronExpr& cron = *trigger.cron();
  int64_t from = s.startsAtMs ? std::max(nowMs, *s.startsAtMs) : nowMs;
  if (!trigger.nextAfter(nowMs - 1)) {
    if (cron.nextAfter(from - 1, trigger.zone())) {
      return FieldProblem{"ends_at", "cron does not fire between starts_at (or now) and ends_at"};
    }
    return FieldProblem{"cron", "never fires after " + formatIsoTime(from, trigger.zone())};
  }
  auto gap = findGapBelow(cron, trigger.zone(), from, s.endsAtMs, settings.minIntervalSeconds);
  if (!gap) return std::nullopt;
  return FieldProblem{"cron", "fires " + std::to_string(gap->seconds) + " seconds apart (" +
                                  gap->where + "); schedules.min_interval_seconds is " +
                                  std::to_string(settings.minIntervalSeconds)};
}

}  // namespace

std::expected<ScheduleTrigger, FieldProblem> checkSchedule(const Schedule& s,
                                                           const ScheduleRules& rules,
                                                           int64_t nowMs) {
  auto trigger = ScheduleTrigger::of(s);
  if (!trigger) return trigger;
  auto problem = checkContent(s, rules);
  if (!problem) problem = checkWindow(s, nowMs);
  if (!problem && trigger->cron()) problem = checkCronFires(s, *trigger, rules.settings, nowMs);
  if (problem) return std::unexpected(*problem);
  return trigger;
}

std::optional<FieldProblem> checkScheduleCount(int64_t existing, const ScheduleSettings& settings) {
  if (existing < settings.maxPerUser) return std::nullopt;
  return FieldProblem{"unionid", "already has " + std::to_string(existing) +
                                     " schedules, the most schedules.max_per_user allows"};
}

}  // namespace wxb
