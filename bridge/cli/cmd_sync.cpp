#include "bridge/cli/cmd_sync.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "bridge/app/services.h"
#include "bridge/routes/sync_json.h"

namespace wxb {

namespace {

// 1234567 -> "1,234,567"
std::string grouped(int64_t n) {
  const std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out(n < 0 ? 1 : 0, '-');
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string clockText(int64_t ms) {
  const int64_t s = (ms + 999) / 1000;
  char text[32];
  if (s >= 3600) {
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                  static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  } else {
    std::snprintf(text, sizeof text, "%lld:%02lld", static_cast<long long>(s / 60),
                  static_cast<long long>(s % 60));
  }
  return text;
}

// Redraws one line on a terminal; elsewhere (a log file, a test) writes a line now and then.
class ProgressPrinter {
 public:
  ProgressPrinter(std::ostream& err, const Clock& clock)
      : err_(err), clock_(clock), tty_(&err == &std::cerr && isatty(STDERR_FILENO)) {}

  void show(const SyncProgress& p) {
    const int64_t now = clock_.nowMs();
    if (now - lastMs_ < (tty_ ? 100 : 5000) && p.run.pages > 0) return;
    lastMs_ = now;
    err_ << (tty_ ? "\r\033[K" : "") << syncProgressLine(p) << (tty_ ? "" : "\n") << std::flush;
    drawn_ = tty_;
  }
  void end(const SyncProgress& last) {
    lastMs_ = -1'000'000;
    show(last);
    if (drawn_) err_ << "\n";
  }

 private:
  std::ostream& err_;
  const Clock& clock_;
  const bool tty_;
  bool drawn_ = false;
  int64_t lastMs_ = -1'000'000;
};

}  // namespace

std::string syncProgressLine(const SyncProgress& p, int barWidth) {
  const SyncRun& run = p.run;
  std::string line = "sync run " + std::to_string(run.id) + " ";
  if (run.total > 0) {
    const double done = std::min(1.0, static_cast<double>(run.followers) / run.total);
    const int filled = static_cast<int>(done * barWidth);
    line += "[" + std::string(filled, '#') + std::string(barWidth - filled, '.') + "] " +
            std::to_string(static_cast<int>(done * 100)) + "% " + grouped(run.followers) + "/" +
            grouped(run.total);
  } else {
    line += grouped(run.followers);
  }
  line += " followers, page " + grouped(run.pages) + ", " +
          grouped(static_cast<int64_t>(p.rate())) + "/s";
  if (auto eta = p.etaMs()) line += ", ETA " + clockText(*eta);
  return line;
}

int runSyncCommand(const CommandContext& ctx, const CommandArgs& args) {
  const bool restart = args.size() == 1 && args[0] == "--restart";
  if (args.size() > 1 || (args.size() == 1 && !restart)) {
    ctx.err << "wxbridge sync: usage: sync [--restart]\n";
    return 2;
  }
  if (auto missing = requireApp(ctx.settings, App::Oa)) {
    ctx.err << "wxbridge: configuration error: " << missing->describe() << "\n";
    return 2;
  }
  auto services = Services::open(ctx.settings, ctx.clock);
  ProgressPrinter printer(ctx.err, ctx.clock);
  SyncProgress last;
  auto run = services->sync->runNow(restart, [&](const SyncProgress& p) {
    last = p;
    printer.show(p);
  });
  if (!run) {
    ctx.err << "wxbridge sync: another sync is running (" << run.error().owner << ")\n";
    return 1;
  }
  printer.end(last);
  nlohmann::json summary = syncRunJson(*run, ctx.clock.nowMs());
  ctx.out << summary.dump() << std::endl;
  if (run->state == SyncState::Completed) return 0;
  ctx.err << "wxbridge sync: run " << run->id << " " << syncStateName(run->state) << ": "
          << run->lastError << "\n";
  return 1;
}

}  // namespace wxb
