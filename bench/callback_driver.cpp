// callback-bench: drives serve's /wechat/callback the way the platform does, at scale. It plans
// N distinct pushes - subscribe, unsubscribe and TEMPLATESENDJOBFINISH in turn, each from its own
// openid - adds repeats of a share of them (the same request again, as the platform's retries
// are), signs and, in safe mode, encrypts every one up front with fake-wechat's own crypto (not
// the bridge's), then sends them from S keep-alive connections in parallel and times each reply.
// Prints one JSON line: counts by event and by reply status, pushes/s and reply p50/p99/max.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "fake_wechat/callback_crypto.h"
#include "fake_wechat/callback_push.h"
#include "fake_wechat/rng.h"

namespace {

using namespace wxb::fake;

struct Options {
  std::string url;
  int64_t pushes = 1000;
  double repeatRatio = 0.1;
  int senders = 32;
  bool safe = true;
  std::string token = "wxfaketoken";
  std::string aesKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
  std::string appid = "wxfakeoa";
  std::string toUser = "gh_fakewechat01";
  std::string openidPrefix = "oBench";
  int64_t msgidBase = 7000000000;
};

struct Prepared {
  std::string pathAndQuery;
  std::string body;
};

const char* const kEvents[] = {"subscribe", "unsubscribe", "TEMPLATESENDJOBFINISH"};
const char* const kStatuses[] = {"success", "failed:user block", "failed: system failed"};

std::string openidOf(const Options& options, int64_t i) {
  std::string digits = std::to_string(i);
  return options.openidPrefix + std::string(28 - options.openidPrefix.size() - digits.size(), '0') +
         digits;
}

EventSpec eventOf(const Options& options, int64_t i, int64_t createTime) {
  EventSpec event{
      options.toUser, openidOf(options, i), createTime, kEvents[i % 3], {}, {}, {}, {}, {}};
  if (i % 3 == 2) {
    event.msgId = options.msgidBase + i;
    event.status = kStatuses[(i / 3) % 3];
  }
  return event;
}

// The query and body the platform would send for `xml`, signed (and encrypted in safe mode).
Prepared prepare(const Options& options, const std::string& aesKey, const std::string& xml,
                 int64_t timestamp) {
  Poco::URI uri(options.url);
  const std::string stamp = std::to_string(timestamp);
  const std::string nonce = randomDigits(10);
  uri.addQueryParameter("signature", sortedSha1({options.token, stamp, nonce}));
  uri.addQueryParameter("timestamp", stamp);
  uri.addQueryParameter("nonce", nonce);
  if (!options.safe) return {uri.getPathAndQuery(), xml};
  const std::string encrypted = encryptMessage(xml, aesKey, options.appid);
  uri.addQueryParameter("encrypt_type", "aes");
  uri.addQueryParameter("msg_signature", sortedSha1({options.token, stamp, nonce, encrypted}));
  return {uri.getPathAndQuery(), "<xml><ToUserName><![CDATA[" + options.toUser +
                                     "]]></ToUserName><Encrypt><![CDATA[" + encrypted +
                                     "]]></Encrypt></xml>"};
}

// Every distinct push once, plus repeats, shuffled so a repeat may race its original.
std::vector<Prepared> plan(const Options& options) {
  auto aesKey = aesKeyOf(options.aesKey);
  if (!aesKey) throw std::invalid_argument("--aes-key is not a 43-character EncodingAESKey");
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  std::vector<Prepared> requests;
  for (int64_t i = 0; i < options.pushes; ++i) {
    requests.push_back(prepare(options, *aesKey, buildEventXml(eventOf(options, i, now)), now));
  }
  std::mt19937_64 engine(7);
  const auto repeats =
      static_cast<int64_t>(static_cast<double>(options.pushes) * options.repeatRatio);
  for (int64_t r = 0; r < repeats; ++r) {
    requests.push_back(requests[static_cast<std::size_t>(engine() % options.pushes)]);
  }
  std::shuffle(requests.begin(), requests.end(), engine);
  return requests;
}

struct Results {
  std::mutex mutex;
  std::vector<double> latenciesMs;
  std::map<int, int64_t> statuses;  // 0: no answer
};

void sender(const Options& options, const std::vector<Prepared>& requests,
            std::atomic<std::size_t>& next, Results& results) {
  Poco::URI base(options.url);
  Poco::Net::HTTPClientSession session(base.getHost(), base.getPort());
  session.setTimeout(Poco::Timespan(5, 0));  // the platform's reply deadline
  std::vector<double> latencies;
  std::map<int, int64_t> statuses;
  for (std::size_t i; (i = next.fetch_add(1)) < requests.size();) {
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, requests[i].pathAndQuery,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("text/xml");
    request.setContentLength(static_cast<std::streamsize>(requests[i].body.size()));
    request.setKeepAlive(true);
    auto start = std::chrono::steady_clock::now();
    int status = 0;
    try {
      session.sendRequest(request) << requests[i].body;
      Poco::Net::HTTPResponse response;
      std::string reply;
      Poco::StreamCopier::copyToString(session.receiveResponse(response), reply);
      status = static_cast<int>(response.getStatus());
    } catch (const Poco::Exception&) {
      session.reset();
    }
    latencies.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
    ++statuses[status];
  }
  std::lock_guard lock(results.mutex);
  results.latenciesMs.insert(results.latenciesMs.end(), latencies.begin(), latencies.end());
  for (auto [status, count] : statuses) results.statuses[status] += count;
}

double percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  auto at = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1));
  return sorted[at];
}

