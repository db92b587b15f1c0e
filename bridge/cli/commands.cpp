#include "bridge/cli/commands.h"

#include "bridge/cli/cmd_cron.h"
#include "bridge/cli/cmd_sync.h"

namespace wxb {

namespace {

int runCron(const CommandContext& ctx, const CommandArgs& args) {
  return runCronCommand(args, ctx.clock, ctx.out, ctx.err, ctx.settings.timezone);
}

}  // namespace

const std::vector<CommandInfo>& commands() {
  static const std::vector<CommandInfo> all = {
      {"serve", "serve [--daemon] [--pidfile=FILE]", "HTTP server and scheduled jobs until SIGTERM",
       runServeCommand},
      {"migrate", "migrate", "apply pending schema migrations", runMigrateCommand},
      {"lookup", "lookup UNIONID", "print the account as JSON (exit 1 when unknown)",
       runLookupCommand},
      {"token", "token oa|mp [--show]", "token status, fetching one only if none is stored",
       runTokenCommand},
      {"sync", "sync [--restart]",
       "one follower sync, resuming an unfinished one; progress on stderr, summary JSON",
       runSyncCommand},
      {"digest", "digest [--dry-run]",
       "one unread digest now, delivered unless serve does it; summary JSON", runDigestCommand},
      {"cron", "cron EXPR [--from T] [--count N] [--tz Z]",
       "the next fire times of a cron expression", runCron},
  };
  return all;
}

}  // namespace wxb
