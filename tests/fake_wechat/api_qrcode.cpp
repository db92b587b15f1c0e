// Parametric QR codes: qrcode/create (temporary QR_SCENE / QR_STR_SCENE, permanent QR_LIMIT_*)
// and the showqrcode image of a live ticket (WECHAT.md "Parametric QR codes").
#include <limits>

#include "fake_wechat/rng.h"
#include "fake_wechat/router.h"

namespace wxb::fake {
namespace {

constexpr int64_t kDefaultExpireSeconds = 60;
constexpr int64_t kMaxExpireSeconds = 2'592'000;
constexpr std::size_t kMaxSceneChars = 64;

std::size_t utf8Chars(const std::string& text) {
  std::size_t chars = 0;
  for (unsigned char c : text) chars += (c & 0xC0) != 0x80;
  return chars;
}

// The scene of action_info.scene: scene_str for *_STR_SCENE, scene_id otherwise.
std::variant<std::string, Reply> sceneOf(const nlohmann::json& body, bool stringScene) {
  auto info = body.find("action_info");
  if (info == body.end() || !info->is_object() || !info->contains("scene") ||
      !(*info)["scene"].is_object()) {
    return argumentInvalid("action_info.scene missing");
  }
  const nlohmann::json& scene = (*info)["scene"];
  if (stringScene) {
    auto text = stringMember(scene, "scene_str");
    if (!text || text->empty() || utf8Chars(*text) > kMaxSceneChars) {
      return argumentInvalid("scene_str must be 1-64 characters");
    }
    return *text;
  }
  auto id = scene.find("scene_id");
  if (id == scene.end() || !id->is_number_integer() || id->get<int64_t>() <= 0 ||
      id->get<int64_t>() > std::numeric_limits<int32_t>::max()) {
    return argumentInvalid("scene_id must be a positive 32-bit integer");
  }
  return std::to_string(id->get<int64_t>());
}

Reply qrCodeCreate(Platform& platform, const ApiRequest& request) {
  auto body = parseObject(request.call.body);
  if (!body) return platformError(47001);
  auto action = stringMember(*body, "action_name").value_or("");
  const bool permanent = action == "QR_LIMIT_SCENE" || action == "QR_LIMIT_STR_SCENE";
  if (!permanent && action != "QR_SCENE" && action != "QR_STR_SCENE") {
    return argumentInvalid("action_name");
  }
  auto scene = sceneOf(*body, action.ends_with("STR_SCENE"));
  if (auto* refusal = std::get_if<Reply>(&scene)) return std::move(*refusal);
  int64_t expire = kDefaultExpireSeconds;
  if (auto it = body->find("expire_seconds"); it != body->end() && it->is_number_integer()) {
    expire = std::clamp<int64_t>(it->get<int64_t>(), 1, kMaxExpireSeconds);
  }
  const int64_t lifetime = permanent ? std::numeric_limits<int32_t>::max() : expire;
  std::string ticket = platform.qrCodes.create(std::get<std::string>(scene), lifetime);
  nlohmann::json answer = {{"ticket", ticket},
                           {"url", "http://weixin.qq.com/q/" + randomString(22)}};
  if (!permanent) answer["expire_seconds"] = expire;
  return platformOk(answer);
}

// GET /cgi-bin/showqrcode?ticket=T: the image while the ticket lives, else 404.
Reply showQrCode(Platform& platform, const ApiRequest& request) {
  const std::string* ticket = request.call.param("ticket");
  auto code = ticket ? platform.qrCodes.find(*ticket) : std::nullopt;
  Reply reply;
  if (!code) {
    reply.status = 404;
    reply.contentType = "text/plain";
    reply.body = "ticket unknown or expired";
    return reply;
  }
  reply.contentType = "image/jpeg";
  reply.body = "\xFF\xD8\xFF fake QR code for scene " + code->scene;
  return reply;
}

}  // namespace

std::vector<ApiRoute> qrCodeRoutes() {
  return {
      {"/cgi-bin/qrcode/create", Auth::kOa, qrCodeCreate},
      {"/cgi-bin/showqrcode", Auth::kNone, showQrCode},
  };
}

}  // namespace wxb::fake
