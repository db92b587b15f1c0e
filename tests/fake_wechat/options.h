// The fake platform's command line, parsed once at start into a typed `Options` value.
//
// main() calls parseOptions(); on failure it prints the message and exits 2. Everything else
// takes the parsed value (or the part it needs) by reference. Thread-safety: a plain value.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "fake_wechat/biz_templates.h"

namespace wxb::fake {

// The two apps of one Open Platform account: the official account and the mini program.
enum class App { kOa = 0, kMp = 1 };

inline std::string_view appName(App app) { return app == App::kOa ? "oa" : "mp"; }

struct AppCredentials {
  std::string appid;
  std::string secret;
};

struct FaultRates {
  int latencyMs = 0;         // every platform call sleeps this long before it is answered
  double failRate = 0;       // share of calls answered HTTP 500
  double busyRate = 0;       // share of calls answered errcode -1
  double timeoutRate = 0;    // share of calls held, then dropped without an answer
  int64_t totalSurplus = 0;  // user/get reports `total` this much above its list (truncated list)
  double dirtyTextRate = 0;  // share of followers whose remark holds raw control / non-UTF-8 bytes
};

struct Options {
  uint16_t port = 0;
  uint32_t followers = 1000;
  double unionidRatio = 0.9;
  uint64_t seed = 1;
  uint32_t pageSize = 10000;
  FaultRates faults;
  int timeoutHoldMs = 10000;
  int64_t tokenTtl = 7200;
  int64_t tokenOverlap = 300;
  int64_t stableRenewWindow = 300;
  int64_t forceRefreshInterval = 30;
  int forceRefreshDaily = 20;
  int64_t invalidateTokenEvery =
      0;  // kill an app's tokens after every N calls using one (0: never)
  std::map<std::string, int64_t> quotas;  // canonical API path -> daily limit
  std::vector<std::string> allowIps;      // CIDRs; empty allows every caller
  AppCredentials oa{"wxfakeoa", "oasecret"};
  AppCredentials mp{"wxfakemp", "mpsecret"};
  std::string oaOriginalId = "gh_fakewechat01";
  std::string mpOriginalId = "gh_fakeminiprog";
  std::string callbackToken = "wxfaketoken";
  std::string callbackAesKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
  std::set<std::string> categoryTemplates;
  std::vector<BizTemplate> bizTemplates;  // the OA's subscribe-notification catalogue
  int threads = 256;
};

// What parseOptions() returns for --help: print usage() and exit 0.
struct HelpRequested {};

// Parses argv (without the program name). Returns Options, HelpRequested, or an error message
// naming the argument and what is wrong.
std::variant<Options, HelpRequested, std::string> parseOptions(
    const std::vector<std::string>& args);

// The --help text.
std::string usage();

}  // namespace wxb::fake
