// The follower calls of the official account: the follower list and user info, one or a
// batch at a time. Follower sync is the main caller.
#include <Poco/Logger.h>

#include <nlohmann/json.hpp>

#include "wechat/client_call.h"
#include "wechat/response_fields.h"
#include "wechat/wechat_client.h"

namespace wxb {

namespace {

using namespace wechat_json;

constexpr const char* kUserGetApi = "/cgi-bin/user/get";
constexpr const char* kUserInfoApi = "/cgi-bin/user/info";
constexpr const char* kBatchGetApi = "/cgi-bin/user/info/batchget";
constexpr int64_t kMaxFollowersPerPage = 10000;

Poco::Logger& logger() { return Poco::Logger::get("wxb.wechat"); }

FollowerPage parseFollowerPage(const nlohmann::json& body) {
  FollowerPage page;
  page.total = requireInt(body, "total");
  page.count = requireInt(body, "count");
  if (page.total < 0 || page.count < 0 || page.count > kMaxFollowersPerPage) {
    throw BadField("fields 'total'/'count' are out of range");
  }
  page.nextOpenid = optionalString(body, "next_openid").value_or("");
  if (!page.nextOpenid.empty() && !isValidWechatId(page.nextOpenid)) {
    throw BadField(std::string("field 'next_openid' is not ") + kWechatIdRule);
  }
  if (page.count == 0) return page;  // the empty last page carries no data
  const nlohmann::json& ids = requireArray(requireObject(body, "data"), "openid");
  if (static_cast<int64_t>(ids.size()) != page.count) {
    throw BadField("field 'count' does not match the number of openids");
  }
  page.openids.reserve(ids.size());
  for (const nlohmann::json& id : ids) {
    if (id.is_string() && isValidWechatId(id.get_ref<const std::string&>())) {
      page.openids.push_back(id.get<std::string>());
    } else {
      ++page.dropped;
    }
  }
  if (page.dropped > 0) {
    logger().warning("%s: %?d of %?d openids on the page are malformed; left out", kUserGetApi,
                     page.dropped, page.count);
  }
  return page;
}

// Liberal, as the tags are only passed along: entries that are not integers are left out.
std::vector<int64_t> parseTagIds(const nlohmann::json& user) {
  std::vector<int64_t> tags;
  auto it = user.find("tagid_list");
  if (it == user.end() || !it->is_array()) return tags;
  for (const nlohmann::json& tag : *it) {
    if (tag.is_number_integer()) tags.push_back(tag.get<int64_t>());
  }
  return tags;
}

UserInfo parseUser(const nlohmann::json& user) {
  UserInfo info;
  const int64_t subscribe = requireInt(user, "subscribe");
  if (subscribe != 0 && subscribe != 1) throw BadField("field 'subscribe' is not 0 or 1");
  info.subscribed = subscribe == 1;
  info.openid = requireOpenid(user, "openid");
  info.unionid = optionalOpenid(user, "unionid");
  if (!info.subscribed) return info;  // an unfollowed user carries no other data
  info.subscribeTime = lenientInt(user, "subscribe_time");
  info.language = lenientString(user, "language");
  info.remark = lenientString(user, "remark");
  info.tagIds = parseTagIds(user);
  info.subscribeScene = lenientString(user, "subscribe_scene");
  info.qrScene = lenientInt(user, "qr_scene");
  info.qrSceneStr = lenientString(user, "qr_scene_str");
  return info;
}

// A malformed entry costs only itself: the caller sees that user missing from the answer
// (follower sync counts it as skipped).
std::vector<UserInfo> parseUserList(const nlohmann::json& body) {
  const nlohmann::json& list = requireArray(body, "user_info_list");
  std::vector<UserInfo> users;
  users.reserve(list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    try {
      users.push_back(parseUser(list[i]));
    } catch (const BadField& e) {
      logger().warning("%s: entry %z of %z left out: %s", kBatchGetApi, i, list.size(),
                       std::string(e.what()));
    }
  }
  return users;
}

WechatError refused(const char* api, std::string why) {
  return WechatError{WechatError::Kind::Permanent, api, 0, std::move(why)};
}

}  // namespace

WechatResult<FollowerPage> WechatClient::getFollowers(const std::string& nextOpenid) {
  if (!nextOpenid.empty() && !isValidWechatId(nextOpenid)) {
    return std::unexpected(refused(kUserGetApi, "next_openid is not a valid openid"));
  }
  Call call = Call::get(kUserGetApi, App::Oa);
  if (!nextOpenid.empty()) call.query.emplace_back("next_openid", nextOpenid);
  return parseAnswer(call.api, callWithToken(call), parseFollowerPage);
}

WechatResult<UserInfo> WechatClient::userInfo(const std::string& openid, const std::string& lang) {
  if (!isValidWechatId(openid)) {
    return std::unexpected(refused(kUserInfoApi, std::string("openid is not ") + kWechatIdRule));
  }
  Call call = Call::get(kUserInfoApi, App::Oa);
  call.query = {{"openid", openid}, {"lang", lang}};
  return parseAnswer(call.api, callWithToken(call), parseUser);
}

WechatResult<std::vector<UserInfo>> WechatClient::batchGetUserInfo(
    const std::vector<std::string>& openids, const std::string& lang) {
  if (openids.size() > kMaxBatchGet) {
    return std::unexpected(refused(kBatchGetApi, "at most " + std::to_string(kMaxBatchGet) +
                                                     " openids per batchget, got " +
                                                     std::to_string(openids.size())));
  }
  if (openids.empty()) return std::vector<UserInfo>{};
  nlohmann::json list = nlohmann::json::array();
  for (const std::string& openid : openids) {
    if (!isValidWechatId(openid)) {
      return std::unexpected(
          refused(kBatchGetApi, std::string("an openid is not ") + kWechatIdRule));
    }
    list.push_back({{"openid", openid}, {"lang", lang}});
  }
  Call call = Call::post(kBatchGetApi, App::Oa, toJsonText({{"user_list", std::move(list)}}));
  return parseAnswer(call.api, callWithToken(call), parseUserList);
}

}  // namespace wxb
