// FakeWechatProcess: runs the fake-wechat binary for one test (or fixture) and stops it again.
// The constructor starts it with the given arguments on a free loopback port (--port 0 unless
// the arguments name one), reads its first stdout line to learn the port, and throws
// std::runtime_error if it does not come up within a few seconds. The destructor sends
// SIGTERM, waits briefly, then SIGKILL. request()/get()/post() call any route - the platform
// APIs or the /__fake/ control routes - over a fresh loopback connection.
//
// The binary path defaults to WXB_FAKE_WECHAT_BIN (compile definition of integration_tests,
// or the environment variable of that name). One instance is used by one test thread at a
// time; the HTTP helpers themselves are safe to call from several threads.
#pragma once

#include <sys/types.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace wxb::test {

class FakeWechatProcess {
 public:
  struct Reply {
    int status = 0;
    std::string body;
  };

  explicit FakeWechatProcess(std::vector<std::string> args = {},
                             std::string binary = defaultBinary());
  ~FakeWechatProcess();
  FakeWechatProcess(const FakeWechatProcess&) = delete;
  FakeWechatProcess& operator=(const FakeWechatProcess&) = delete;

  static std::string defaultBinary();

  int port() const { return port_; }
  std::string baseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return pid_; }

  // Any method and path (with query); body sent as JSON when not empty. Throws on transport
  // failure only.
  Reply request(const std::string& method, const std::string& pathAndQuery,
                const std::string& body = "") const;
  // GET/POST expecting a 2xx status; anything else throws std::runtime_error with the body.
  std::string get(const std::string& pathAndQuery) const;
  std::string post(const std::string& path, const std::string& jsonBody = "{}") const;
  nlohmann::json getJson(const std::string& pathAndQuery) const;
  nlohmann::json postJson(const std::string& path, const nlohmann::json& body) const;
  // The lines of an NDJSON answer (GET /__fake/messages, /__fake/followers), parsed.
  std::vector<nlohmann::json> getNdjson(const std::string& pathAndQuery) const;

  // Shortcuts for the control routes most tests need.
  nlohmann::json stats() const { return getJson("/__fake/stats"); }
  // Mints a jscode2session login code for this MP user (unionid may be empty).
  std::string mintLoginCode(const std::string& mpOpenid, const std::string& unionid) const;

  // What the fake printed on stdout after its first line (kept for failure messages).
  std::string output() const;
  // SIGTERM, then SIGKILL after graceMs; idempotent. Returns the wait status (-1 if unknown).
  int stop(int graceMs = 3000);

 private:
  void spawn(const std::string& binary, const std::vector<std::string>& args);
  void readPort(int timeoutMs);
  void drain();

  pid_t pid_ = -1;
  int stdoutFd_ = -1;
  int port_ = 0;
  std::string pending_;  // stdout bytes read past the first line
  mutable std::mutex outputMutex_;
  std::string output_;
  std::thread drainer_;
};

}  // namespace wxb::test
