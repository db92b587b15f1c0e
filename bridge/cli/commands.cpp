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
       runServeCommand,
       "  --daemon          run in the background (detached from the terminal)\n"
       "  --pidfile=FILE    write the process id to FILE\n"
       "Migrates the store, then serves the HTTP API and runs the scheduled jobs until SIGTERM\n"
       "or SIGINT, which drain and exit 0. Exit 2 for a configuration error, 1 when it cannot\n"
       "start (store, port).\n"},
      {"migrate", "migrate", "apply pending schema migrations", runMigrateCommand,
       "Applies the pending migrations of store.url and prints a JSON line:\n"
       "{\"dialect\",\"applied\":[...],\"already_applied\":N}. Exit 1 when the store fails.\n"},
      {"lookup", "lookup UNIONID", "print the account as JSON (exit 1 when unknown)",
       runLookupCommand,
       "  UNIONID           1-64 characters of A-Z a-z 0-9 _ - (after `--` even one that\n"
       "                    starts like an option)\n"
       "Prints the account as one JSON line; exit 1 when the unionid is unknown.\n"},
      {"token", "token oa|mp [--show]", "token status, fetching one only if none is stored",
       runTokenCommand,
       "  oa|mp             the official account or the mini program\n"
       "  --show            print the token itself (a secret) besides its fingerprint\n"
       "Prints version, expiry, the refresh lease holder and forced refreshes today as JSON.\n"},
      {"sync", "sync [--restart]",
       "one follower sync, resuming an unfinished one; progress on stderr, summary JSON",
       runSyncCommand,
       "  --restart         abandon an unfinished run and start from the top of the list\n"
       "Exit 0 when the run completed, 1 otherwise (the summary says why).\n"},
      {"digest", "digest [--dry-run]",
       "one unread digest now, delivered unless serve does it; summary JSON", runDigestCommand,
       "  --dry-run         count and render, send nothing; the summary shows a sample\n"},
      {"notice", "notice --dry-run UNIONID",
       "what the real-time notice rules would send one user now, and why; JSON", runNoticeCommand,
       "  --dry-run         required: writes nothing\n"
       "  UNIONID           1-64 characters of A-Z a-z 0-9 _ -\n"
       "Shows the window, the held events, the message due now or what holds them until when.\n"},
      {"cron", "cron EXPR [--from T] [--count N] [--tz Z]",
       "the next fire times of a cron expression", runCron, kCronDetails},
  };
  return all;
}

}  // namespace wxb
