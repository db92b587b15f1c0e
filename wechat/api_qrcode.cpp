// Parametric QR codes of the official account (WECHAT.md "Parametric QR codes"): temporary
// QR_STR_SCENE codes that bind a follower to a mini-program user without a unionid. The
// bind-code route is the caller.
#include <Poco/URI.h>

#include <nlohmann/json.hpp>

#include "notify/text_fit.h"
#include "wechat/client_call.h"
#include "wechat/response_fields.h"
#include "wechat/wechat_client.h"

namespace wxb {

namespace {

using namespace wechat_json;

constexpr const char* kQrCodeCreateApi = "/cgi-bin/qrcode/create";
constexpr int64_t kMaxTemporarySeconds = 2'592'000;  // 30 days
constexpr std::size_t kMaxSceneChars = 64;

QrCode parseQrCode(const nlohmann::json& body) {
  QrCode code{requireString(body, "ticket"), requireInt(body, "expire_seconds"),
              optionalString(body, "url").value_or("")};
  if (code.ticket.empty() || code.ticket.size() > 512) {
    throw BadField("field 'ticket' is empty or longer than 512 bytes");
  }
  if (code.expireSeconds <= 0) throw BadField("field 'expire_seconds' is not positive");
  return code;
}

std::optional<WechatError> checkQrRequest(const std::string& scene, int64_t expireSeconds) {
  const std::size_t chars = countCodePoints(scene);
  if (chars == 0 || chars > kMaxSceneChars) {
    return WechatError{WechatError::Kind::Permanent, kQrCodeCreateApi, 0,
                       "scene_str must be 1-64 characters"};
  }
  if (expireSeconds < 1 || expireSeconds > kMaxTemporarySeconds) {
    return WechatError{WechatError::Kind::Permanent, kQrCodeCreateApi, 0,
                       "expire_seconds must be 1-2592000"};
  }
  return std::nullopt;
}

}  // namespace

std::string showQrCodeUrl(const std::string& ticket, const std::string& base) {
  std::string encoded;
  Poco::URI::encode(ticket, "!#$&'()*+,/:;=?@[]", encoded);
  return base + "/cgi-bin/showqrcode?ticket=" + encoded;
}

WechatResult<QrCode> WechatClient::createQrCode(const std::string& scene, int64_t expireSeconds) {
  if (auto invalid = checkQrRequest(scene, expireSeconds)) return std::unexpected(*invalid);
  nlohmann::json body = {{"expire_seconds", expireSeconds},
                         {"action_name", "QR_STR_SCENE"},
                         {"action_info", {{"scene", {{"scene_str", scene}}}}}};
  // A second code for the same scene is harmless: the retry rules apply as to any read.
  Call call = Call::post(kQrCodeCreateApi, App::Oa, toJsonText(body));
  return parseAnswer(call.api, callWithToken(call), parseQrCode);
}

}  // namespace wxb
