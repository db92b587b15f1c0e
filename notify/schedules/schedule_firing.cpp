#include "notify/schedules/schedule_firing.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <vector>

#include "notify/messages.h"
#include "notify/schedules/schedule_fires.h"

namespace wxb {

namespace {

Poco::Logger& logger() { return Poco::Logger::get("wxb.schedules"); }

// The channels of `s`'s message (its template's, per its channel), or nullopt with a warning
// when the template is gone or no longer has the channel.
std::optional<std::vector<Channel>> channelsOf(const Schedule& s, const NotifySettings& notify) {
  auto spec = findTemplate(notify, s.templateName);
  if (!spec) {
    logger().warning("schedules: schedule %s names template %s, which is no longer configured",
                     std::to_string(s.id), s.templateName);
    return std::nullopt;
  }
  auto channels = channelsFor(**spec, notify, s.channel);
  if (!channels) {
    logger().warning("schedules: schedule %s: %s", std::to_string(s.id), channels.error().problem);
    return std::nullopt;
  }
  return *channels;
}

// The message of `s`'s fire at `fireMs` to `to` on `channels`, of the reminder class, or
// nullopt (logged) when a value no longer fits a subscribe form.
std::optional<NewMessage> fireMessage(const Schedule& s, int64_t fireMs,
                                      const ScheduleRecipient& to, const NotifySettings& notify,
                                      const std::vector<Channel>& channels) {
  const TemplateSpec& spec = **findTemplate(notify, s.templateName);
  auto message =
      outboxMessage(spec, notify, channels, s.channel == "auto", nullptr, s.params,
                    scheduleFireKey(s.id, fireMs), s.unionid, to.oaOpenid, SendClass::Reminder);
  if (!message) {
    logger().warning("schedules: schedule %s: %s: %s", std::to_string(s.id), message.error().field,
                     message.error().problem);
    return std::nullopt;
  }
  return *message;
}

}  // namespace

ScheduleFireDecision decideFire(Schedule& s, const ScheduleRecipient& to,
                                const NotifySettings& notify, const ScheduleSettings& settings,
                                int64_t nowMs) {
  ScheduleFireDecision decision;
  auto trigger = ScheduleTrigger::of(s);
  if (!trigger) {
    logger().warning("schedules: schedule %s finished: %s: %s", std::to_string(s.id),
                     trigger.error().field, trigger.error().problem);
    s.state = ScheduleState::Finished;
    s.nextFireMs.reset();
    return decision;
  }
  DueFire due = takeDueFire(s, *trigger, nowMs, settings.misfireGraceSeconds * 1000);
  // A stored row that is due but not active (takeDueFire leaves it) must not stay due.
  if (s.state != ScheduleState::Active) s.nextFireMs.reset();
  decision.fireMs = due.fireMs;
  decision.missed = due.missed;
  if (!due.fireMs) return decision;
  auto channels = channelsOf(s, notify);
  if (!channels) return decision;
  // A reminder for oa_template alone needs a follower now; one with other channels is enqueued
  // and takes its channel when it is sent (or ends no_channel then, saying why).
  const bool templateOnly = *channels == std::vector{Channel::OaTemplate};
  if (templateOnly && (to.oaOpenid.empty() || !to.subscribed)) {
    ++s.unreachable;
    decision.unreachable = true;
    return decision;
  }
  decision.message = fireMessage(s, *due.fireMs, to, notify, *channels);
  return decision;
}

ScheduleFiring::ScheduleFiring(Schedules& schedules, const Clock& clock,
                               const NotifySettings& notify, const ScheduleSettings& settings,
                               ScheduleFireObserver observer)
    : schedules_(schedules),
      clock_(clock),
      notify_(notify),
      settings_(settings),
      observer_(std::move(observer)) {}

std::optional<int64_t> ScheduleFiring::fireDue(int64_t nowMs) {
  for (int64_t pageMs = nowMs;; pageMs = std::max(nowMs, clock_.nowMs())) {
    auto decisions = schedules_.fireDue(pageMs, kFirePage, [&](Schedule& s, const auto& to) {
      return decideFire(s, to, notify_, settings_, pageMs);
    });
    if (observer_) {
      for (const auto& d : decisions) observer_(d, pageMs);
    }
    if (decisions.size() < static_cast<size_t>(kFirePage)) break;
  }
  return schedules_.nextFireMs();
}

}  // namespace wxb
