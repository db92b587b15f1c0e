#include "bridge/config/settings_callback.h"

#include <stdexcept>

namespace wxb {
namespace {

// The key an envelope refusal names: its message starts with the setting's name. `prefix` is
// "callback." or "callback.mp."; `appidKey` the app's wechat.*.appid.
std::string keyOf(const std::string& message, const std::string& prefix,
                  const std::string& appidKey) {
  const std::string setting = message.substr(0, message.find(' '));
  return setting == "appid" ? appidKey : prefix + setting;
}

// Reads one endpoint's token, keys and mode under `prefix`; the skew and body limit are the
// OA's (shared). Returns whether its token is set.
bool readEndpoint(ConfigReader& in, const std::string& prefix, CallbackSettings& s) {
  s.keyPrefix = prefix;
  s.token = in.string(prefix + "token");
  s.aesKey = in.string(prefix + "aes_key");
  s.aesKeyPrevious = in.string(prefix + "aes_key_previous");
  const std::string mode = in.choice(prefix + "encryption", {"plain", "compatible", "safe"});
  parseCallbackEncryption(mode, s.encryption);
  return !s.token.empty();
}

// A key without its token is a mistake, not "off"; an enabled endpoint's envelope is built once
// so that unusable settings stop the start naming the key.
void checkEndpoint(ConfigReader& in, const CallbackSettings& s, bool enabled,
                   const std::string& prefix, const std::string& appidKey) {
  if (!enabled && !(s.aesKey.empty() && s.aesKeyPrevious.empty())) {
    in.fail(prefix + "token", "is empty while " + prefix + "aes_key is set: set " + prefix +
                                  "token to turn the callback on, or remove " + prefix + "aes_key");
    return;
  }
  if (!enabled || in.error()) return;
  try {
    CallbackEnvelope check(s);
  } catch (const std::invalid_argument& e) {
    in.fail(keyOf(e.what(), prefix, appidKey), e.what());
  }
}

}  // namespace

void readCallback(ConfigReader& in, const WechatClientSettings& wechat, CallbackConfig& out) {
  CallbackSettings& s = out.oa;
  out.enabled = readEndpoint(in, "callback.", s);
  s.appid = wechat.oaAppid;
  s.maxSkewSeconds = in.integer("callback.max_skew_seconds");
  s.maxBodyBytes = static_cast<std::size_t>(in.integer("callback.max_body_bytes"));
  out.dedupHours = in.integer("callback.dedup_hours");
  out.bindCodeTtlSeconds = in.integer("bind.code_ttl_seconds");
  out.qrImageBase = in.httpUrl("bind.qr_image_base", "https://mp.weixin.qq.com");
  out.mpEnabled = readEndpoint(in, "callback.mp.", out.mp);
  out.mp.appid = wechat.mpAppid;
  out.mp.maxSkewSeconds = s.maxSkewSeconds;
  out.mp.maxBodyBytes = s.maxBodyBytes;
  checkEndpoint(in, s, out.enabled, "callback.", "wechat.oa.appid");
  checkEndpoint(in, out.mp, out.mpEnabled, "callback.mp.", "wechat.mp.appid");
}

}  // namespace wxb
