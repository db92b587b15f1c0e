// One-time subscribe-message grants as the platform counts them, per (openid, template_id):
// the mini program's (wx.requestSubscribeMessage accepts, spent by subscribe/send) and, in a
// second book, the official account's (popup accepts in an article or H5 page, spent by
// subscribe/bizsend). Tests add grants through POST /__fake/grants or by pushing a
// subscribe_msg_popup_event; a subscribe_msg_change_event reject takes them all away.
// Thread-safety: all members are thread-safe (one mutex).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

namespace wxb::fake {

class SubscribeGrants {
 public:
  // Adds `count` grants; returns how many the pair now holds.
  int64_t add(const std::string& openid, const std::string& templateId, int64_t count);
  bool has(const std::string& openid, const std::string& templateId) const;
  // Uses one grant. Returns false when there was none.
  bool consume(const std::string& openid, const std::string& templateId);
  // Takes every grant of the pair away (the user switched the template off).
  void revoke(const std::string& openid, const std::string& templateId);

  // [{"<idKey>","template_id","grants"}] of every pair holding grants; idKey names the openid
  // ("mp_openid" or "oa_openid").
  nlohmann::json list(const char* idKey) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, int64_t> grants_;
};

}  // namespace wxb::fake
