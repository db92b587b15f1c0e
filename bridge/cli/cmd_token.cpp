// `wxbridge token oa|mp [--show]`: makes sure the app has a usable token (reusing the stored
// one; fetching only when there is none) and prints its status as one JSON line. The token
// itself is printed only with --show; otherwise a fingerprint identifies it.
#include <Poco/DigestStream.h>
#include <Poco/SHA2Engine.h>

#include <nlohmann/json.hpp>
#include <ostream>

#include "bridge/app/services.h"
#include "bridge/cli/commands.h"
#include "cron/iso_time.h"

namespace wxb {

namespace {

nlohmann::json statusJson(const TokenStatus& status, const StoredToken& token, int64_t nowMs,
                          bool show) {
  nlohmann::json out = {{"app", token.app},
                        {"version", token.version},
                        {"expires_at", formatIsoUtc(token.expiresAtMs)},
                        {"expires_in", (token.expiresAtMs - nowMs) / 1000},
                        {"fetched_at", formatIsoUtc(token.fetchedAtMs)},
                        {"fingerprint", tokenFingerprint(token.accessToken)},
                        {"forced_refreshes_today", status.forcedRefreshesToday}};
  out["refresher"] = status.refresher ? nlohmann::json(status.refresher->owner) : nlohmann::json();
  if (show) out["access_token"] = token.accessToken;
  return out;
}

}  // namespace

std::string tokenFingerprint(const std::string& token) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(token);
  return Poco::DigestEngine::digestToHex(sha.digest()).substr(0, 12);
}

int runTokenCommand(const CommandContext& ctx, const CommandArgs& args) {
  App app;
  bool show = args.size() == 2 && args[1] == "--show";
  if (args.empty() || args.size() > 2 || !parseApp(args[0], app) || (args.size() == 2 && !show)) {
    ctx.err << "wxbridge token: usage: token oa|mp [--show]\n";
    return 2;
  }
  if (auto missing = requireApp(ctx.settings, app)) {
    ctx.err << "wxbridge: configuration error: " << missing->describe() << "\n";
    return 2;
  }
  auto services = Services::open(ctx.settings, ctx.clock);
  auto token = services->tokens->currentToken(app);
  if (!token) {
    ctx.err << "wxbridge token: " << token.error().describe() << "\n";
    return 1;
  }
  auto status = services->tokens->status(app);
  ctx.out << statusJson(status, *token, ctx.clock.nowMs(), show).dump() << "\n";
  return 0;
}

}  // namespace wxb
