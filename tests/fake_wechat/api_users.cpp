// The OA follower APIs: user/get (paging), user/info and user/info/batchget.
#include "fake_wechat/router.h"

namespace wxb::fake {
namespace {

constexpr std::size_t kBatchLimit = 100;
// A dirty remark (FaultInjector::dirtyText) is written as this placeholder, then swapped for
// raw bytes in the answer text: a raw 0x14 control byte, a lone continuation byte, 0xFF.
const std::string kDirtyPlaceholder = "fake-dirty-remark";
constexpr std::string_view kDirtyRemark = "see \x14 you \x80\xFF";

Reply withDirtyText(Reply reply) {
  const std::string quoted = '"' + kDirtyPlaceholder + '"';
  for (size_t at = reply.body.find(quoted); at != std::string::npos;
       at = reply.body.find(quoted, at + kDirtyRemark.size())) {
    reply.body.replace(at + 1, kDirtyPlaceholder.size(), kDirtyRemark);
  }
  return reply;
}

std::string languageOf(const std::string* requested) {
  if (requested && (*requested == "zh_CN" || *requested == "zh_TW" || *requested == "en")) {
    return *requested;
  }
  return "zh_CN";
}

// One user_info entry: full fields for a follower, only openid and subscribe:0 otherwise.
nlohmann::json userInfo(const FaultInjector& faults, const std::optional<FollowerInfo>& follower,
                        const std::string& openid, const std::string& language) {
  if (!follower || !follower->subscribed) return {{"subscribe", 0}, {"openid", openid}};
  nlohmann::json info = {{"subscribe", 1}, {"openid", openid}};
  if (!follower->unionid.empty()) info["unionid"] = follower->unionid;
  info["subscribe_time"] = follower->subscribeTime;
  info["language"] = language;
  info["remark"] = faults.dirtyText(openid) ? kDirtyPlaceholder : std::string();
  info["groupid"] = 0;
  info["tagid_list"] = nlohmann::json::array();
  info["subscribe_scene"] = "ADD_SCENE_QR_CODE";
  info["qr_scene"] = 0;
  info["qr_scene_str"] = "";
  return info;
}

Reply userGet(Platform& platform, const ApiRequest& request) {
  const std::string* after = request.call.param("next_openid");
  std::string_view cursor = after ? std::string_view(*after) : std::string_view{};
  if (!cursor.empty() && !isWellFormedId(cursor)) {
    return platformError(40003, "invalid next_openid");
  }
  auto page = platform.population.page(cursor, platform.settings.pageSize);
  if (!page) return platformError(40003, "invalid next_openid");
  const int64_t total = page->total + platform.faults.totalSurplus();
  nlohmann::json body = {{"total", total}, {"count", page->openids.size()}};
  if (page->openids.empty()) {
    body["next_openid"] = "";
    return platformOk(body);
  }
  body["next_openid"] = page->openids.back();
  body["data"] = {{"openid", std::move(page->openids)}};
  return platformOk(body);
}

Reply userInfoOne(Platform& platform, const ApiRequest& request) {
  const std::string* openid = request.call.param("openid");
  if (openid == nullptr || openid->empty()) return platformError(41009);
  if (!isWellFormedId(*openid)) return platformError(40003);
  std::string language = languageOf(request.call.param("lang"));
  return withDirtyText(
      platformOk(userInfo(platform.faults, platform.population.find(*openid), *openid, language)));
}

// The (openid, lang) pairs of a batchget body, or the refusal.
std::variant<std::vector<std::pair<std::string, std::string>>, Reply> batchEntries(
    const std::string& text) {
  if (text.empty()) return platformError(44002);
  auto body = parseObject(text);
  if (!body) return platformError(47001);
  auto list = body->find("user_list");
  if (list == body->end() || !list->is_array()) return platformError(47001);
  if (list->size() > kBatchLimit) return argumentInvalid("user_list size exceeds 100");
  std::vector<std::pair<std::string, std::string>> entries;
  for (const auto& item : *list) {
    auto openid = item.is_object() ? stringMember(item, "openid") : std::nullopt;
    if (!openid) return platformError(47001);
    if (!isWellFormedId(*openid)) return platformError(40003);
    auto lang = stringMember(item, "lang");
    entries.emplace_back(*openid, languageOf(lang ? &*lang : nullptr));
  }
  return entries;
}

Reply userInfoBatch(Platform& platform, const ApiRequest& request) {
  auto entries = batchEntries(request.call.body);
  if (auto* refusal = std::get_if<Reply>(&entries)) return std::move(*refusal);
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [openid, language] : std::get<0>(entries)) {
    list.push_back(userInfo(platform.faults, platform.population.find(openid), openid, language));
  }
  return withDirtyText(platformOk({{"user_info_list", std::move(list)}}));
}

}  // namespace

std::vector<ApiRoute> userRoutes() {
  return {
      {"/cgi-bin/user/get", Auth::kOa, userGet},
      {"/cgi-bin/user/info", Auth::kOa, userInfoOne},
      {"/cgi-bin/user/info/batchget", Auth::kOa, userInfoBatch},
  };
}

}  // namespace wxb::fake
