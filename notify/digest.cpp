#include "notify/digest.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "notify/outbox_payload.h"
#include "notify/template_render.h"

namespace wxb {

namespace {

constexpr int kPageAccounts = 1000;
constexpr int64_t kLeaseTtlMs = 60'000;

Poco::Logger& logger() { return Poco::Logger::get("wxb.notify"); }

const TemplateSpec& digestSpec(const NotifySettings& settings) {
  auto found = settings.templates.find(settings.digestTemplate);
  if (found == settings.templates.end()) {
    throw std::invalid_argument("notify.digest.template names no configured template");
  }
  return found->second;
}

bool follows(const UnreadSummary& unread) { return unread.subscribed && !unread.oaOpenid.empty(); }

// `unread` as the user's preferences let the digest show it; nullopt when it sends nothing.
std::optional<UnreadSummary> asPreferred(const UnreadSummary& unread, const Preferences* prefs) {
  if (!follows(unread)) return std::nullopt;
  if (!prefs) return unread;
  if (prefs->digest == false) return std::nullopt;
  UnreadSummary shown = unread;
  if (prefs->mutedTypes) {
    auto muted = [&](const std::string& type) {
      return std::ranges::find(*prefs->mutedTypes, type) != prefs->mutedTypes->end();
    };
    std::erase_if(shown.counts, [&](const TypeCount& c) { return muted(c.type); });
    // Neither counted nor shown: {{actor}}/{{text}} are the newest event of a type not muted.
    std::erase_if(shown.newestByType, [&](const NewestUnread& n) { return muted(n.type); });
    showNewest(shown);
  }
  if (shown.counts.empty()) return std::nullopt;
  return shown;
}

// The stored preferences of `page`'s users, by unionid.
std::map<std::string, Preferences> preferencesOf(Notices& notices,
                                                 const std::vector<UnreadSummary>& page) {
  std::vector<std::string> unionids;
  for (const auto& unread : page) unionids.push_back(unread.unionid);
  return notices.preferencesOf(unionids);
}

const Preferences* find(const std::map<std::string, Preferences>& prefs, const std::string& id) {
  auto found = prefs.find(id);
  return found == prefs.end() ? nullptr : &found->second;
}

// The report of `run` before this call adds to it; a run already enqueued is done.
DigestReport reportOf(const DigestRun& run, bool resumed) {
  DigestReport report;
  report.runId = run.id;
  report.runKey = run.runKey;
  report.resumed = resumed;
  if (run.enqueued) {
    report.alreadyDone = true;
    report.accounts = run.accounts;
    report.alreadyEnqueued = run.messages;
    report.skipped = run.skipped;
  }
  return report;
}

void logReport(const DigestReport& r) {
  logger().information(
      "digest run %?d (%s%s): %?d accounts with unread events, %?d messages enqueued, %?d "
      "enqueued before, %?d not following, %?d ms",
      r.runId, r.runKey, std::string(r.resumed ? ", resumed" : ""), r.accounts, r.enqueued,
      r.alreadyEnqueued, r.skipped, r.durationMs);
}

}  // namespace

std::optional<NewMessage> digestMessage(const TemplateSpec& spec, const TypeLabels& labels,
                                        const UnreadSummary& unread, int64_t runId,
                                        const Preferences* prefs) {
  auto shown = asPreferred(unread, prefs);
  if (!shown) return std::nullopt;
  TemplateMessage rendered = renderTemplate(spec, labels, shown->oaOpenid, &*shown, {});
  NewMessage message{
      digestMessageKey(runId, shown->unionid), shown->unionid, shown->oaOpenid, spec.name,
      encodeTemplatePayload(rendered),         runId};
  message.sendClass = static_cast<int>(spec.priority.value_or(SendClass::Digest));
  return message;
}

std::string scheduledRunKey(int64_t slotMs) { return "cron:" + std::to_string(slotMs); }

std::optional<int64_t> lastFireAtOrBefore(const CronExpr& expr, const date::time_zone* zone,
                                          int64_t nowMs, int64_t lookbackMs) {
  std::optional<int64_t> last;
  // nextAfter is strictly after its argument: start one millisecond before the window.
  for (auto fire = expr.nextAfter(nowMs - lookbackMs - 1, zone); fire && *fire <= nowMs;
       fire = expr.nextAfter(*fire, zone)) {
    last = fire;
  }
  return last;
}

DigestRunner::DigestRunner(Notifications& notifications, Notices& notices, Leases& leases,
                           const NotifySettings& settings, const Clock& clock,
                           std::function<void()> onEnqueued)
    : notifications_(notifications),
      notices_(notices),
      leases_(leases),
      settings_(settings),
      spec_(digestSpec(settings)),
      clock_(clock),
      onEnqueued_(std::move(onEnqueued)) {}

DigestReport DigestRunner::runNow(bool dryRun) {
  if (dryRun) return this->dryRun();
  Notifications& notify = notifications_;
  const int64_t now = clock_.nowMs();
  auto latest = notify.latestDigestRun();
  if (latest && now - latest->startedAtMs < kResumeWindowMs &&
      (!latest->enqueued || notify.openMessagesOfRun(latest->id) > 0)) {
    return build(*latest, true);
  }
  return build(notify.openDigestRun("manual:" + std::to_string(now), now), false);
}

DigestReport DigestRunner::runScheduled(int64_t slotMs) {
  DigestRun run = notifications_.openDigestRun(scheduledRunKey(slotMs), clock_.nowMs());
  return build(run, !run.created);
}

std::optional<DigestReport> DigestRunner::resumeInterrupted() {
  auto latest = notifications_.latestDigestRun();
  if (!latest || latest->enqueued || clock_.nowMs() - latest->startedAtMs >= kResumeWindowMs) {
    return std::nullopt;
  }
  if (leases_.holder(kLease, clock_.nowMs())) return std::nullopt;
  return build(*latest, true);
}

DigestReport DigestRunner::build(const DigestRun& opened, bool resumed) {
  std::lock_guard one(building_);
  if (opened.enqueued) return reportOf(opened, resumed);
  const int64_t started = clock_.nowMs();
  Lease lease(leases_, clock_, kLease, kLeaseTtlMs);
  if (!lease) {
    DigestReport busy = reportOf(opened, resumed);
    busy.busy = true;
    return busy;
  }
  // Again under the lease: the process that held it may have finished this run meanwhile.
  DigestRun run = notifications_.openDigestRun(opened.runKey, started);
  DigestReport report = reportOf(run, resumed);
  if (!run.enqueued) enqueuePages(run, lease, report);
  report.durationMs = clock_.nowMs() - started;
  if (!report.alreadyDone) logReport(report);
  return report;
}

void DigestRunner::enqueuePages(const DigestRun& run, Lease& lease, DigestReport& report) {
  Notifications& notify = notifications_;
  for (std::string after;;) {
    auto page = notify.unreadPage(after, kPageAccounts);
    if (page.empty()) break;
    const auto prefs = preferencesOf(notices_, page);
    std::vector<NewMessage> batch;
    std::map<std::string, int64_t> heldUpTo;  // the held events each message counted
    for (const auto& unread : page) {
      auto message =
          digestMessage(spec_, settings_.typeLabels, unread, run.id, find(prefs, unread.unionid));
      if (!message) continue;
      batch.push_back(std::move(*message));
      heldUpTo[unread.unionid] = unread.heldUpToId;
    }
    const int64_t created = notices_.enqueueDigest(batch, heldUpTo, clock_.nowMs());
    report.accounts += static_cast<int64_t>(page.size());
    report.skipped += static_cast<int64_t>(page.size() - batch.size());
    report.enqueued += created;
    report.alreadyEnqueued += static_cast<int64_t>(batch.size()) - created;
    if (created > 0 && onEnqueued_) onEnqueued_();
    after = page.back().unionid;
    if (!lease.renew()) {
      throw StoreError("digest: lost the lease " + std::string(kLease) + " while building");
    }
  }
  notify.finishDigestRun(run.id, report.accounts, report.skipped, clock_.nowMs());
}

DigestReport DigestRunner::dryRun() {
  DigestReport report;
  report.dryRun = true;
  Notifications& notify = notifications_;
  const int64_t started = clock_.nowMs();
  for (std::string after;;) {
    auto page = notify.unreadPage(after, kPageAccounts);
    if (page.empty()) break;
    const auto prefs = preferencesOf(notices_, page);
    for (const auto& unread : page) {
      ++report.accounts;
      auto shown = asPreferred(unread, find(prefs, unread.unionid));
      if (!shown) {
        ++report.skipped;
        continue;
      }
      ++report.enqueued;
      if (!report.sample) {
        report.sample = renderTemplate(spec_, settings_.typeLabels, shown->oaOpenid, &*shown, {});
      }
    }
    after = page.back().unionid;
  }
  report.durationMs = clock_.nowMs() - started;
  return report;
}

}  // namespace wxb
