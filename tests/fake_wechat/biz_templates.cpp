#include "fake_wechat/biz_templates.h"

namespace wxb::fake {

namespace {

constexpr std::string_view kLongTermSuffix = ":long_term";

bool isTemplateId(const std::string& id) { return !id.empty() && id.size() <= 128; }

}  // namespace

std::optional<BizTemplate> parseBizTemplateArg(const std::string& text) {
  BizTemplate entry{text, false, {}};
  if (text.ends_with(kLongTermSuffix)) {
    entry.templateId = text.substr(0, text.size() - kLongTermSuffix.size());
    entry.longTerm = true;
  }
  if (!isTemplateId(entry.templateId)) return std::nullopt;
  return entry;
}

std::optional<BizTemplate> parseBizTemplateJson(const nlohmann::json& item) {
  if (item.is_string()) return parseBizTemplateArg(item.get<std::string>());
  if (!item.is_object()) return std::nullopt;
  auto id = item.find("template_id");
  auto longTerm = item.find("long_term");
  auto keys = item.find("keys");
  if (id == item.end() || !id->is_string() || !isTemplateId(id->get<std::string>())) {
    return std::nullopt;
  }
  BizTemplate entry{id->get<std::string>(), false, {}};
  if (longTerm != item.end() && !longTerm->is_null()) {
    if (!longTerm->is_boolean()) return std::nullopt;
    entry.longTerm = longTerm->get<bool>();
  }
  if (keys != item.end() && !keys->is_null()) {
    if (!keys->is_array()) return std::nullopt;
    for (const auto& key : *keys) {
      if (!key.is_string() || key.get<std::string>().empty()) return std::nullopt;
      entry.keys.insert(key.get<std::string>());
    }
  }
  return entry;
}

nlohmann::json bizTemplateJson(const BizTemplate& entry) {
  return {{"template_id", entry.templateId},
          {"long_term", entry.longTerm},
          {"keys", std::vector<std::string>(entry.keys.begin(), entry.keys.end())}};
}

std::optional<BizTemplate> BizTemplateCatalog::find(const std::string& templateId) const {
  std::lock_guard lock(mutex_);
  auto found = byId_.find(templateId);
  if (found == byId_.end()) return std::nullopt;
  return found->second;
}

void BizTemplateCatalog::replace(const std::vector<BizTemplate>& entries) {
  std::lock_guard lock(mutex_);
  byId_.clear();
  for (const auto& entry : entries) byId_[entry.templateId] = entry;
}

std::vector<BizTemplate> BizTemplateCatalog::entries() const {
  std::lock_guard lock(mutex_);
  std::vector<BizTemplate> out;
  for (const auto& [id, entry] : byId_) out.push_back(entry);
  return out;
}

}  // namespace wxb::fake
