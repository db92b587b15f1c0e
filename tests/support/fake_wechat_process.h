// FakeWechatProcess: runs fake-wechat (tests/fake_wechat/) for one test or fixture, on a free
// loopback port (--port 0 unless the arguments name one), with shortcuts for its /__fake/
// control routes. The binary path defaults to WXB_FAKE_WECHAT_BIN (compile definition of
// integration_tests, or the environment variable of that name).
#pragma once

#include <cstdint>
#include <map>

#include "support/listening_process.h"

namespace wxb::test {

class FakeWechatProcess : public ListeningProcess {
 public:
  explicit FakeWechatProcess(std::vector<std::string> args = {},
                             const std::string& binary = defaultBinary());

  static std::string defaultBinary();

  nlohmann::json stats() const { return getJson("/__fake/stats"); }
  // From stats(): requests it counted for `path` (e.g. "/cgi-bin/user/info"), every outcome.
  int64_t callCount(const std::string& path) const;
  // From stats(): answers it gave with `errcode` (as text, e.g. "-1", "45009").
  int errcodeCount(const std::string& errcode) const;
  // Current OA followers: openid -> unionid ("" without one).
  std::map<std::string, std::string> followers() const;
  // Unsubscribes `openid` from the OA.
  void unfollow(const std::string& openid) const;
  // Changes settings while it runs (fault rates, whitelist, quotas): POST /__fake/config.
  void configure(const nlohmann::json& changes) const;
  // Mints a jscode2session login code for this MP user (unionid may be empty).
  std::string mintLoginCode(const std::string& mpOpenid, const std::string& unionid) const;
};

}  // namespace wxb::test
