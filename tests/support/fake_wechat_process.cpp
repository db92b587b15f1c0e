#include "support/fake_wechat_process.h"

#include <algorithm>
#include <cstdlib>

namespace wxb::test {

namespace {

std::vector<std::string> withPort(std::vector<std::string> args) {
  if (std::find(args.begin(), args.end(), "--port") == args.end()) {
    args.push_back("--port");
    args.push_back("0");
  }
  return args;
}

}  // namespace

std::string FakeWechatProcess::defaultBinary() {
  if (const char* fromEnv = std::getenv("WXB_FAKE_WECHAT_BIN")) return fromEnv;
#ifdef WXB_FAKE_WECHAT_BIN
  return WXB_FAKE_WECHAT_BIN;
#else
  return "fake-wechat";
#endif
}

FakeWechatProcess::FakeWechatProcess(std::vector<std::string> args, const std::string& binary)
    : ListeningProcess(binary, withPort(std::move(args))) {}

std::string FakeWechatProcess::mintLoginCode(const std::string& mpOpenid,
                                             const std::string& unionid) const {
  nlohmann::json body = {{"mp_openid", mpOpenid}};
  if (!unionid.empty()) body["unionid"] = unionid;
  return postJson("/__fake/codes", body).at("code").get<std::string>();
}

int64_t FakeWechatProcess::callCount(const std::string& path) const {
  return stats()["calls"].value(path, int64_t{0});
}

int FakeWechatProcess::errcodeCount(const std::string& errcode) const {
  return stats()["errcodes"].value(errcode, 0);
}

std::map<std::string, std::string> FakeWechatProcess::followers() const {
  std::map<std::string, std::string> unionids;
  for (const nlohmann::json& line : getNdjson("/__fake/followers")) {
    unionids[line.at("openid").get<std::string>()] = line.value("unionid", std::string());
  }
  return unionids;
}

void FakeWechatProcess::unfollow(const std::string& openid) const {
  postJson("/__fake/followers", {{"remove", {openid}}});
}

void FakeWechatProcess::configure(const nlohmann::json& changes) const {
  postJson("/__fake/config", changes);
}

}  // namespace wxb::test
