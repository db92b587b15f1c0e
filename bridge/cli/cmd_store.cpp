// The store commands: `migrate` and `lookup`.
#include <Poco/Logger.h>

#include <nlohmann/json.hpp>
#include <ostream>

#include "bridge/cli/commands.h"
#include "bridge/routes/account_json.h"
#include "store/accounts/accounts.h"
#include "store/open_store.h"
#include "wechat/wechat_types.h"

namespace wxb {

int runMigrateCommand(const CommandContext& ctx, const CommandArgs& args) {
  if (!args.empty()) {
    ctx.err << "wxbridge migrate: takes no arguments\n";
    return 2;
  }
  auto store = openStore(ctx.settings.store, ctx.clock);
  MigrationReport report = store->migrate();
  Poco::Logger::get("wxb.store")
      .information("migrate (%s): %z applied, %z already applied", store->dialect(),
                   report.applied.size(), report.already.size());
  nlohmann::json summary = {{"dialect", store->dialect()},
                            {"applied", report.applied},
                            {"already_applied", report.already.size()}};
  ctx.out << summary.dump() << "\n";
  return 0;
}

int runLookupCommand(const CommandContext& ctx, const CommandArgs& args) {
  if (args.size() != 1 || !isValidWechatId(args[0])) {
    ctx.err << "wxbridge lookup: needs one UNIONID (1-64 characters of A-Z a-z 0-9 _ -)\n";
    return 2;
  }
  auto store = openStore(ctx.settings.store, ctx.clock);
  store->migrate();
  auto account = store->accounts().findByUnionid(args[0]);
  if (!account) {
    ctx.err << "wxbridge lookup: unknown unionid " << args[0] << "\n";
    return 1;
  }
  ctx.out << accountJson(*account).dump() << "\n";
  return 0;
}

}  // namespace wxb
