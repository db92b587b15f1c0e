#include "realtime/check.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>

#include "realtime/model.h"

namespace rtbench {

namespace {

struct Delivered {
  bool single = false;
  int64_t atMs = 0;
};

struct UserRun {
  std::vector<ModelEvent> events;
  std::vector<Delivered> delivered;
};

std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  for (std::string f; std::getline(in, f, '\t');) out.push_back(f);
  return out;
}

void readEvents(const std::string& path, std::map<std::string, UserRun>& users) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    auto f = fields(line);
    if (f.size() < 5) continue;
    users[f[2]].events.push_back({std::stoll(f[0]), f[1], std::stoll(f[3]), std::stoll(f[4])});
  }
}

std::unordered_map<std::string, int64_t> readAnswers(const std::string& path) {
  std::unordered_map<std::string, int64_t> answeredMs;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    auto f = fields(line);
    if (f.size() == 6 && f[0] == "event") answeredMs[f[1]] = std::stoll(f[4]);
  }
  return answeredMs;
}

// Deliveries by unionid; returns how many matched no user or no real-time template.
int64_t readDeliveries(const CheckInputs& in, std::map<std::string, UserRun>& users) {
  std::unordered_map<std::string, std::string> unionidOf;
  std::ifstream followers(in.followersNdjson);
  for (std::string line; std::getline(followers, line);) {
    auto j = nlohmann::json::parse(line);
    if (j.contains("unionid")) unionidOf[j["openid"]] = j["unionid"];
  }
  int64_t stray = 0;
  std::ifstream messages(in.messagesNdjson);
  for (std::string line; std::getline(messages, line);) {
    auto j = nlohmann::json::parse(line);
    const std::string templateId = j["body"].value("template_id", "");
    auto user = unionidOf.find(j["body"].value("touser", ""));
    const bool single = templateId == in.singleTemplateId;
    if (user == unionidOf.end() || (!single && templateId != in.manyTemplateId)) {
      ++stray;
      continue;
    }
    users[user->second].delivered.push_back({single, j["at_ms"].get<int64_t>()});
  }
  return stray;
}

int64_t percentile(std::vector<int64_t> v, double p) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, size_t(p * double(v.size())))];
}

struct Tally {
  int64_t users = 0, mismatched = 0, predictedSingle = 0, predictedMany = 0, gotSingle = 0,
          gotMany = 0;
  std::vector<int64_t> singleLatency, manyLateness;
};

void compareUser(const std::string& unionid, UserRun& run, int64_t throttleMs,
                 const std::unordered_map<std::string, int64_t>& answered, Tally& t) {
  auto predicted = predictNotices(run.events, throttleMs);
  std::sort(run.delivered.begin(), run.delivered.end(),
            [](const Delivered& a, const Delivered& b) { return a.atMs < b.atMs; });
  const auto singles = std::count_if(predicted.begin(), predicted.end(),
                                     [](const PredictedNotice& n) { return n.single; });
  const auto gotSingles = std::count_if(run.delivered.begin(), run.delivered.end(),
                                        [](const Delivered& d) { return d.single; });
  ++t.users;
  t.predictedSingle += singles;
  t.predictedMany += int64_t(predicted.size()) - singles;
  t.gotSingle += gotSingles;
  t.gotMany += int64_t(run.delivered.size()) - gotSingles;
  bool same = predicted.size() == run.delivered.size();
  for (size_t i = 0; same && i < predicted.size(); ++i)
    same = predicted[i].single == run.delivered[i].single;
  if (!same) {
    if (++t.mismatched <= 5) {
      std::cerr << "realtime-bench: " << unionid << ": predicted " << predicted.size() << " ("
                << singles << " single), received " << run.delivered.size() << " (" << gotSingles
                << " single)\n";
    }
    return;
  }
  for (size_t i = 0; i < predicted.size(); ++i) {
    if (!predicted[i].single) {
      t.manyLateness.push_back(run.delivered[i].atMs - predicted[i].dueMs);
      continue;
    }
    auto ack = answered.find(predicted[i].eventId);
    if (ack != answered.end()) t.singleLatency.push_back(run.delivered[i].atMs - ack->second);
  }
}

}  // namespace

bool checkRun(const CheckInputs& in) {
  std::map<std::string, UserRun> users;
  readEvents(in.eventsTsv, users);
  const int64_t stray = readDeliveries(in, users);
  const auto answered = readAnswers(in.postedTsv);
  Tally t;
  for (auto& [unionid, run] : users) compareUser(unionid, run, in.throttleMs, answered, t);
  std::printf(
      "\"users\":%lld,\"predicted_single\":%lld,\"predicted_many\":%lld,\"received_single\":%lld,"
      "\"received_many\":%lld,\"mismatched_users\":%lld,\"stray_messages\":%lld,"
      "\"first_in_window_p50_ms\":%lld,\"first_in_window_p99_ms\":%lld,"
      "\"first_in_window_max_ms\":%lld,\"many_after_close_p50_ms\":%lld,"
      "\"many_after_close_p99_ms\":%lld",
      (long long)t.users, (long long)t.predictedSingle, (long long)t.predictedMany,
      (long long)t.gotSingle, (long long)t.gotMany, (long long)t.mismatched, (long long)stray,
      (long long)percentile(t.singleLatency, 0.5), (long long)percentile(t.singleLatency, 0.99),
      (long long)percentile(t.singleLatency, 1.0), (long long)percentile(t.manyLateness, 0.5),
      (long long)percentile(t.manyLateness, 0.99));
  return t.mismatched == 0 && stray == 0;
}

}  // namespace rtbench
