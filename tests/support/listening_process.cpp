// ListeningProcess: posix_spawn with stdout on a pipe, a thread that keeps draining it (a
// full pipe would block the child), and plain Poco HTTP.
#include "support/listening_process.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace wxb::test {

namespace {

constexpr const char* kListening = "listening on 127.0.0.1:";
constexpr size_t kMaxKeptOutput = 64 * 1024;
constexpr int kStartTimeoutMs = 10000;

int64_t steadyMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

ListeningProcess::ListeningProcess(const std::string& binary,
                                   const std::vector<std::string>& args) {
  spawn(binary, args);
  try {
    readPort(kStartTimeoutMs);
  } catch (...) {
    stop(0);
    throw;
  }
  drainer_ = std::thread([this] { drain(); });
}

ListeningProcess::~ListeningProcess() { stop(); }

void ListeningProcess::spawn(const std::string& binary, const std::vector<std::string>& args) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(binary.c_str()));
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  const int rc = posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    pid_ = -1;
    throw std::runtime_error("cannot start " + binary + ": " + std::strerror(rc));
  }
  stdoutFd_ = fds[0];
}

void ListeningProcess::readPort(int timeoutMs) {
  const int64_t deadline = steadyMs() + timeoutMs;
  std::string line;
  while (line.find('\n') == std::string::npos) {
    const int64_t left = deadline - steadyMs();
    pollfd pfd{stdoutFd_, POLLIN, 0};
    if (left <= 0 || poll(&pfd, 1, static_cast<int>(left)) <= 0) {
      throw std::runtime_error("the process printed no 'listening on' line in time");
    }
    char buffer[4096];
    const ssize_t n = read(stdoutFd_, buffer, sizeof buffer);
    if (n <= 0) throw std::runtime_error("the process exited before listening: " + line);
    line.append(buffer, static_cast<size_t>(n));
  }
  const size_t newline = line.find('\n');
  pending_ = line.substr(newline + 1);
  line.resize(newline);
  const size_t at = line.find(kListening);
  if (at == std::string::npos) throw std::runtime_error("unexpected first line: " + line);
  port_ = std::atoi(line.c_str() + at + std::strlen(kListening));
  if (port_ <= 0) throw std::runtime_error("no port in first line: " + line);
}

void ListeningProcess::drain() {
  {
    std::lock_guard lock(outputMutex_);
    output_ = pending_;
  }
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(stdoutFd_, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    std::lock_guard lock(outputMutex_);
    output_.append(buffer, static_cast<size_t>(n));
    if (output_.size() > kMaxKeptOutput) output_.erase(0, output_.size() - kMaxKeptOutput);
  }
}

std::string ListeningProcess::output() const {
  std::lock_guard lock(outputMutex_);
  return output_;
}

int ListeningProcess::stop(int graceMs) {
  int status = -1;
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    const int64_t deadline = steadyMs() + graceMs;
    pid_t done = 0;
    while ((done = waitpid(pid_, &status, WNOHANG)) == 0 && steadyMs() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (done == 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
    pid_ = -1;
  }
  if (drainer_.joinable()) drainer_.join();
  if (stdoutFd_ >= 0) {
    close(stdoutFd_);
    stdoutFd_ = -1;
  }
  return status;
}

ListeningProcess::Reply ListeningProcess::request(
    const std::string& method, const std::string& pathAndQuery, const std::string& body,
    const std::map<std::string, std::string>& headers) const {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port_));
  session.setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest head(method, pathAndQuery, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [name, value] : headers) head.set(name, value);
  if (!body.empty() || method == Poco::Net::HTTPRequest::HTTP_POST) {
    head.setContentType("application/json");
    head.setContentLength64(static_cast<Poco::Int64>(body.size()));
  }
  session.sendRequest(head) << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  Reply reply{static_cast<int>(response.getStatus()), {}};
  Poco::StreamCopier::copyToString(in, reply.body);
  return reply;
}

std::string ListeningProcess::get(const std::string& pathAndQuery) const {
  Reply reply = request(Poco::Net::HTTPRequest::HTTP_GET, pathAndQuery);
  if (reply.status / 100 != 2) {
    throw std::runtime_error("GET " + pathAndQuery + " -> " + std::to_string(reply.status) + ": " +
                             reply.body);
  }
  return reply.body;
}

std::string ListeningProcess::post(const std::string& path, const std::string& jsonBody) const {
  Reply reply = request(Poco::Net::HTTPRequest::HTTP_POST, path, jsonBody);
  if (reply.status / 100 != 2) {
    throw std::runtime_error("POST " + path + " -> " + std::to_string(reply.status) + ": " +
                             reply.body);
  }
  return reply.body;
}

nlohmann::json ListeningProcess::getJson(const std::string& pathAndQuery) const {
  return nlohmann::json::parse(get(pathAndQuery));
}

nlohmann::json ListeningProcess::postJson(const std::string& path,
                                          const nlohmann::json& body) const {
  const std::string answer = post(path, body.dump());
  return answer.empty() ? nlohmann::json::object() : nlohmann::json::parse(answer);
}

std::vector<nlohmann::json> ListeningProcess::getNdjson(const std::string& pathAndQuery) const {
  std::vector<nlohmann::json> lines;
  std::istringstream in(get(pathAndQuery));
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
  }
  return lines;
}

}  // namespace wxb::test
