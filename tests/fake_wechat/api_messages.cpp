// Sending OA template messages. A send is recorded only after every check passed.
#include "fake_wechat/message_fields.h"
#include "fake_wechat/router.h"
#include "fake_wechat/value_rules.h"

namespace wxb::fake {
namespace {

constexpr std::size_t kMaxClientMsgId = 128;

struct ShownFields {
  nlohmann::json shown = nlohmann::json::object();
  nlohmann::json folded = nlohmann::json::array();
};

std::variant<ShownFields, Reply> templateFields(const Fields& fields, bool category) {
  ShownFields out;
  for (const auto& [key, value] : fields) {
    if (category) {
      if (auto problem = categoryValueProblem(key, value)) {
        return argumentInvalid("data." + key + ".value " + *problem);
      }
      out.shown[key] = value;
      continue;
    }
    bool folded = false;
    out.shown[key] = foldTemplateValue(value, &folded);
    if (folded) out.folded.push_back(key);
  }
  return out;
}

std::optional<Reply> checkFollower(const Platform& platform, const std::string& touser) {
  auto follower = platform.population.find(touser);
  if (!follower) return platformError(40003);
  if (!follower->subscribed) return platformError(43004);
  return std::nullopt;
}

Reply templateSend(Platform& platform, const ApiRequest& request) {
  auto basics = readSendBasics(request.call);
  if (auto* refusal = std::get_if<Reply>(&basics)) return std::move(*refusal);
  const auto& [body, touser, templateId] = std::get<SendBasics>(basics);
  if (auto refusal = checkFollower(platform, touser)) return std::move(*refusal);
  auto opens = messageOpens(platform, body, "url");
  if (auto* refusal = std::get_if<Reply>(&opens)) return std::move(*refusal);
  auto clientMsgId = optionalString(body, "client_msg_id");
  if (auto* refusal = std::get_if<Reply>(&clientMsgId)) return std::move(*refusal);
  std::string dedupId = std::get<0>(clientMsgId).value_or("");
  if (dedupId.size() > kMaxClientMsgId) return argumentInvalid("client_msg_id longer than 128");
  auto fields = dataFields(body);
  if (auto* refusal = std::get_if<Reply>(&fields)) return std::move(*refusal);
  auto shown = templateFields(std::get<0>(fields), platform.templates.isCategory(templateId));
  if (auto* refusal = std::get_if<Reply>(&shown)) return std::move(*refusal);
  auto& view = std::get<0>(shown);
  nlohmann::json entry = {{"api", "template"},
                          {"body", body},
                          {"shown", view.shown},
                          {"folded", view.folded},
                          {"opens", std::get<0>(opens)}};
  std::string dedupKey = dedupId.empty() ? "" : touser + '\x1f' + dedupId;
  DeliveryOutcome outcome = platform.deliveries.record(std::move(entry), dedupKey);
  return platformOk({{"errcode", 0}, {"errmsg", "ok"}, {"msgid", outcome.msgid}});
}

}  // namespace

std::vector<ApiRoute> messageRoutes() {
  return {
      {"/cgi-bin/message/template/send", Auth::kOa, templateSend},
  };
}

}  // namespace wxb::fake
