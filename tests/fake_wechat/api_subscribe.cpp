// Subscribe sends: MP subscribe messages (subscribe/send, MP token) and OA subscribe
// notifications (subscribe/bizsend, OA token, the OA's own template catalogue). Both check
// values by key type (value_rules.h) and spend one of the user's grants; a send is recorded and
// the grant consumed only after every check passed.
#include <algorithm>
#include <cctype>

#include "fake_wechat/message_fields.h"
#include "fake_wechat/router.h"

namespace wxb::fake {
namespace {

// A subscribe-message page is a mini-program path: "pages/..." plus an optional query.
bool isValidPage(const std::string& page) {
  std::string_view path = std::string_view(page).substr(0, page.find('?'));
  bool charsOk = std::all_of(path.begin(), path.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
           c == '/';
  });
  return charsOk && path.starts_with("pages/") && path.size() > 6 && !path.ends_with("/") &&
         path.find("..") == std::string_view::npos && path.find("//") == std::string_view::npos;
}

std::optional<Reply> checkSubscribeOptions(const nlohmann::json& body) {
  auto page = optionalString(body, "page");
  auto state = optionalString(body, "miniprogram_state");
  auto lang = optionalString(body, "lang");
  for (const auto* member : {&page, &state, &lang}) {
    if (auto* refusal = std::get_if<Reply>(member)) return std::move(*refusal);
  }
  if (auto& value = std::get<0>(page); value && !isValidPage(*value)) return platformError(41030);
  if (auto& value = std::get<0>(state);
      value && *value != "developer" && *value != "trial" && *value != "formal") {
    return argumentInvalid("miniprogram_state must be developer, trial or formal");
  }
  if (auto& value = std::get<0>(lang);
      value && *value != "zh_CN" && *value != "en_US" && *value != "zh_HK" && *value != "zh_TW") {
    return argumentInvalid("lang must be zh_CN, en_US, zh_HK or zh_TW");
  }
  return std::nullopt;
}

Reply subscribeSend(Platform& platform, const ApiRequest& request) {
  auto basics = readSendBasics(request.call);
  if (auto* refusal = std::get_if<Reply>(&basics)) return std::move(*refusal);
  const auto& [body, touser, templateId] = std::get<SendBasics>(basics);
  if (auto refusal = checkSubscribeOptions(body)) return std::move(*refusal);
  if (!platform.mpGrants.has(touser, templateId)) return platformError(43101);
  auto fields = dataFields(body);
  if (auto* refusal = std::get_if<Reply>(&fields)) return std::move(*refusal);
  if (auto refusal = checkSubscribeFields(std::get<0>(fields))) return std::move(*refusal);
  if (!platform.mpGrants.consume(touser, templateId)) return platformError(43101);
  DeliveryOutcome outcome = platform.deliveries.record({{"api", "subscribe"}, {"body", body}}, "");
  return platformOk({{"errcode", 0}, {"errmsg", "ok"}, {"msgid", outcome.msgid}});
}

// bizsend's page is a web page: an http(s) URL.
bool isWebUrl(const std::string& url) {
  return (url.starts_with("http://") && url.size() > 7) ||
         (url.starts_with("https://") && url.size() > 8);
}

// A template that lists its keys takes exactly those.
std::optional<Reply> checkCatalogKeys(const BizTemplate& entry, const Fields& fields) {
  if (entry.keys.empty()) return std::nullopt;
  std::set<std::string> given;
  for (const auto& [key, value] : fields) {
    if (!entry.keys.contains(key)) {
      return argumentInvalid("data." + key + " is not a key of template " + entry.templateId);
    }
    given.insert(key);
  }
  for (const auto& key : entry.keys) {
    if (!given.contains(key)) return argumentInvalid("data." + key + " is missing");
  }
  return std::nullopt;
}

std::optional<Reply> checkBizPage(const nlohmann::json& body) {
  auto page = optionalString(body, "page");
  if (auto* refusal = std::get_if<Reply>(&page)) return std::move(*refusal);
  if (auto& url = std::get<0>(page); url && !isWebUrl(*url)) {
    return argumentInvalid("page must be an http(s) URL");
  }
  return std::nullopt;
}

// Followers see the notification in the account's chat, everyone else in 服务通知.
const char* shownIn(const Platform& platform, const std::string& openid) {
  auto follower = platform.population.find(openid);
  return follower && follower->subscribed ? "chat" : "service_notifications";
}

Reply bizSend(Platform& platform, const ApiRequest& request) {
  auto basics = readSendBasics(request.call);
  if (auto* refusal = std::get_if<Reply>(&basics)) return std::move(*refusal);
  const auto& [body, touser, templateId] = std::get<SendBasics>(basics);
  auto entry = platform.bizTemplates.find(templateId);
  if (!entry) return platformError(40037);
  if (auto refusal = checkBizPage(body)) return std::move(*refusal);
  auto opens = messageOpens(platform, body, "page");
  if (auto* refusal = std::get_if<Reply>(&opens)) return std::move(*refusal);
  const bool oneTime = !entry->longTerm;
  if (oneTime && !platform.oaGrants.has(touser, templateId)) return platformError(43101);
  auto fields = dataFields(body);
  if (auto* refusal = std::get_if<Reply>(&fields)) return std::move(*refusal);
  if (auto refusal = checkCatalogKeys(*entry, std::get<0>(fields))) return std::move(*refusal);
  if (auto refusal = checkSubscribeFields(std::get<0>(fields))) return std::move(*refusal);
  if (oneTime && !platform.oaGrants.consume(touser, templateId)) return platformError(43101);
  platform.deliveries.record({{"api", "bizsend"},
                              {"body", body},
                              {"opens", std::get<0>(opens)},
                              {"shown_in", shownIn(platform, touser)}},
                             "");
  return platformOk({{"errcode", 0}, {"errmsg", "ok"}});
}

}  // namespace

std::vector<ApiRoute> subscribeRoutes() {
  return {
      {"/cgi-bin/message/subscribe/send", Auth::kMp, subscribeSend},
      {"/cgi-bin/message/subscribe/bizsend", Auth::kOa, bizSend},
  };
}

}  // namespace wxb::fake
