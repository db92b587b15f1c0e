// `wxbridge serve [--daemon] [--pidfile=FILE]`: the HTTP server and the scheduled jobs, as a
// Poco ServerApplication (daemon and pidfile handling come from Poco), until SIGTERM/SIGINT,
// then a drain: stop accepting, let requests in flight finish, exit 0.
#include <Poco/Logger.h>
#include <Poco/Util/ServerApplication.h>

#include <ostream>

#include "bridge/app/jobs.h"
#include "bridge/app/serve_routes.h"
#include "bridge/app/services.h"
#include "bridge/cli/commands.h"
#include "bridge/cli/shutdown_signals.h"
#include "bridge/config/file_paths.h"
#include "bridge/config/logging.h"
#include "bridge/http/http_server.h"

namespace wxb {

namespace {

Poco::Logger& serveLog() { return Poco::Logger::get("wxb.serve"); }

class ServeApp final : public Poco::Util::ServerApplication {
 public:
  explicit ServeApp(const CommandContext& ctx) : ctx_(ctx) {}

 protected:
  int main(const std::vector<std::string>&) override {
    // Poco's application start-up replaced the root channel; runCli() has checked these keys.
    (void)configureLogging(ctx_.config);
    try {
      return serve();
    } catch (const std::exception&) {
      return reportFailure("serve", ctx_.err);
    }
  }

 private:
  int serve() {
    ShutdownSignals stops;  // before any thread starts; a stop during start-up exits at once
    auto services = Services::open(ctx_.settings, ctx_.clock);
    if (auto why = services->store->whyNotReady()) {
      throw StoreUnavailable("the store cannot serve requests: " + *why);
    }
    describeHttpMetrics(services->metrics);
    ServeRoutes routes(*services);
    HttpServer server(ctx_.settings.http, routes.router(), services->metrics);
    server.start();
    ctx_.out << "listening on " << ctx_.settings.http.bind << ":" << server.port() << std::endl;
    serveLog().information("listening on %s:%d", ctx_.settings.http.bind, server.port());
    Scheduler scheduler(ctx_.clock, &services->store->fireLog());
    for (auto& job : scheduledJobs(*services)) scheduler.add(std::move(job));
    scheduler.start();
    services->sender->start(true);                      // delivers the outbox until stopped
    if (services->notices) services->notices->start();  // decides real-time notices
    services->schedules->start();  // fires reminders into the outbox until stopped
    if (services->callbackWorker) services->callbackWorker->start();  // the pushes' queue
    stops.started();
    stops.wait();
    serveLog().information("stopping: draining requests in flight (up to %d s)",
                           ctx_.settings.http.drainSeconds);
    server.stop();
    // The sync first: a running sync checkpoints and the next one resumes. The scheduler's stop
    // does not end the sync job's run (its own StopSignal scope hides the scheduler's,
    // cron/stop_signal.h), so scheduler.stop() before it would wait out the whole sync.
    services->sync->stop("shutting down");
    scheduler.stop();
    if (services->notices) services->notices->stop();  // a decision is one transaction
    services->schedules->stop();  // a pass in progress commits or rolls back whole
    services->sender->stop();     // sends in flight finish; claims left behind are resent safely
    if (services->callbackWorker) services->callbackWorker->stop();  // claims expire, retried
    serveLog().information("stopped");
    return 0;
  }

  const CommandContext& ctx_;
};

}  // namespace

int runServeCommand(const CommandContext& ctx, const CommandArgs& args) {
  for (const auto& a : args) {
    if (a != "--daemon" && a.rfind("--pidfile=", 0) != 0) {
      ctx.err << "wxbridge serve: unknown argument " << a << " (takes --daemon, --pidfile=FILE)\n";
      return 2;
    }
    if (a.starts_with("--pidfile=")) {
      // Checked here: Poco would exit 78 with only "File not found" once start-up had begun.
      if (auto problem = unwritableFileProblem(a.substr(10))) {
        ctx.err << "wxbridge serve: --pidfile: " << *problem << "\n";
        return 2;
      }
      // Before Poco writes it: a second daemon would take the running one's pid file.
      if (auto running = runningPidfileProblem(a.substr(10))) {
        ctx.err << "wxbridge serve: --pidfile: " << *running << "\n";
        return 1;
      }
    }
  }
  std::vector<std::string> words = {"wxbridge-serve"};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  ServeApp app(ctx);
  return app.run(static_cast<int>(argv.size()), argv.data());
}

}  // namespace wxb
