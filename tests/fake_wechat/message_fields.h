// Request checks shared by the fake's sending APIs (template/send, subscribe/send,
// subscribe/bizsend): the JSON body, optional string members, data.KEY.value fields, where a
// message opens (miniprogram or a URL), and the subscribe-message value rules. Each returns the
// platform's refusal (44002, 47001, 47003 ...) as a Reply. Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "fake_wechat/exchange.h"
#include "fake_wechat/platform.h"

namespace wxb::fake {

using Fields = std::vector<std::pair<std::string, std::string>>;

// What every send starts with, checked in this order: the body (empty 44002, malformed 47001),
// touser (missing or malformed 40003) and template_id (missing, empty or starting with "bad":
// 40037).
struct SendBasics {
  nlohmann::json body;
  std::string touser;
  std::string templateId;
};
std::variant<SendBasics, Reply> readSendBasics(const Call& call);

// The optional member `key`: absent or null gives nullopt; present but not a string is 47001.
std::variant<std::optional<std::string>, Reply> optionalString(const nlohmann::json& object,
                                                               const char* key);

// data.KEY.value of every field, in key order; 47001 when data or a field has another shape.
std::variant<Fields, Reply> dataFields(const nlohmann::json& body);

// Where the message opens: {"miniprogram":{...}} wins over {urlKey: ...}; null for neither.
// 47001 for wrong member types, 47003 for a miniprogram.appid not bound to the OA.
std::variant<nlohmann::json, Reply> messageOpens(const Platform& platform,
                                                 const nlohmann::json& body, const char* urlKey);

// 47003 naming the first field whose value breaks its key type's rule (value_rules.h).
std::optional<Reply> checkSubscribeFields(const Fields& fields);

}  // namespace wxb::fake
