#include "notify/notice_engine.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <stdexcept>

#include "notify/outbox_payload.h"
#include "notify/template_render.h"

namespace wxb {

namespace {

Poco::Logger& logger() { return Poco::Logger::get("wxb.notify"); }

const TemplateSpec& templateNamed(const NotifySettings& settings, const std::string& name,
                                  const char* key) {
  auto found = settings.templates.find(name);
  if (found == settings.templates.end()) {
    throw std::invalid_argument(std::string(key) + " names no configured template");
  }
  return found->second;
}

// {{unread}}: the user's unread events of the types not muted, plus the notice's events read
// since it fell due (a late decision), which {{total}} counts as unread at the due time - so it
// is never below {{total}}. The store reads the unread counts before the held events, under
// the user's window: no held event is added in between, reads only take them away.
int64_t unreadNotMuted(const NoticeUser& user, const NoticePrefs& prefs, const Notice& notice) {
  int64_t unread = 0;
  for (const auto& c : user.unread) {
    if (!prefs.mutedTypes.count(c.type)) unread += c.count;
  }
  for (const auto& e : user.held) {
    if (e.readAtMs != 0 && std::ranges::find(notice.eventIds, e.id) != notice.eventIds.end()) {
      ++unread;
    }
  }
  return unread;
}

bool follows(const NoticeUser& user) { return user.subscribed && !user.oaOpenid.empty(); }

void countPlan(const NoticePlan& plan, bool sent, NoticeCounts& counts) {
  ++counts.users;
  counts.dropped += static_cast<int64_t>(plan.droppedIds.size());
  counts.held += static_cast<int64_t>(plan.droppedIds.size());
  counts.quietHeld += plan.quietHeldEvents;
  if (!plan.notice) return;
  const auto events = static_cast<int64_t>(plan.notice->eventIds.size());
  if (plan.notice->kind == NoticeKind::Many) counts.held += events;
  if (!sent) {
    counts.noFollower += events;
  } else if (plan.notice->kind == NoticeKind::Single) {
    ++counts.single;
  } else {
    ++counts.many;
    counts.merged += events;
  }
}

}  // namespace

NoticeCounts& NoticeCounts::operator+=(const NoticeCounts& o) {
  single += o.single;
  many += o.many;
  held += o.held;
  merged += o.merged;
  dropped += o.dropped;
  quietHeld += o.quietHeld;
  noFollower += o.noFollower;
  users += o.users;
  failed += o.failed;
  return *this;
}

NoticeEngine::NoticeEngine(Notices& notices, const NotifySettings& settings,
                           const std::string& timezone, const Clock& clock,
                           std::function<void(const NoticeCounts&)> onDecided)
    : notices_(notices),
      settings_(settings),
      single_(templateNamed(settings, settings.realtime.singleTemplate, "notify.realtime.single")),
      many_(templateNamed(settings, settings.realtime.manyTemplate, "notify.realtime.many")),
      defaults_{timezone, settings.realtime.quietHours},
      rules_{settings.realtime.throttleMs, settings.realtime.types},
      clock_(clock),
      onDecided_(std::move(onDecided)) {}

NoticeEngine::~NoticeEngine() { stop(); }

NoticePrefs NoticeEngine::prefsOf(const NoticeUser& user) const {
  return resolvePreferences(user.preferences, defaults_);
}

std::optional<NewMessage> NoticeEngine::messageFor(const NoticeUser& user, const NoticePrefs& prefs,
                                                   const Notice& notice) const {
  if (!follows(user)) return std::nullopt;
  const TemplateSpec& spec = notice.kind == NoticeKind::Single ? single_ : many_;
  TemplateMessage rendered =
      renderTemplate(spec, settings_.typeLabels, user.oaOpenid,
                     noticeValues(notice, unreadNotMuted(user, prefs, notice)));
  NewMessage message{noticeMessageKey(user.unionid, notice.number),
                     user.unionid,
                     user.oaOpenid,
                     spec.name,
                     encodeTemplatePayload(rendered),
                     0};
  // On oa_template only (docs/channels.md): the class orders it under a paused or spent budget.
  message.sendClass = static_cast<int>(spec.priority.value_or(SendClass::Realtime));
  return message;
}

NoticeDecision NoticeEngine::decide(const NoticeUser& user, int64_t nowMs,
                                    NoticeCounts* counts) const {
  const NoticePrefs prefs = prefsOf(user);
  const NoticePlan plan = planNotice(user.window, user.held, prefs, rules_, nowMs);
  NoticeDecision d;
  d.window = plan.window;
  d.dueAtMs = plan.nextDecisionAtMs;
  for (int64_t id : plan.droppedIds) d.marks.emplace_back(id, kEventDropped);
  for (int64_t id : plan.ignoredIds) d.marks.emplace_back(id, kEventMuted);
  if (plan.notice) {
    d.message = messageFor(user, prefs, *plan.notice);
    // Nothing sent: the window stays as it was, the events are marked as never sendable.
    if (!d.message) d.window = user.window;
    const int64_t marker = d.message ? plan.notice->number : kEventNoFollower;
    for (int64_t id : plan.notice->eventIds) d.marks.emplace_back(id, marker);
  }
  if (counts) countPlan(plan, d.message.has_value(), *counts);
  return d;
}

NoticeCounts NoticeEngine::runDue() {
  NoticeCounts total;
  for (;;) {
    const int64_t now = clock_.nowMs();
    // A lost lock race runs the claim again: count only the decisions that were written.
    std::map<std::string, NoticeCounts> byUser;
    auto done = notices_.decideDue(now, kBatchUsers, [&](const NoticeUser& user) {
      NoticeCounts& counts = byUser[user.unionid] = NoticeCounts{};
      return decide(user, now, &counts);
    });
    NoticeCounts batch;
    for (const auto& [user, decision] : done.decided) batch += byUser[user.unionid];
    for (const auto& failed : done.failed) {
      logger().error("real-time notices: the decision for %s failed (%s); trying it again in %?d s",
                     failed.unionid, failed.reason, Notices::kFailedRetryMs / 1000);
    }
    batch.failed = static_cast<int64_t>(done.failed.size());
    total += batch;
    if (onDecided_ && (batch.users > 0 || batch.failed > 0)) onDecided_(batch);
    if (done.decided.size() + done.failed.size() < static_cast<size_t>(kBatchUsers)) return total;
  }
}

NoticePreview NoticeEngine::preview(const std::string& unionid) {
  NoticePreview p;
  p.user = notices_.user(unionid);
  p.prefs = prefsOf(p.user);
  p.plan = planNotice(p.user.window, p.user.held, p.prefs, rules_, clock_.nowMs());
  p.follows = follows(p.user);
  if (p.plan.notice) {
    if (auto message = messageFor(p.user, p.prefs, *p.plan.notice)) {
      p.message = decodeTemplatePayload(message->payload, message->touser);
    }
  }
  return p;
}

void NoticeEngine::start() { loop_.start(); }

void NoticeEngine::stop() { loop_.stop(); }

void NoticeEngine::wake() { loop_.wake(); }

// The deciding thread's round: what is due, then the wait until the next due time.
int64_t NoticeEngine::loopPass() {
  try {
    runDue();
    if (auto next = notices_.nextDueMs()) {
      // Due already: another instance holds those users; look again shortly.
      return std::clamp<int64_t>(*next - clock_.nowMs(), kBusyWaitMs, kIdleWaitMs);
    }
  } catch (const std::exception& e) {
    logger().warning("real-time notices: %s; trying again in %?d ms", std::string(e.what()),
                     kIdleWaitMs);
  }
  return kIdleWaitMs;
}

}  // namespace wxb
