// WechatClient test fixtures: the token source fetches through a real client of its own; the
// recorders only append under their mutex.
#include "support/wechat_client_fixtures.h"

#include <boost/test/unit_test.hpp>

namespace wxb::test {

WechatClientSettings fakeCredentials(const std::string& baseUrl, int backoffBaseMs,
                                     int backoffMaxMs) {
  WechatClientSettings s;
  s.apiBase = baseUrl;
  s.oaAppid = "wxfakeoa";
  s.oaSecret = "oasecret";
  s.mpAppid = "wxfakemp";
  s.mpSecret = "mpsecret";
  s.backoffBaseMs = backoffBaseMs;
  s.backoffMaxMs = backoffMaxMs;
  return s;
}

WechatClientSettings clientSettingsFor(const std::string& baseUrl) {
  WechatClientSettings s = fakeCredentials(baseUrl, 20, 200);
  s.connectTimeoutMs = 2000;
  s.readTimeoutMs = 3000;
  s.maxAttempts = 4;
  return s;
}

CallObserver CallLog::observer() {
  return [this](const std::string& api, int errcode, int64_t) {
    std::lock_guard lock(mutex);
    calls.emplace_back(api, errcode);
  };
}

int CallLog::count(const std::string& api, std::optional<int> errcode) {
  std::lock_guard lock(mutex);
  int n = 0;
  for (const auto& [a, e] : calls) n += a == api && (!errcode || e == *errcode);
  return n;
}

Sleeper Waits::sleeper() {
  return [this](int64_t wait) {
    std::lock_guard lock(mutex);
    ms.push_back(wait);
  };
}

WechatResult<std::string> CountingTokenSource::accessToken(App app) {
  std::lock_guard lock(mutex_);
  std::string& cached = cached_[static_cast<int>(app)];
  if (cached.empty()) {
    ++fetches;
    auto token = fetcher_.fetchStableToken(app, false);
    if (!token) return std::unexpected(token.error());
    cached = token->token;
  }
  return cached;
}

void CountingTokenSource::tokenRejected(App app, const std::string& token) {
  std::lock_guard lock(mutex_);
  ++rejections;
  if (cached_[static_cast<int>(app)] == token) cached_[static_cast<int>(app)].clear();
}

std::string describe(const std::optional<WechatError>& error) {
  return error ? error->describe() : std::string("success");
}

std::vector<std::string> allFollowerOpenids(WechatClient& client) {
  std::vector<std::string> openids;
  std::string next;
  for (int page = 0; page < 1000; ++page) {
    auto result = client.getFollowers(next);
    BOOST_REQUIRE_MESSAGE(result, describe(errorOf(result)));
    openids.insert(openids.end(), result->openids.begin(), result->openids.end());
    if (result->last()) break;
    next = result->nextOpenid;
  }
  return openids;
}

TemplateMessage templateTo(const std::string& openid, const std::string& clientMsgId) {
  TemplateMessage message;
  message.touser = openid;
  message.templateId = "tmpl_digest";
  message.miniprogram = MiniProgramLink{"wxfakemp", "pages/inbox/index?from=digest"};
  message.clientMsgId = clientMsgId;
  message.data = {{"keyword1", "3 new replies"}, {"keyword2", "2024-05-01 08:00"}};
  return message;
}

}  // namespace wxb::test
