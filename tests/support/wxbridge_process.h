// WxbridgeServe: runs `wxbridge --set ... serve` for a test on a free loopback port
// (http.port=0) and talks to it with an API key. Extra `--set key=value` pairs come from the
// test; secrets go through the environment the test process passes on. The binary path is
// WXB_WXBRIDGE_BIN (compile definition of integration_tests, or the environment variable).
#pragma once

#include "support/listening_process.h"

namespace wxb::test {

inline constexpr const char* kTestApiKey = "test-api-key-0123456789";

class WxbridgeServe : public ListeningProcess {
 public:
  // `sets` are key=value pairs; http.port=0 and an API key digest for kTestApiKey are added
  // unless given.
  explicit WxbridgeServe(const std::vector<std::string>& sets);

  static std::string binary();

  // Requests with "Authorization: Bearer kTestApiKey".
  Reply call(const std::string& method, const std::string& pathAndQuery,
             const std::string& body = "") const;
};

}  // namespace wxb::test
