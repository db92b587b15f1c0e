// `wxbridge digest [--dry-run]`: one unread digest now. Builds the digest (resuming the latest
// run if a crash interrupted it or its messages are not all delivered yet), then delivers the
// outbox in the foreground - unless a `serve` instance is sending (it holds the sender lease), in
// which case delivery is left to it. Prints one summary JSON line on stdout. --dry-run writes
// nothing and shows what would be sent, with a sample message.
#include <nlohmann/json.hpp>
#include <ostream>

#include "bridge/app/services.h"
#include "bridge/cli/commands.h"

namespace wxb {

namespace {

// How far ahead the foreground delivery waits for retries before leaving them to a later run.
constexpr int64_t kDrainHorizonMs = 60'000;

nlohmann::json sampleJson(const TemplateMessage& m) {
  nlohmann::json out = {{"touser", m.touser}, {"template_id", m.templateId}, {"data", m.data}};
  if (m.miniprogram) {
    out["miniprogram"] = {{"appid", m.miniprogram->appid}, {"pagepath", m.miniprogram->pagepath}};
  }
  return out;
}

nlohmann::json reportJson(const DigestReport& r) {
  nlohmann::json out = {{"dry_run", r.dryRun},
                        {"accounts", r.accounts},
                        {"skipped_not_following", r.skipped},
                        {"duration_ms", r.durationMs}};
  if (r.dryRun) {
    out["messages"] = r.enqueued;
    out["sample"] = r.sample ? sampleJson(*r.sample) : nlohmann::json();
    return out;
  }
  out["digest_run"] = r.runId;
  out["run_key"] = r.runKey;
  out["resumed"] = r.resumed;
  out["enqueued"] = r.enqueued;
  out["already_enqueued"] = r.alreadyEnqueued;
  return out;
}

// Who delivers: a `serve` holding the sender lease, else this process.
std::optional<LeaseHolder> servingSender(const CommandContext& ctx, Services& services) {
  return services.store->leases().holder(OutboxSender::kSenderLease, ctx.clock.nowMs());
}

void deliver(Services& services, const std::optional<LeaseHolder>& serving,
             const DigestReport& report, nlohmann::json& out) {
  if (serving) {
    out["delivery"] = "serve";
    out["sender"] = serving->owner;
  } else {
    services.sender->drain(kDrainHorizonMs);
    SenderStats stats = services.sender->stats();  // sending began while the digest was built
    out["delivery"] = "this process";
    out["sent"] = stats.sent;
    out["failed"] = stats.failed;
    out["unknown"] = stats.unknown;
    out["retried"] = stats.retried;
  }
  out["pending"] = services.store->notifications().openMessagesOfRun(report.runId);
}

}  // namespace

int runDigestCommand(const CommandContext& ctx, const CommandArgs& args) {
  bool dryRun = args.size() == 1 && args[0] == "--dry-run";
  if (!args.empty() && !dryRun) {
    ctx.err << "wxbridge digest: usage: digest [--dry-run]\n";
    return 2;
  }
  if (ctx.settings.notify.digestTemplate.empty()) {
    ctx.err << "wxbridge: configuration error: notify.digest.template: must name the template "
               "the digest uses (templates.NAME.*)\n";
    return 2;
  }
  if (auto missing = requireApp(ctx.settings, App::Oa); missing && !dryRun) {
    ctx.err << "wxbridge: configuration error: " << missing->describe() << "\n";
    return 2;
  }
  auto services = Services::open(ctx.settings, ctx.clock);
  auto serving = dryRun ? std::nullopt : servingSender(ctx, *services);
  // Sending starts while the digest is being built: the first pages go out meanwhile.
  if (!dryRun && !serving) services->sender->start();
  DigestReport report = services->digest->runNow(dryRun);
  if (report.busy) {
    ctx.err << "wxbridge digest: another process is building a digest now (lease "
            << DigestRunner::kLease << "); try again when it is done\n";
    return 1;
  }
  nlohmann::json out = reportJson(report);
  if (!dryRun) deliver(*services, serving, report, out);
  ctx.out << out.dump() << std::endl;
  return 0;
}

}  // namespace wxb
