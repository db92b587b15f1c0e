// ListeningProcess: runs one of our binaries (fake-wechat, wxbridge serve) for a test and stops
// it again. The binary must print `listening on 127.0.0.1:PORT` as its first stdout line; the
// constructor waits for it (throwing std::runtime_error if it does not come within 10 s), a
// thread keeps draining the rest of stdout, and the destructor sends SIGTERM, waits briefly,
// then SIGKILL. request()/get()/post() talk HTTP to it over a fresh loopback connection.
// One instance is driven by one test thread; the HTTP helpers are safe from several threads.
#pragma once

#include <sys/types.h>

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace wxb::test {

class ListeningProcess {
 public:
  struct Reply {
    int status = 0;
    std::string body;
  };

  ListeningProcess(const std::string& binary, const std::vector<std::string>& args);
  virtual ~ListeningProcess();
  ListeningProcess(const ListeningProcess&) = delete;
  ListeningProcess& operator=(const ListeningProcess&) = delete;

  int port() const { return port_; }
  std::string baseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return pid_; }

  // Any method and path (with query); body sent as JSON when not empty. Throws on transport
  // failure only.
  Reply request(const std::string& method, const std::string& pathAndQuery,
                const std::string& body = "",
                const std::map<std::string, std::string>& headers = {}) const;
  // GET/POST expecting a 2xx status; anything else throws std::runtime_error with the body.
  std::string get(const std::string& pathAndQuery) const;
  std::string post(const std::string& path, const std::string& jsonBody = "{}") const;
  nlohmann::json getJson(const std::string& pathAndQuery) const;
  nlohmann::json postJson(const std::string& path, const nlohmann::json& body) const;
  // The lines of an NDJSON answer (GET /__fake/messages, /__fake/followers), parsed.
  std::vector<nlohmann::json> getNdjson(const std::string& pathAndQuery) const;

  // What the process printed on stdout after its first line (kept for failure messages).
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
