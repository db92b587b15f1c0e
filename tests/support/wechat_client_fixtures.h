// Fixtures for tests that drive WechatClient directly (tests/integration/wechat_client_*):
// settings for a client of fake-wechat or a CannedHttpServer, recorders for the client's call
// observer and backoff sleeper, two TokenSources, a follower walk and a sample template
// message. The recorders and token sources are safe from several threads, like the client.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "wechat/wechat_client.h"

namespace wxb::test {

// The fake's credentials for both apps and the given backoff; other settings at their defaults.
WechatClientSettings fakeCredentials(const std::string& baseUrl, int backoffBaseMs,
                                     int backoffMaxMs);

// fakeCredentials with short timeouts and quick backoff (20-200 ms, maxAttempts 4).
WechatClientSettings clientSettingsFor(const std::string& baseUrl);

// Records every HTTP attempt the client reports through onCall.
struct CallLog {
  std::mutex mutex;
  std::vector<std::pair<std::string, int>> calls;  // api, errcode

  CallObserver observer();
  // Attempts at `api`, only those ending with `errcode` when given.
  int count(const std::string& api, std::optional<int> errcode = std::nullopt);
};

// Records backoff waits instead of sleeping.
struct Waits {
  std::mutex mutex;
  std::vector<int64_t> ms;

  Sleeper sleeper();
};

// A TokenSource the way the real service behaves at its simplest: one cached stable token per
// app, fetched through a token-free client, dropped on rejection only if still current.
class CountingTokenSource : public TokenSource {
 public:
  explicit CountingTokenSource(const WechatClientSettings& settings) : fetcher_(settings) {}
  WechatResult<std::string> accessToken(App app) override;
  void tokenRejected(App app, const std::string& token) override;

  int fetches = 0;
  int rejections = 0;

 private:
  std::mutex mutex_;
  WechatClient fetcher_;
  std::string cached_[2];
};

// Hands out one fixed token and counts rejections (for servers that check no token).
class FixedTokenSource : public TokenSource {
 public:
  explicit FixedTokenSource(std::string token) : token_(std::move(token)) {}
  WechatResult<std::string> accessToken(App) override { return token_; }
  void tokenRejected(App, const std::string&) override { ++rejections; }

  int rejections = 0;

 private:
  std::string token_;
};

template <typename T>
std::optional<WechatError> errorOf(const WechatResult<T>& result) {
  if (result) return std::nullopt;
  return result.error();
}

// The error's describe(), or "success"; for assertion messages.
std::string describe(const std::optional<WechatError>& error);

// Every OA follower openid, page by page (fails the test on an error).
std::vector<std::string> allFollowerOpenids(WechatClient& client);

// A digest-like template message to `openid` with a mini-program link.
TemplateMessage templateTo(const std::string& openid, const std::string& clientMsgId);

}  // namespace wxb::test
