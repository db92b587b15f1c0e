#include "support/wxbridge_process.h"

#include <cstdlib>

#include "bridge/http/api_keys.h"

namespace wxb::test {

namespace {

bool hasKey(const std::vector<std::string>& sets, const std::string& key) {
  for (const auto& s : sets) {
    if (s.rfind(key + "=", 0) == 0) return true;
  }
  return false;
}

std::vector<std::string> serveArgs(std::vector<std::string> sets) {
  if (!hasKey(sets, "http.port")) sets.push_back("http.port=0");
  if (!hasKey(sets, "http.api_keys_sha256")) {
    sets.push_back("http.api_keys_sha256=" + ApiKeys::sha256Hex(kTestApiKey));
  }
  std::vector<std::string> args;
  for (const auto& s : sets) {
    args.push_back("--set");
    args.push_back(s);
  }
  args.push_back("serve");
  return args;
}

}  // namespace

std::string WxbridgeServe::binary() {
  if (const char* fromEnv = std::getenv("WXB_WXBRIDGE_BIN")) return fromEnv;
#ifdef WXB_WXBRIDGE_BIN
  return WXB_WXBRIDGE_BIN;
#else
  return "wxbridge";
#endif
}

WxbridgeServe::WxbridgeServe(const std::vector<std::string>& sets)
    : ListeningProcess(binary(), serveArgs(sets)) {}

ListeningProcess::Reply WxbridgeServe::call(const std::string& method,
                                            const std::string& pathAndQuery,
                                            const std::string& body) const {
  return request(method, pathAndQuery, body,
                 {{"Authorization", std::string("Bearer ") + kTestApiKey}});
}

}  // namespace wxb::test
