// Control routes for tests: stats, delivered messages, followers, tokens and the fake clock.
// They are never subject to faults, the whitelist or quotas, and are not counted in stats.
#include "fake_wechat/control_routes.h"

#include <charconv>

#include "fake_wechat/rng.h"
#include "fake_wechat/router.h"

namespace wxb::fake {
namespace {

Reply health(Platform& platform, const Call&) {
  return controlJson({{"ok", true}, {"now", platform.clock.now()}});
}

Reply stats(Platform& platform, const Call&) { return controlJson(platform.stats.snapshot()); }

Reply resetStats(Platform& platform, const Call&) {
  platform.stats.reset();
  return controlJson({{"ok", true}});
}

Reply messages(Platform& platform, const Call& call) {
  int64_t after = 0;
  if (const std::string* text = call.param("after")) {
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), after);
    if (ec != std::errc() || end != text->data() + text->size()) {
      return controlError(400, "after must be a msgid");
    }
  }
  return ndjson(
      [&platform, after](std::ostream& out) { platform.deliveries.writeLines(after, out); });
}

Reply resetMessages(Platform& platform, const Call&) {
  platform.deliveries.clear();
  return controlJson({{"ok", true}});
}

Reply listFollowers(Platform& platform, const Call&) {
  return ndjson([&platform](std::ostream& out) {
    platform.population.forEachFollower([&out](const FollowerInfo& follower) {
      nlohmann::json line = {{"openid", follower.openid}};
      if (!follower.unionid.empty()) line["unionid"] = follower.unionid;
      out << dumpJson(line) << '\n';
    });
  });
}

struct FollowerChange {
  std::vector<std::pair<std::string, std::string>> add;  // openid, unionid
  std::vector<std::string> remove;
};

// One "add" entry: {"openid","unionid"} (openid made up when absent) or a bare openid string.
std::optional<std::pair<std::string, std::string>> addEntry(const nlohmann::json& item) {
  if (item.is_string()) return std::pair{item.get<std::string>(), std::string()};
  if (!item.is_object()) return std::nullopt;
  auto openid = stringMember(item, "openid").value_or("o" + randomString(27));
  auto unionid = stringMember(item, "unionid").value_or("");
  return std::pair{openid, unionid};
}

std::variant<FollowerChange, Reply> followerChange(const nlohmann::json& body) {
  FollowerChange change;
  auto add = body.value("add", nlohmann::json::array());
  auto remove = body.value("remove", nlohmann::json::array());
  if (!add.is_array() || !remove.is_array()) {
    return controlError(400, "add and remove must be arrays");
  }
  for (const auto& item : add) {
    auto entry = addEntry(item);
    if (!entry || !isWellFormedId(entry->first) ||
        (!entry->second.empty() && !isWellFormedId(entry->second))) {
      return controlError(400, "add entries need an openid (and unionid) of 1-64 [A-Za-z0-9_-]");
    }
    change.add.push_back(std::move(*entry));
  }
  for (const auto& item : remove) {
    if (!item.is_string()) return controlError(400, "remove entries must be openid strings");
    change.remove.push_back(item.get<std::string>());
  }
  return change;
}

Reply changeFollowers(Platform& platform, const Call& call) {
  auto body = controlBody(call);
  if (auto* refusal = std::get_if<Reply>(&body)) return std::move(*refusal);
  auto change = followerChange(std::get<0>(body));
  if (auto* refusal = std::get_if<Reply>(&change)) return std::move(*refusal);
  int added = 0;
  int removed = 0;
  nlohmann::json openids = nlohmann::json::array();
  for (const auto& [openid, unionid] : std::get<0>(change).add) {
    added += platform.population.add(openid, unionid) ? 1 : 0;
    openids.push_back(openid);
  }
  for (const auto& openid : std::get<0>(change).remove) {
    removed += platform.population.remove(openid) ? 1 : 0;
  }
  return controlJson({{"added", added},
                      {"removed", removed},
                      {"openids", openids},
                      {"total", platform.population.total()}});
}

Reply invalidateToken(Platform& platform, const Call& call) {
  auto body = controlBody(call);
  if (auto* refusal = std::get_if<Reply>(&body)) return std::move(*refusal);
  auto app = stringMember(std::get<0>(body), "app");
  if (!app || (*app != "oa" && *app != "mp")) {
    return controlError(400, "app must be \"oa\" or \"mp\"");
  }
  auto stuck = std::get<0>(body).find("stuck");
  if (stuck != std::get<0>(body).end() && !stuck->is_boolean()) {
    return controlError(400, "stuck must be a boolean");
  }
  App which = *app == "oa" ? App::kOa : App::kMp;
  bool stick = stuck != std::get<0>(body).end() && stuck->get<bool>();
  int count = stick ? platform.tokens.stick(which) : platform.tokens.invalidate(which);
  return controlJson({{"app", *app}, {"invalidated", count}, {"stuck", stick}});
}

Reply advanceClock(Platform& platform, const Call& call) {
  auto body = controlBody(call);
  if (auto* refusal = std::get_if<Reply>(&body)) return std::move(*refusal);
  auto seconds = controlInteger(std::get<0>(body), "seconds", 0);
  if (auto* refusal = std::get_if<Reply>(&seconds)) return std::move(*refusal);
  platform.clock.advance(std::get<int64_t>(seconds));
  return controlJson({{"offset", platform.clock.offset()}, {"now", platform.clock.now()}});
}

}  // namespace

std::variant<nlohmann::json, Reply> controlBody(const Call& call) {
  if (call.body.find_first_not_of(" \t\r\n") == std::string::npos) return nlohmann::json::object();
  auto body = parseObject(call.body);
  if (!body) return controlError(400, "body must be a JSON object");
  return std::move(*body);
}

std::variant<std::optional<std::string>, Reply> controlString(const nlohmann::json& body,
                                                              const char* key) {
  auto found = body.find(key);
  if (found == body.end() || found->is_null()) return std::optional<std::string>{};
  if (!found->is_string()) return controlError(400, std::string(key) + " must be a string");
  return std::optional<std::string>(found->get<std::string>());
}

std::variant<int64_t, Reply> controlInteger(const nlohmann::json& body, const char* key,
                                            int64_t fallback) {
  auto found = body.find(key);
  if (found == body.end() || found->is_null()) return fallback;
  if (!found->is_number_integer()) {
    return controlError(400, std::string(key) + " must be an integer");
  }
  return found->get<int64_t>();
}

std::variant<bool, Reply> controlBool(const nlohmann::json& body, const char* key, bool fallback) {
  auto found = body.find(key);
  if (found == body.end() || found->is_null()) return fallback;
  if (!found->is_boolean()) return controlError(400, std::string(key) + " must be true or false");
  return found->get<bool>();
}

std::vector<ControlRoute> controlRoutes() {
  return {
      {"GET", "/__fake/health", health},
      {"GET", "/__fake/stats", stats},
      {"POST", "/__fake/reset-stats", resetStats},
      {"GET", "/__fake/messages", messages},
      {"POST", "/__fake/reset-messages", resetMessages},
      {"GET", "/__fake/followers", listFollowers},
      {"POST", "/__fake/followers", changeFollowers},
      {"POST", "/__fake/invalidate-token", invalidateToken},
      {"POST", "/__fake/advance-clock", advanceClock},
  };
}

}  // namespace wxb::fake
