#include "fake_wechat/subscribe_grants.h"

namespace wxb::fake {

int64_t SubscribeGrants::add(const std::string& openid, const std::string& templateId,
                             int64_t count) {
  std::lock_guard lock(mutex_);
  int64_t& held = grants_[{openid, templateId}];
  held += count;
  return held;
}

bool SubscribeGrants::has(const std::string& openid, const std::string& templateId) const {
  std::lock_guard lock(mutex_);
  auto found = grants_.find({openid, templateId});
  return found != grants_.end() && found->second > 0;
}

bool SubscribeGrants::consume(const std::string& openid, const std::string& templateId) {
  std::lock_guard lock(mutex_);
  auto found = grants_.find({openid, templateId});
  if (found == grants_.end() || found->second <= 0) return false;
  if (--found->second == 0) grants_.erase(found);
  return true;
}

void SubscribeGrants::revoke(const std::string& openid, const std::string& templateId) {
  std::lock_guard lock(mutex_);
  grants_.erase({openid, templateId});
}

nlohmann::json SubscribeGrants::list(const char* idKey) const {
  std::lock_guard lock(mutex_);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [key, count] : grants_) {
    out.push_back({{idKey, key.first}, {"template_id", key.second}, {"grants", count}});
  }
  return out;
}

}  // namespace wxb::fake
