// Fuzz target: how the platform client reads the platform's answers - the errcode rules and the
// field-by-field parsers of every call (wechat/api_*.cpp) - with the answer served over loopback
// by an in-process HTTP server, so the bytes go through the same transport as the platform's.
// Input: a call byte, a status byte, then the answer's body. Properties: every call returns a
// value or an error that says what went wrong; no error text holds the access_token, an
// appsecret or the login code; a follower page holds only valid openids.
#include <memory>
#include <string>

#include "fuzz/fuzz_input.h"
#include "support/canned_http_server.h"
#include "wechat/wechat_client.h"

namespace {

constexpr const char* kToken = "fuzz_access_token_3c8e1f";
constexpr const char* kSecret = "fuzz_app_secret_9d04b2";
constexpr const char* kCode = "fuzz_login_code_51ae77";

class FixedToken final : public wxb::TokenSource {
 public:
  wxb::WechatResult<std::string> accessToken(wxb::App) override { return std::string(kToken); }
  void tokenRejected(wxb::App, const std::string&) override {}
};

struct Platform {
  wxb::test::CannedHttpServer server{1000};
  FixedToken tokens;
  std::unique_ptr<wxb::WechatClient> client;

  Platform() {
    wxb::WechatClientSettings s;
    s.apiBase = server.baseUrl();
    s.oaAppid = "wxfuzzoa00000000001";
    s.mpAppid = "wxfuzzmp00000000001";
    s.oaSecret = s.mpSecret = kSecret;
    s.maxAttempts = 1;
    s.readTimeoutMs = 2000;
    client = std::make_unique<wxb::WechatClient>(s, tokens, [](int64_t) {});
  }
};

template <typename T>
void checkResult(const wxb::WechatResult<T>& result) {
  if (result) return;
  std::string text = result.error().describe();
  FUZZ_CHECK(!text.empty(), "an error says what went wrong");
  for (const char* secret : {kToken, kSecret, kCode}) {
    FUZZ_CHECK(text.find(secret) == std::string::npos, "no secret in an error");
  }
}

void call(wxb::WechatClient& client, size_t which) {
  wxb::TemplateMessage message{
      "oFUZZopenid0000000000000001", "tpl", "", {}, "wxb-1-2", {{"first", "x"}}};
  switch (which) {
    case 0:
      return checkResult(client.fetchToken(wxb::App::Oa));
    case 1:
      return checkResult(client.fetchStableToken(wxb::App::Mp, false));
    case 2: {
      auto page = client.getFollowers("");
      checkResult(page);
      if (page) {
        for (const auto& id : page->openids) FUZZ_CHECK(wxb::isValidWechatId(id), "openids");
      }
      return;
    }
    case 3:
      return checkResult(client.userInfo("oFUZZopenid0000000000000001"));
    case 4:
      return checkResult(client.batchGetUserInfo({"oFUZZ1", "oFUZZ2"}));
    case 5:
      return checkResult(client.sendTemplate(message));
    case 6:
      return checkResult(client.sendSubscribe({"oFUZZ", "tpl", "", "formal", "zh_CN", {}}));
    case 7:
      return checkResult(client.jscode2session(kCode));
    default:
      return checkResult(client.quotaGet("/cgi-bin/message/template/send"));
  }
}

const char* kPaths[] = {"/cgi-bin/token",
                        "/cgi-bin/stable_token",
                        "/cgi-bin/user/get",
                        "/cgi-bin/user/info",
                        "/cgi-bin/user/info/batchget",
                        "/cgi-bin/message/template/send",
                        "/cgi-bin/message/subscribe/send",
                        "/sns/jscode2session",
                        "/cgi-bin/openapi/quota/get"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Platform platform;
  wxb::fuzz::FuzzInput in(data, size);
  size_t which = in.choice(std::size(kPaths));
  static const int statuses[] = {200, 200, 200, 200, 500, 502, 404, 429};
  int status = statuses[in.choice(std::size(statuses))];
  platform.server.answer(kPaths[which], status, std::string(in.rest()));
  call(*platform.client, which);
  return 0;
}
