#include "fake_wechat/exchange.h"

#include <map>

namespace wxb::fake {
namespace {

const std::map<int, std::string>& errmsgs() {
  static const std::map<int, std::string> table = {
      {-1, "system error"},
      {40001, "invalid credential, access_token is invalid or not latest"},
      {40002, "invalid grant_type"},
      {40003, "invalid openid"},
      {40013, "invalid appid"},
      {40014, "invalid access_token"},
      {40029, "invalid code"},
      {40037, "invalid template_id"},
      {40066, "invalid url"},
      {40125, "invalid appsecret"},
      {40163, "code been used"},
      {40226, "high risk user"},
      {41001, "access_token missing"},
      {41002, "appid missing"},
      {41004, "appsecret missing"},
      {41008, "missing code"},
      {41009, "missing openid"},
      {41030, "invalid page"},
      {42001, "access_token expired"},
      {43004, "require subscribe"},
      {43101, "user refuse to accept the msg"},
      {44002, "empty post data"},
      {45009, "reach max api daily quota limit"},
      {45011, "api minute-quota reach limit mustslower retry next minute"},
      {47001, "data format error"},
      {47003, "argument invalid!"},
      {48006, "forbid to clear quota because of reach the limit"},
      {76021, "cgi_path not found, please check"},
  };
  return table;
}

constexpr int kMaxNesting = 64;

// Deeply nested input would make the (recursive) serialiser overflow the stack later.
bool nestsTooDeep(const std::string& text) {
  int depth = 0;
  bool inString = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (inString) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        inString = false;
      }
    } else if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxNesting) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

}  // namespace

const std::string* Call::param(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return &value;
  }
  return nullptr;
}

std::string dumpJson(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Reply platformOk(const nlohmann::json& body) {
  Reply reply;
  reply.body = dumpJson(body);
  auto code = body.find("errcode");
  reply.errcode = code != body.end() && code->is_number_integer() ? code->get<int>() : 0;
  return reply;
}

Reply platformError(int errcode) {
  auto found = errmsgs().find(errcode);
  return platformError(errcode, found == errmsgs().end() ? "error" : found->second);
}

Reply platformError(int errcode, std::string errmsg) {
  Reply reply;
  reply.body = dumpJson({{"errcode", errcode}, {"errmsg", std::move(errmsg)}});
  reply.errcode = errcode;
  return reply;
}

Reply argumentInvalid(std::string_view detail) {
  return platformError(47003, "argument invalid! " + std::string(detail));
}

Reply controlJson(const nlohmann::json& body, int status) {
  Reply reply;
  reply.status = status;
  reply.body = dumpJson(body);
  return reply;
}

Reply controlError(int status, std::string_view message) {
  return controlJson({{"error", message}}, status);
}

Reply ndjson(std::function<void(std::ostream&)> writer) {
  Reply reply;
  reply.contentType = "application/x-ndjson";
  reply.stream = std::move(writer);
  return reply;
}

std::optional<nlohmann::json> parseObject(const std::string& body) {
  if (nestsTooDeep(body)) return std::nullopt;
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return std::nullopt;
  return parsed;
}

std::optional<std::string> stringMember(const nlohmann::json& object, const char* key) {
  auto found = object.find(key);
  if (found == object.end() || !found->is_string()) return std::nullopt;
  return found->get<std::string>();
}

}  // namespace wxb::fake
