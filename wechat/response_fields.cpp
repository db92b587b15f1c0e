// Field validation helpers for platform answers (see response_fields.h).
#include "wechat/response_fields.h"

#include <limits>

namespace wxb {

namespace wechat_json {

namespace {

[[noreturn]] void fail(const char* name, const char* expected) {
  throw BadField(std::string("field '") + name + "' " + expected);
}

const nlohmann::json* find(const nlohmann::json& object, const char* name) {
  if (!object.is_object()) throw BadField("expected a JSON object");
  auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

int64_t asInt(const nlohmann::json& value, const char* name) {
  // Booleans and floats are not integers here even though JSON would let them pass.
  if (value.is_number_unsigned()) {
    if (value.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      fail(name, "is out of range");
    }
    return static_cast<int64_t>(value.get<uint64_t>());
  }
  if (!value.is_number_integer()) fail(name, "is not an integer");
  return value.get<int64_t>();
}

}  // namespace

std::optional<std::string> optionalString(const nlohmann::json& object, const char* name) {
  const nlohmann::json* value = find(object, name);
  if (!value || value->is_null()) return std::nullopt;
  if (!value->is_string()) fail(name, "is not a string");
  return value->get<std::string>();
}

std::string requireString(const nlohmann::json& object, const char* name) {
  std::optional<std::string> value = optionalString(object, name);
  if (!value) fail(name, "is missing");
  return *value;
}

std::optional<int64_t> optionalInt(const nlohmann::json& object, const char* name) {
  const nlohmann::json* value = find(object, name);
  if (!value || value->is_null()) return std::nullopt;
  return asInt(*value, name);
}

int64_t requireInt(const nlohmann::json& object, const char* name) {
  std::optional<int64_t> value = optionalInt(object, name);
  if (!value) fail(name, "is missing");
  return *value;
}

std::optional<std::string> optionalOpenid(const nlohmann::json& object, const char* name) {
  std::optional<std::string> value = optionalString(object, name);
  if (value && !isValidWechatId(*value))
    fail(name, (std::string("is not ") + kWechatIdRule).c_str());
  return value;
}

std::string requireOpenid(const nlohmann::json& object, const char* name) {
  std::optional<std::string> value = optionalOpenid(object, name);
  if (!value) fail(name, "is missing");
  return *value;
}

std::string lenientString(const nlohmann::json& object, const char* name) {
  const nlohmann::json* value = find(object, name);
  return value && value->is_string() ? value->get<std::string>() : std::string();
}

int64_t lenientInt(const nlohmann::json& object, const char* name) {
  const nlohmann::json* value = find(object, name);
  if (!value || !(value->is_number_integer() || value->is_number_unsigned())) return 0;
  try {
    return asInt(*value, name);
  } catch (const BadField&) {
    return 0;
  }
}

const nlohmann::json& requireObject(const nlohmann::json& object, const char* name) {
  const nlohmann::json* value = find(object, name);
  if (!value) fail(name, "is missing");
  if (!value->is_object()) fail(name, "is not an object");
  return *value;
}

const nlohmann::json& requireArray(const nlohmann::json& object, const char* name) {
  const nlohmann::json* value = find(object, name);
  if (!value) fail(name, "is missing");
  if (!value->is_array()) fail(name, "is not an array");
  return *value;
}

WechatError badResponse(const std::string& api, const std::string& what) {
  return WechatError{WechatError::Kind::BadResponse, api, 0, "bad response: " + what};
}

std::string toJsonText(const nlohmann::json& body) {
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace wechat_json

}  // namespace wxb
