#include "fake_wechat/options.h"

#include <charconv>
#include <functional>
#include <limits>
#include <optional>
#include <sstream>

#include "fake_wechat/ip_allowlist.h"
#include "fake_wechat/quotas.h"

namespace wxb::fake {
namespace {

using Setter = std::function<std::optional<std::string>(Options&, const std::string&)>;

template <typename T>
std::optional<T> parseNumber(const std::string& text, T min, T max) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return std::nullopt;
  }
  return value;
}

template <typename T>
std::string shown(T value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

template <typename T, typename U>
Setter number(U Options::*field, T min, T max) {
  return [=](Options& o, const std::string& v) -> std::optional<std::string> {
    auto parsed = parseNumber<T>(v, min, max);
    if (!parsed) return "must be a number from " + shown(min) + " to " + shown(max);
    o.*field = static_cast<U>(*parsed);
    return std::nullopt;
  };
}

Setter rate(double FaultRates::*field) {
  return [=](Options& o, const std::string& v) -> std::optional<std::string> {
    auto parsed = parseNumber<double>(v, 0.0, 1.0);
    if (!parsed) return "must be a number from 0 to 1";
    o.faults.*field = *parsed;
    return std::nullopt;
  };
}

Setter text(std::string AppCredentials::*field, AppCredentials Options::*app) {
  return [=](Options& o, const std::string& v) -> std::optional<std::string> {
    if (v.empty() || v.size() > 64) return "must be 1 to 64 characters";
    (o.*app).*field = v;
    return std::nullopt;
  };
}

std::optional<std::string> setQuota(Options& o, const std::string& v) {
  auto eq = v.find('=');
  if (eq == std::string::npos) return "must be API=N";
  auto path = canonicalApiPath(v.substr(0, eq));
  if (!path) return "names an unknown API '" + v.substr(0, eq) + "' (see --help)";
  auto limit = parseNumber<int64_t>(v.substr(eq + 1), 0, std::numeric_limits<int64_t>::max());
  if (!limit) return "must be API=N with N a non-negative integer";
  o.quotas[*path] = *limit;
  return std::nullopt;
}

std::optional<std::string> setAllowIp(Options& o, const std::string& v) {
  if (!parseCidr(v)) return "must be an IPv4 or IPv6 address or CIDR, e.g. 10.0.0.0/8";
  o.allowIps.push_back(v);
  return std::nullopt;
}

std::optional<std::string> setAesKey(Options& o, const std::string& v) {
  const std::string_view base64 =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  if (v.size() != 43 || v.find_first_not_of(base64) != std::string::npos) {
    return "must be 43 characters of [A-Za-z0-9+/]";
  }
  o.callbackAesKey = v;
  return std::nullopt;
}

std::optional<std::string> setNonEmpty(std::string& target, const std::string& v) {
  if (v.empty()) return "must not be empty";
  target = v;
  return std::nullopt;
}

const std::map<std::string, Setter, std::less<>>& setters() {
  static const std::map<std::string, Setter, std::less<>> table = {
      {"--port", number<int64_t>(&Options::port, 0, 65535)},
      {"--followers", number<int64_t>(&Options::followers, 0, 50'000'000)},
      {"--unionid-ratio", number<double>(&Options::unionidRatio, 0.0, 1.0)},
      {"--seed", number<uint64_t>(&Options::seed, 0, std::numeric_limits<uint64_t>::max())},
      {"--page-size", number<int64_t>(&Options::pageSize, 1, 10000)},
      {"--latency-ms",
       [](Options& o, const std::string& v) -> std::optional<std::string> {
         auto parsed = parseNumber<int>(v, 0, 600000);
         if (!parsed) return "must be a number of milliseconds from 0 to 600000";
         o.faults.latencyMs = *parsed;
         return std::nullopt;
       }},
      {"--fail-rate", rate(&FaultRates::failRate)},
      {"--busy-rate", rate(&FaultRates::busyRate)},
      {"--timeout-rate", rate(&FaultRates::timeoutRate)},
      {"--timeout-hold-ms", number<int64_t>(&Options::timeoutHoldMs, 0, 3'600'000)},
      {"--dirty-text-rate", rate(&FaultRates::dirtyTextRate)},
      {"--total-surplus",
       [](Options& o, const std::string& v) -> std::optional<std::string> {
         auto parsed = parseNumber<int64_t>(v, 0, 50'000'000);
         if (!parsed) return "must be a number of followers from 0 to 50000000";
         o.faults.totalSurplus = *parsed;
         return std::nullopt;
       }},
      {"--token-ttl", number<int64_t>(&Options::tokenTtl, 1, 10'000'000)},
      {"--token-overlap", number<int64_t>(&Options::tokenOverlap, 0, 10'000'000)},
      {"--stable-renew-window", number<int64_t>(&Options::stableRenewWindow, 0, 10'000'000)},
      {"--force-refresh-interval", number<int64_t>(&Options::forceRefreshInterval, 0, 86400)},
      {"--force-refresh-daily", number<int64_t>(&Options::forceRefreshDaily, 0, 1'000'000)},
      {"--invalidate-token-every",
       number<int64_t>(&Options::invalidateTokenEvery, 0, 1'000'000'000)},
      {"--quota", setQuota},
      {"--allow-ip", setAllowIp},
      {"--oa-appid", text(&AppCredentials::appid, &Options::oa)},
      {"--oa-secret", text(&AppCredentials::secret, &Options::oa)},
      {"--mp-appid", text(&AppCredentials::appid, &Options::mp)},
      {"--mp-secret", text(&AppCredentials::secret, &Options::mp)},
      {"--oa-original-id",
       [](Options& o, const std::string& v) { return setNonEmpty(o.oaOriginalId, v); }},
      {"--mp-original-id",
       [](Options& o, const std::string& v) { return setNonEmpty(o.mpOriginalId, v); }},
      {"--callback-token",
       [](Options& o, const std::string& v) { return setNonEmpty(o.callbackToken, v); }},
      {"--callback-aes-key", setAesKey},
      {"--template-category",
       [](Options& o, const std::string& v) -> std::optional<std::string> {
         if (v.empty()) return "must not be empty";
         o.categoryTemplates.insert(v);
         return std::nullopt;
       }},
      {"--biz-template",
       [](Options& o, const std::string& v) -> std::optional<std::string> {
         auto entry = parseBizTemplateArg(v);
         if (!entry) return "must be ID or ID:long_term (ID 1-128 characters)";
         o.bizTemplates.push_back(std::move(*entry));
         return std::nullopt;
       }},
      {"--threads", number<int64_t>(&Options::threads, 4, 1024)},
  };
  return table;
}

bool isRepeatable(std::string_view name) {
  return name == "--quota" || name == "--allow-ip" || name == "--template-category" ||
         name == "--biz-template";
}

std::optional<std::string> checkConsistency(const Options& o) {
  const FaultRates& f = o.faults;
  if (f.failRate + f.busyRate + f.timeoutRate > 1.0) {
    return "--fail-rate + --busy-rate + --timeout-rate must not exceed 1";
  }
  if (o.oa.appid == o.mp.appid) return "--oa-appid and --mp-appid must differ";
  return std::nullopt;
}

}  // namespace

std::variant<Options, HelpRequested, std::string> parseOptions(
    const std::vector<std::string>& args) {
  Options options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") return HelpRequested{};
    std::string name = args[i];
    std::optional<std::string> inlineValue;
    if (auto eq = name.find('='); eq != std::string::npos && name.starts_with("--")) {
      inlineValue = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    auto setter = setters().find(name);
    if (setter == setters().end()) return "unknown argument '" + name + "' (see --help)";
    if (!inlineValue && i + 1 >= args.size()) return name + " needs a value";
    std::string value = inlineValue ? *inlineValue : args[++i];
    if (auto error = setter->second(options, value)) return name + " " + value + ": " + *error;
    while (!inlineValue && isRepeatable(name) && i + 1 < args.size() &&
           !args[i + 1].starts_with("--")) {
      value = args[++i];
      if (auto error = setter->second(options, value)) return name + " " + value + ": " + *error;
    }
  }
  if (auto error = checkConsistency(options)) return *error;
  return options;
}

std::string usage() {
  return R"(usage: fake-wechat [options]
A fake of the WeChat platform APIs wxbridge uses (see docs/fake-wechat.md). Binds 127.0.0.1 only;
the first stdout line is "listening on 127.0.0.1:PORT".

  --port P                    port to listen on; 0 (default) picks a free one
  --followers N               OA followers to generate (default 1000)
  --unionid-ratio R           share of followers with a unionid (default 0.9)
  --seed S                    population and fault seed (default 1)
  --page-size N               openids per user/get page, 1..10000 (default 10000)
  --latency-ms L              sleep before answering every platform call (default 0)
  --fail-rate F               share of platform calls answered HTTP 500 (default 0)
  --busy-rate B               share answered errcode -1 "system error" (default 0)
  --timeout-rate T            share held, then dropped unanswered (default 0)
  --timeout-hold-ms MS        how long a timed-out call is held (default 10000)
  --total-surplus N           user/get reports total N above its list: a truncated list (default 0)
  --dirty-text-rate R         share of followers whose remark, in user/info and batchget answers,
                              holds a raw control byte and bytes that are not UTF-8 (default 0)
  --token-ttl S               access_token lifetime, expires_in (default 7200)
  --invalidate-token-every N  after every N calls that use a token, kill that app's tokens
                              (the next call gets 40001, as after a stray fetch; default 0: never)
  --token-overlap S           classic token: the previous one stays valid this long (default 300)
  --stable-renew-window S     stable_token renews within S of expiry (default 300, at most ttl/2)
  --force-refresh-interval S  stable_token force_refresh spacing (default 30)
  --force-refresh-daily N     stable_token force_refresh allowance a day (default 20)
  --quota API=N ...           daily limit; API is a path or one of token, stable_token, user_get,
                              user_info, batchget, template_send, subscribe_send, bizsend,
                              jscode2session, quota_get, clear_quota, qrcode_create (repeatable)
  --allow-ip CIDR ...         caller IP whitelist (repeatable; default: everyone)
  --oa-appid A --oa-secret S  OA credentials (default wxfakeoa / oasecret)
  --mp-appid A --mp-secret S  MP credentials (default wxfakemp / mpsecret)
  --oa-original-id ID         ToUserName of pushed OA events (default gh_fakewechat01)
  --mp-original-id ID         ToUserName of pushed mini-program events (default gh_fakeminiprog)
  --callback-token TOK        token used to sign pushed events (default wxfaketoken)
  --callback-aes-key KEY43    EncodingAESKey used to encrypt pushed events
  --template-category ID      treat template ID as a category template (repeatable)
  --biz-template ID[:long_term]
                              an OA subscribe-notification template bizsend accepts; one-time
                              unless :long_term (repeatable; default: none)
  --threads N                 HTTP worker threads, one per open connection (default 256)
)";
}

}  // namespace wxb::fake
