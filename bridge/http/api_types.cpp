#include "bridge/http/api_types.h"

namespace wxb {

ApiResponse apiJson(int status, const nlohmann::json& body) {
  return ApiResponse{status, body.dump() + "\n", "application/json", {}};
}

ApiResponse apiError(int status, const std::string& code, const std::string& message) {
  return apiJson(status, {{"error", {{"code", code}, {"message", message}}}});
}

std::variant<nlohmann::json, ApiResponse> parseJsonObject(const std::string& body) {
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded()) return apiError(400, "invalid_json", "body: not valid JSON");
  if (!parsed.is_object()) return apiError(400, "invalid_json", "body: must be a JSON object");
  return parsed;
}

}  // namespace wxb