nlohmann::json report(const Options& options, std::size_t sent, Results& results, double seconds) {
  std::sort(results.latenciesMs.begin(), results.latenciesMs.end());
  nlohmann::json statuses = nlohmann::json::object();
  for (auto [status, count] : results.statuses) statuses[std::to_string(status)] = count;
  nlohmann::json byEvent = nlohmann::json::object();
  for (int k = 0; k < 3; ++k) byEvent[kEvents[k]] = (options.pushes + 2 - k) / 3;
  auto round2 = [](double v) { return std::round(v * 100) / 100; };
  return {{"sent", sent},
          {"distinct", options.pushes},
          {"repeats", static_cast<int64_t>(sent) - options.pushes},
          {"distinct_by_event", byEvent},
          {"mode", options.safe ? "safe" : "plain"},
          {"senders", options.senders},
          {"statuses", statuses},
          {"seconds", round2(seconds)},
          {"pushes_per_s", std::llround(static_cast<double>(sent) / seconds)},
          {"p50_ms", round2(percentile(results.latenciesMs, 0.50))},
          {"p99_ms", round2(percentile(results.latenciesMs, 0.99))},
          {"max_ms", round2(percentile(results.latenciesMs, 1.0))}};
}

Options parseOptions(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string name = argv[i];
    if (name == "--plain") {
      o.safe = false;
      continue;
    }
    if (i + 1 >= argc) throw std::invalid_argument(name + " needs a value");
    std::string value = argv[++i];
    if (name == "--url")
      o.url = value;
    else if (name == "--pushes")
      o.pushes = std::stoll(value);
    else if (name == "--repeat-ratio")
      o.repeatRatio = std::stod(value);
    else if (name == "--senders")
      o.senders = std::stoi(value);
    else if (name == "--token")
      o.token = value;
    else if (name == "--aes-key")
      o.aesKey = value;
    else if (name == "--appid")
      o.appid = value;
    else if (name == "--to-user")
      o.toUser = value;
    else if (name == "--msgid-base")
      o.msgidBase = std::stoll(value);
    else
      throw std::invalid_argument("unknown option " + name);
  }
  if (o.url.empty() || o.pushes < 1 || o.senders < 1 || o.repeatRatio < 0) {
    throw std::invalid_argument("--url is required; --pushes and --senders must be positive");
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  try {
    options = parseOptions(argc, argv);
  } catch (const std::exception& error) {
    std::cerr << "callback-bench: " << error.what()
              << "\nusage: callback-bench --url URL [--pushes N] [--repeat-ratio R] "
                 "[--senders S] [--plain] [--token T] [--aes-key K] [--appid A] "
                 "[--to-user ID] [--msgid-base N]\n";
    return 2;
  }
  const std::vector<Prepared> requests = plan(options);
  std::cerr << "callback-bench: " << requests.size() << " pushes prepared\n";
  Results results;
  std::atomic<std::size_t> next{0};
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int s = 0; s < options.senders; ++s) {
    threads.emplace_back(sender, std::cref(options), std::cref(requests), std::ref(next),
                         std::ref(results));
  }
  for (auto& thread : threads) thread.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << report(options, requests.size(), results, seconds).dump() << std::endl;
  return 0;
}
