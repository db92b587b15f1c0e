#include "fake_wechat/quotas.h"

namespace wxb::fake {
namespace {

// The platform's documented defaults, reported (not enforced) by quota/get.
const std::map<std::string, int64_t, std::less<>>& documentedDefaults() {
  static const std::map<std::string, int64_t, std::less<>> table = {
      {"/cgi-bin/token", 2000},
      {"/cgi-bin/stable_token", 500000},
      {"/cgi-bin/user/get", 500},
      {"/cgi-bin/user/info", 5000000},
      {"/cgi-bin/user/info/batchget", 5000000},
      {"/cgi-bin/message/template/send", 100000},
      {"/cgi-bin/message/subscribe/send", 1000000},
      {"/cgi-bin/message/subscribe/bizsend", 1000000},
      {"/sns/jscode2session", 1000000},
      {"/cgi-bin/openapi/quota/get", 10000},
      {"/cgi-bin/clear_quota", 10},
      {"/cgi-bin/qrcode/create", 100000},
  };
  return table;
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& quotaApiNames() {
  static const std::vector<std::pair<std::string, std::string>> names = {
      {"token", "/cgi-bin/token"},
      {"stable_token", "/cgi-bin/stable_token"},
      {"user_get", "/cgi-bin/user/get"},
      {"user_info", "/cgi-bin/user/info"},
      {"batchget", "/cgi-bin/user/info/batchget"},
      {"template_send", "/cgi-bin/message/template/send"},
      {"subscribe_send", "/cgi-bin/message/subscribe/send"},
      {"bizsend", "/cgi-bin/message/subscribe/bizsend"},
      {"jscode2session", "/sns/jscode2session"},
      {"quota_get", "/cgi-bin/openapi/quota/get"},
      {"clear_quota", "/cgi-bin/clear_quota"},
      {"qrcode_create", "/cgi-bin/qrcode/create"},
  };
  return names;
}

std::optional<std::string> canonicalApiPath(std::string_view nameOrPath) {
  for (const auto& [name, path] : quotaApiNames()) {
    if (nameOrPath == name || nameOrPath == path) return path;
  }
  return std::nullopt;
}

QuotaBook::QuotaBook(const std::map<std::string, int64_t>& limits, const FakeClock& clock)
    : clock_(clock), limits_(limits) {
  day_ = chinaDay(clock_.now());
  month_ = chinaMonth(clock_.now());
}

void QuotaBook::rollOver() {
  int64_t now = clock_.now();
  if (int64_t day = chinaDay(now); day != day_) {
    day_ = day;
    used_.clear();
  }
  if (int64_t month = chinaMonth(now); month != month_) {
    month_ = month;
    clears_[0] = clears_[1] = 0;
  }
}

bool QuotaBook::consume(App app, const std::string& path) {
  std::lock_guard lock(mutex_);
  rollOver();
  int64_t& used = used_[{app, path}];
  auto limit = limits_.find(path);
  if (limit != limits_.end() && used >= limit->second) return false;
  ++used;
  return true;
}

QuotaView QuotaBook::view(App app, const std::string& path) {
  std::lock_guard lock(mutex_);
  rollOver();
  QuotaView view;
  auto used = used_.find({app, path});
  view.used = used == used_.end() ? 0 : used->second;
  auto limit = limits_.find(path);
  view.enforced = limit != limits_.end();
  if (view.enforced) {
    view.dailyLimit = limit->second;
  } else if (auto fallback = documentedDefaults().find(path);
             fallback != documentedDefaults().end()) {
    view.dailyLimit = fallback->second;
  }
  view.remain = view.dailyLimit > view.used ? view.dailyLimit - view.used : 0;
  return view;
}

bool QuotaBook::clear(App app) {
  std::lock_guard lock(mutex_);
  rollOver();
  int& clears = clears_[static_cast<int>(app)];
  if (clears >= kClearsPerMonth) return false;
  ++clears;
  std::erase_if(used_, [app](const auto& entry) { return entry.first.first == app; });
  return true;
}

void QuotaBook::setLimit(const std::string& path, int64_t limit) {
  std::lock_guard lock(mutex_);
  if (limit < 0) {
    limits_.erase(path);
  } else {
    limits_[path] = limit;
  }
}

std::map<std::string, int64_t> QuotaBook::limits() const {
  std::lock_guard lock(mutex_);
  return limits_;
}

}  // namespace wxb::fake
