// Control routes for the users' side: minting login codes and adding one-time subscribe
// grants (what wx.login and wx.requestSubscribeMessage do on a phone, or an accept of the OA's
// subscribe popup in an article or H5 page).
#include "fake_wechat/control_routes.h"
#include "fake_wechat/router.h"

namespace wxb::fake {
namespace {

constexpr int64_t kMaxGrants = 1'000'000;

// The unionid a code should carry: explicit, taken from an OA follower, or none.
std::variant<std::string, Reply> codeUnionid(const Platform& platform,
                                             const std::optional<std::string>& unionid,
                                             const std::optional<std::string>& oaOpenid) {
  if (unionid && oaOpenid) return controlError(400, "give unionid or oa_openid, not both");
  if (unionid) {
    if (!unionid->empty() && !isWellFormedId(*unionid)) {
      return controlError(400, "unionid is malformed");
    }
    return *unionid;
  }
  if (!oaOpenid) return std::string();
  auto follower = platform.population.find(*oaOpenid);
  if (!follower) return controlError(400, "oa_openid " + *oaOpenid + " was never a follower");
  if (follower->unionid.empty()) {
    return controlError(400, "oa_openid " + *oaOpenid + " has no unionid");
  }
  return follower->unionid;
}

Reply mintCode(Platform& platform, const Call& call) {
  auto body = controlBody(call);
  if (auto* refusal = std::get_if<Reply>(&body)) return std::move(*refusal);
  const nlohmann::json& fields = std::get<0>(body);
  auto mpOpenid = controlString(fields, "mp_openid");
  auto unionid = controlString(fields, "unionid");
  auto oaOpenid = controlString(fields, "oa_openid");
  auto risky = controlBool(fields, "risky", false);
  for (const auto* member : {&mpOpenid, &unionid, &oaOpenid}) {
    if (auto* refusal = std::get_if<Reply>(member)) return *refusal;
  }
  if (auto* refusal = std::get_if<Reply>(&risky)) return std::move(*refusal);
  std::string mp = std::get<0>(mpOpenid).value_or("");
  if (!mp.empty() && !isWellFormedId(mp)) return controlError(400, "mp_openid is malformed");
  auto tied = codeUnionid(platform, std::get<0>(unionid), std::get<0>(oaOpenid));
  if (auto* refusal = std::get_if<Reply>(&tied)) return std::move(*refusal);
  MintedCode minted = platform.miniProgram.mintCode(mp, std::get<0>(tied), std::get<bool>(risky));
  nlohmann::json reply = {
      {"code", minted.code}, {"mp_openid", minted.mpOpenid}, {"session_key", minted.sessionKey}};
  if (!minted.unionid.empty()) reply["unionid"] = minted.unionid;
  return controlJson(reply);
}

// {"mp_openid"} for the mini program's book, {"oa_openid"} for the OA's: the book and the id.
std::variant<std::pair<SubscribeGrants*, std::string>, Reply> grantHolder(
    Platform& platform, const nlohmann::json& fields) {
  auto mpOpenid = controlString(fields, "mp_openid");
  auto oaOpenid = controlString(fields, "oa_openid");
  for (const auto* member : {&mpOpenid, &oaOpenid}) {
    if (auto* refusal = std::get_if<Reply>(member)) return *refusal;
  }
  auto& mp = std::get<0>(mpOpenid);
  auto& oa = std::get<0>(oaOpenid);
  if (mp.has_value() == oa.has_value()) return controlError(400, "give mp_openid or oa_openid");
  const std::string& id = mp ? *mp : *oa;
  if (!isWellFormedId(id))
    return controlError(400, mp ? "mp_openid is malformed" : "oa_openid is malformed");
  return std::pair{mp ? &platform.mpGrants : &platform.oaGrants, id};
}

Reply addGrants(Platform& platform, const Call& call) {
  auto body = controlBody(call);
  if (auto* refusal = std::get_if<Reply>(&body)) return std::move(*refusal);
  const nlohmann::json& fields = std::get<0>(body);
  auto holder = grantHolder(platform, fields);
  if (auto* refusal = std::get_if<Reply>(&holder)) return std::move(*refusal);
  auto templateId = stringMember(fields, "template_id");
  auto count = controlInteger(fields, "count", 1);
  if (!templateId || templateId->empty()) return controlError(400, "template_id is missing");
  if (auto* refusal = std::get_if<Reply>(&count)) return std::move(*refusal);
  int64_t n = std::get<int64_t>(count);
  if (n < 1 || n > kMaxGrants) return controlError(400, "count must be from 1 to 1000000");
  auto& [book, openid] = std::get<0>(holder);
  int64_t held = book->add(openid, *templateId, n);
  const char* idKey = book == &platform.mpGrants ? "mp_openid" : "oa_openid";
  return controlJson({{idKey, openid}, {"template_id", *templateId}, {"grants", held}});
}

Reply listGrants(Platform& platform, const Call&) {
  nlohmann::json grants = platform.mpGrants.list("mp_openid");
  for (auto& line : platform.oaGrants.list("oa_openid")) grants.push_back(std::move(line));
  return ndjson([grants = std::move(grants)](std::ostream& out) {
    for (const auto& line : grants) out << dumpJson(line) << '\n';
  });
}

}  // namespace

std::vector<ControlRoute> miniProgramRoutes() {
  return {
      {"POST", "/__fake/codes", mintCode},
      {"POST", "/__fake/grants", addGrants},
      {"GET", "/__fake/grants", listGrants},
  };
}

}  // namespace wxb::fake
