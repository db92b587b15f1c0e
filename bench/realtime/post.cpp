#include "realtime/post.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/URI.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

namespace rtbench {

namespace {

using Clock = std::chrono::system_clock;

struct Request {
  int64_t atUs = 0;  // after the start
  bool read = false;
  std::string eventId;
  std::string unionid;
  int64_t sentMs = 0;
  int64_t answeredMs = 0;
  int status = 0;
};

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch())
      .count();
}

std::vector<Request> schedule(const PostSettings& s) {
  std::mt19937_64 random(s.seed);
  std::uniform_real_distribution<double> when(0, s.seconds * 1e6);
  std::uniform_int_distribution<size_t> who(0, s.unionids.size() - 1);
  std::vector<Request> out;
  for (int64_t i = 0; i < s.events; ++i) {
    out.push_back({int64_t(when(random)), false,
                   "rt-" + std::to_string(s.seed) + "-" + std::to_string(i),
                   s.unionids[who(random)]});
  }
  const auto readers = static_cast<size_t>(s.readShare * double(s.unionids.size()));
  for (size_t i = 0; i < readers; ++i)
    out.push_back({int64_t(when(random)), true, "", s.unionids[i]});
  std::sort(out.begin(), out.end(),
            [](const Request& a, const Request& b) { return a.atUs < b.atUs; });
  return out;
}

std::string bodyOf(const Request& r) {
  nlohmann::json body = {{"unionid", r.unionid}};
  if (!r.read) {
    body["event_id"] = r.eventId;
    body["type"] = "chat";
    body["actor"] = "Ann";
    body["text"] = "hi " + r.eventId;
  }
  return body.dump();
}

// One request on `session`, reconnecting up to three times; the HTTP status, 0 when none came.
int send(Poco::Net::HTTPClientSession& session, const std::string& apiKey, const Request& r) {
  const std::string body = bodyOf(r);
  for (int attempt = 0; attempt < 3; ++attempt) {
    try {
      Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST,
                                     r.read ? "/v1/events:read" : "/v1/events",
                                     Poco::Net::HTTPMessage::HTTP_1_1);
      request.set("Authorization", "Bearer " + apiKey);
      request.setContentType("application/json");
      request.setContentLength(static_cast<std::streamsize>(body.size()));
      request.setKeepAlive(true);
      session.sendRequest(request) << body;
      Poco::Net::HTTPResponse response;
      std::istream& in = session.receiveResponse(response);
      in.ignore(std::numeric_limits<std::streamsize>::max());
      return response.getStatus();
    } catch (const std::exception&) {
      session.reset();
    }
  }
  return 0;
}

void work(const PostSettings& s, size_t worker, std::vector<Request>& requests,
          std::atomic<size_t>& next, Clock::time_point start) {
  Poco::URI target(s.targets[worker % s.targets.size()]);
  Poco::Net::HTTPClientSession session(target.getHost(), target.getPort());
  session.setKeepAlive(true);
  for (size_t i = next++; i < requests.size(); i = next++) {
    Request& r = requests[i];
    std::this_thread::sleep_until(start + std::chrono::microseconds(r.atUs));
    r.sentMs = nowMs();
    r.status = send(session, s.apiKey, r);
    r.answeredMs = nowMs();
  }
}

int64_t percentile(std::vector<int64_t>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, size_t(p * double(v.size())))];
}

PostReport report(const std::vector<Request>& requests, int64_t startMs) {
  PostReport out;
  int64_t last = startMs;
  std::vector<int64_t> answers;
  for (const auto& r : requests) {
    if (!r.read) answers.push_back(r.answeredMs - r.sentMs);
    const bool ok = r.read ? r.status == 200 : (r.status == 202 || r.status == 200);
    if (r.read) {
      out.reads += ok;
    } else {
      out.accepted += ok;
    }
    out.failed += !ok;
    last = std::max(last, r.answeredMs);
    out.maxLagMs = std::max(out.maxLagMs, r.sentMs - (startMs + r.atUs / 1000));
  }
  out.durationS = double(last - startMs) / 1000;
  out.answerP50Ms = percentile(answers, 0.5);
  out.answerP99Ms = percentile(answers, 0.99);
  return out;
}

}  // namespace

PostReport postSchedule(const PostSettings& settings, const std::string& logPath) {
  std::vector<Request> requests = schedule(settings);
  std::atomic<size_t> next{0};
  const auto start = Clock::now() + std::chrono::milliseconds(200);
  const int64_t startMs =
      std::chrono::duration_cast<std::chrono::milliseconds>(start.time_since_epoch()).count();
  std::vector<std::thread> threads;
  for (int w = 0; w < settings.connections; ++w) {
    threads.emplace_back(work, std::cref(settings), size_t(w), std::ref(requests), std::ref(next),
                         start);
  }
  for (auto& t : threads) t.join();
  std::ofstream log(logPath);
  for (const auto& r : requests) {
    log << (r.read ? "read" : "event") << '\t' << (r.read ? "-" : r.eventId) << '\t' << r.unionid
        << '\t' << r.sentMs << '\t' << r.answeredMs << '\t' << r.status << '\n';
  }
  return report(requests, startMs);
}

}  // namespace rtbench
