// FakeWechatProcess: runs fake-wechat (tests/fake_wechat/) for one test or fixture, on a free
// loopback port (--port 0 unless the arguments name one), with shortcuts for its /__fake/
// control routes. The binary path defaults to WXB_FAKE_WECHAT_BIN (compile definition of
// integration_tests, or the environment variable of that name).
#pragma once

#include "support/listening_process.h"

namespace wxb::test {

class FakeWechatProcess : public ListeningProcess {
 public:
  explicit FakeWechatProcess(std::vector<std::string> args = {},
                             const std::string& binary = defaultBinary());

  static std::string defaultBinary();

  nlohmann::json stats() const { return getJson("/__fake/stats"); }
  // Mints a jscode2session login code for this MP user (unionid may be empty).
  std::string mintLoginCode(const std::string& mpOpenid, const std::string& unionid) const;
};

}  // namespace wxb::test
