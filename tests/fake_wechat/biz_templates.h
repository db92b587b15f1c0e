// The official account's own catalogue of subscribe-notification templates (the ones
// subscribe/bizsend sends): a template_id bizsend does not find here is 40037, whatever
// template/send or subscribe/send accept. A template is one-time (each message spends a grant
// of the user's) or long-term (no grant needed), and may list its data keys (then every key
// of a message must be one of them, and all must be there). Seeded from --biz-template,
// replaced through POST /__fake/config {"biz_templates":[...]}.
// Thread-safety: all members are thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace wxb::fake {

struct BizTemplate {
  std::string templateId;
  bool longTerm = false;
  std::set<std::string> keys;  // empty: any keys
};

// "ID" or "ID:long_term" (the --biz-template form); nullopt for anything else.
std::optional<BizTemplate> parseBizTemplateArg(const std::string& text);
// {"template_id", "long_term"?, "keys"?} or a bare id string; nullopt when malformed.
std::optional<BizTemplate> parseBizTemplateJson(const nlohmann::json& item);
nlohmann::json bizTemplateJson(const BizTemplate& entry);

class BizTemplateCatalog {
 public:
  explicit BizTemplateCatalog(const std::vector<BizTemplate>& entries) { replace(entries); }

  std::optional<BizTemplate> find(const std::string& templateId) const;
  void replace(const std::vector<BizTemplate>& entries);
  std::vector<BizTemplate> entries() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, BizTemplate> byId_;
};

}  // namespace wxb::fake
