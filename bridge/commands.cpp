#include "bridge/commands.h"

namespace wxb {

const std::vector<CommandInfo>& commands() {
  static const std::vector<CommandInfo> all = {
      {"serve", "serve [--daemon] [--pidfile=FILE]", "HTTP server and scheduled jobs until SIGTERM",
       runServeCommand},
      {"migrate", "migrate", "apply pending schema migrations", runMigrateCommand},
      {"lookup", "lookup UNIONID", "print the account as JSON (exit 1 when unknown)",
       runLookupCommand},
      {"token", "token oa|mp [--show]", "token status, fetching one only if none is stored",
       runTokenCommand},
  };
  return all;
}

}  // namespace wxb
