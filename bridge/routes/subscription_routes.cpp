#include "bridge/routes/subscription_routes.h"

#include "bridge/routes/responses.h"
#include "cron/iso_time.h"
#include "notify/ledger_updates.h"
#include "notify/messages.h"
#include "wechat/wechat_types.h"

namespace wxb {

namespace {

std::variant<std::map<std::string, std::string>, ApiResponse> parseResults(
    const nlohmann::json& body) {
  auto found = body.find("results");
  if (found == body.end() || !found->is_object()) {
    return invalidField("results", "must be the object wx.requestSubscribeMessage returned");
  }
  if (found->size() > kMaxReportTemplates + 1) {  // + errMsg
    return invalidField("results", "at most " + std::to_string(kMaxReportTemplates) +
                                       " template ids (the popup takes 3)");
  }
  std::map<std::string, std::string> results;
  for (const auto& [id, word] : found->items()) {
    if (!word.is_string()) {
      // Named only once the id is known to be one: the key is the caller's raw text.
      const std::string field = isValidTemplateId(id) ? "results." + id : "results";
      return invalidField(field, "every answer must be a string");
    }
    results[id] = word.get<std::string>();
  }
  return results;
}

// The optional report_id (an idempotency key, checked like POST /v1/messages' own): "" when
// absent, else the id or the 400 to answer.
std::variant<std::string, ApiResponse> parseReportId(const nlohmann::json& body) {
  auto found = body.find("report_id");
  if (found == body.end()) return std::string();
  if (!found->is_string()) return invalidField("report_id", "must be a string when given");
  const std::string id = found->get<std::string>();
  if (auto problem = idempotencyKeyProblem(id)) return invalidField("report_id", *problem);
  return id;
}

nlohmann::json ledgerJson(const std::string& mpOpenid, const std::vector<GrantRecord>& records) {
  nlohmann::json templates = nlohmann::json::array();
  for (const auto& r : records) {
    templates.push_back(
        {{"template_id", r.templateId},
         {"grants", r.grants},
         {"last_result", r.lastAnswer.empty() ? nlohmann::json() : nlohmann::json(r.lastAnswer)},
         {"last_result_at",
          r.lastAnswerAtMs ? nlohmann::json(formatIsoUtc(r.lastAnswerAtMs)) : nlohmann::json()}});
  }
  return {{"mp_openid", mpOpenid}, {"templates", templates}};
}

}  // namespace

void SubscriptionRoutes::addTo(Router& router) {
  router.add(
      groupRoute("POST", "/v1/subscriptions", Access::ApiKey, this, &SubscriptionRoutes::record));
  router.add(groupRoute("GET", "/v1/subscriptions/{mp_openid}", Access::ApiKey, this,
                        &SubscriptionRoutes::show));
}

ApiResponse SubscriptionRoutes::record(const ApiRequest& request) {
  auto parsed = parseJsonObject(request.body, {"mp_openid", "report_id", "results"});
  if (auto* error = std::get_if<ApiResponse>(&parsed)) return *error;
  const auto& body = std::get<nlohmann::json>(parsed);
  auto openid = body.find("mp_openid");
  if (openid == body.end() || !openid->is_string() ||
      !isValidWechatId(openid->get<std::string>())) {
    return invalidId("mp_openid");
  }
  auto results = parseResults(body);
  if (auto* error = std::get_if<ApiResponse>(&results)) return *error;
  auto answers = readAnswers(std::get<std::map<std::string, std::string>>(results));
  if (!answers) return invalidField(answers.error().field, answers.error().problem);
  auto reportId = parseReportId(body);
  if (auto* error = std::get_if<ApiResponse>(&reportId)) return *error;
  const std::string mpOpenid = openid->get<std::string>();
  // A retried report (the same report_id) is answered with the first answer, stored with it.
  const std::string answer = recordReport(
      ledger_, counted_, mpOpenid, std::get<std::string>(reportId), *answers,
      [&](const std::vector<GrantRecord>& records) { return ledgerJson(mpOpenid, records).dump(); },
      clock_.nowMs());
  return ApiResponse{200, answer + "\n", "application/json", {}};
}

ApiResponse SubscriptionRoutes::show(const ApiRequest& request) {
  const std::string& mpOpenid = request.params.at("mp_openid");
  if (!isValidWechatId(mpOpenid)) return invalidId("mp_openid");
  return apiJson(200, ledgerJson(mpOpenid, ledger_.ofUser(kMpBook, mpOpenid)));
}

}  // namespace wxb
