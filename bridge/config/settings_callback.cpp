#include "bridge/config/settings_callback.h"

#include <stdexcept>

namespace wxb {
namespace {

// The key an envelope refusal names: its message starts with the setting's name.
std::string keyOf(const std::string& message) {
  const std::string setting = message.substr(0, message.find(' '));
  return setting == "appid" ? "wechat.oa.appid" : "callback." + setting;
}

}  // namespace

void readCallback(ConfigReader& in, const WechatClientSettings& wechat, CallbackConfig& out) {
  CallbackSettings& s = out.oa;
  s.token = in.string("callback.token");
  s.aesKey = in.string("callback.aes_key");
  s.aesKeyPrevious = in.string("callback.aes_key_previous");
  s.appid = wechat.oaAppid;
  const std::string mode = in.choice("callback.encryption", {"plain", "compatible", "safe"});
  parseCallbackEncryption(mode, s.encryption);
  s.maxSkewSeconds = in.integer("callback.max_skew_seconds");
  s.maxBodyBytes = static_cast<std::size_t>(in.integer("callback.max_body_bytes"));
  out.dedupHours = in.integer("callback.dedup_hours");
  out.bindCodeTtlSeconds = in.integer("bind.code_ttl_seconds");
  out.qrImageBase = in.required("bind.qr_image_base");
  out.enabled = !s.token.empty();
  if (!out.enabled || in.error()) return;
  try {
    CallbackEnvelope check(s);
  } catch (const std::invalid_argument& e) {
    in.fail(keyOf(e.what()), e.what());
  }
}

}  // namespace wxb
