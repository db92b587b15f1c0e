// realtime-bench: the load generator and the checker of bench/realtime.sh (see there).
//   realtime-bench model-example
//   realtime-bench post --targets URL[,URL] --key KEY --unionids FILE --events N --seconds S
//                       --read-share R --connections C --seed N --log FILE
//   realtime-bench check --events TSV --posted TSV --messages NDJSON --followers NDJSON
//                        --single TEMPLATE_ID --many TEMPLATE_ID --throttle-ms MS
// Exit 0 on success, 1 when the run failed or the messages differ from the model, 2 on usage.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include "realtime/check.h"
#include "realtime/model.h"
#include "realtime/post.h"

namespace {

using Options = std::map<std::string, std::string>;

Options options(int argc, char** argv) {
  Options out;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string name = argv[i];
    if (name.rfind("--", 0) != 0) throw std::invalid_argument("expected --NAME VALUE: " + name);
    out[name.substr(2)] = argv[i + 1];
  }
  return out;
}

const std::string& need(const Options& o, const std::string& name) {
  auto found = o.find(name);
  if (found == o.end()) throw std::invalid_argument("--" + name + " is required");
  return found->second;
}

std::vector<std::string> lines(const std::string& path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ',');) out.push_back(part);
  return out;
}

int post(const Options& o) {
  rtbench::PostSettings s;
  s.targets = split(need(o, "targets"));
  s.apiKey = need(o, "key");
  s.unionids = lines(need(o, "unionids"));
  s.events = std::stoll(need(o, "events"));
  s.seconds = std::stod(need(o, "seconds"));
  s.readShare = std::stod(need(o, "read-share"));
  s.connections = std::stoi(need(o, "connections"));
  s.seed = std::stoull(need(o, "seed"));
  if (s.unionids.empty()) throw std::invalid_argument("--unionids: no unionids in the file");
  auto r = rtbench::postSchedule(s, need(o, "log"));
  std::printf(
      "\"accepted\":%lld,\"failed\":%lld,\"reads\":%lld,\"post_s\":%.2f,"
      "\"accepted_per_s\":%.0f,\"accept_p50_ms\":%lld,\"accept_p99_ms\":%lld,"
      "\"schedule_max_lag_ms\":%lld\n",
      (long long)r.accepted, (long long)r.failed, (long long)r.reads, r.durationS,
      r.durationS > 0 ? double(r.accepted) / r.durationS : 0.0, (long long)r.answerP50Ms,
      (long long)r.answerP99Ms, (long long)r.maxLagMs);
  return r.failed == 0 ? 0 : 1;
}

int check(const Options& o) {
  rtbench::CheckInputs in{need(o, "events"),
                          need(o, "posted"),
                          need(o, "messages"),
                          need(o, "followers"),
                          need(o, "single"),
                          need(o, "many"),
                          std::stoll(need(o, "throttle-ms"))};
  const bool ok = rtbench::checkRun(in);
  std::printf("\n");
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string command = argc > 1 ? argv[1] : "";
  try {
    if (command == "model-example") {
      std::string problem = rtbench::checkDocumentedExample();
      if (!problem.empty()) std::cerr << "realtime-bench: the model: " << problem << "\n";
      return problem.empty() ? 0 : 1;
    }
    if (command == "post") return post(options(argc, argv));
    if (command == "check") return check(options(argc, argv));
    std::cerr << "usage: realtime-bench model-example | post ... | check ... (see main.cpp)\n";
  } catch (const std::invalid_argument& e) {
    std::cerr << "realtime-bench: " << e.what() << "\n";
  }
  return 2;
}
