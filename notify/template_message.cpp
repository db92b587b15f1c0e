#include "notify/template_message.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace wxb {

std::string encodePayload(const TemplateMessage& message) {
  nlohmann::json body = {{"template_id", message.templateId}, {"data", message.data}};
  if (message.miniprogram) {
    body["miniprogram"] = {{"appid", message.miniprogram->appid},
                           {"pagepath", message.miniprogram->pagepath}};
  }
  if (!message.url.empty()) body["url"] = message.url;
  return body.dump();
}

TemplateMessage decodePayload(std::string_view payload, const std::string& touser) {
  auto body = nlohmann::json::parse(payload, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("template_id") ||
      !body["template_id"].is_string() || !body.contains("data") || !body["data"].is_object()) {
    throw std::runtime_error("outbox payload is not a template message");
  }
  TemplateMessage message;
  message.touser = touser;
  message.templateId = body["template_id"].get<std::string>();
  for (const auto& [key, value] : body["data"].items()) {
    if (!value.is_string())
      throw std::runtime_error("outbox payload field " + key + " is not text");
    message.data[key] = value.get<std::string>();
  }
  if (auto mp = body.find("miniprogram"); mp != body.end() && mp->is_object()) {
    message.miniprogram = MiniProgramLink{mp->value("appid", ""), mp->value("pagepath", "")};
  }
  message.url = body.value("url", "");
  return message;
}

std::string clientMsgIdFor(int64_t outboxId, int64_t createdAtMs) {
  return "wxb-" + std::to_string(outboxId) + "-" + std::to_string(createdAtMs);
}

}  // namespace wxb
