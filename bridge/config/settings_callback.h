// Reads the event-push keys into CallbackConfig: callback.token, callback.aes_key,
// callback.aes_key_previous, callback.encryption, callback.max_skew_seconds,
// callback.max_body_bytes, callback.dedup_hours, bind.code_ttl_seconds, bind.qr_image_base, and
// the mini program's push settings callback.mp.token, callback.mp.aes_key,
// callback.mp.aes_key_previous, callback.mp.encryption (the skew and body limits are shared).
// Each endpoint's settings are checked here by building its CallbackEnvelope, so a bad token or
// EncodingAESKey stops the start with exit 2 naming the key (never its value). Called by
// readSettings() only; not thread-safe (one ConfigReader).
#pragma once

#include <cstdint>
#include <string>

#include "bridge/config/config_reader.h"
#include "wechat/callback/callback_envelope.h"
#include "wechat/wechat_client.h"

namespace wxb {

struct CallbackConfig {
  bool enabled = false;              // callback.token is set: serve answers /wechat/callback
  CallbackSettings oa;               // appid from wechat.oa.appid
  bool mpEnabled = false;            // callback.mp.token is set: serve answers /wechat/callback/mp
  CallbackSettings mp;               // callback.mp.*; appid from wechat.mp.appid
  int64_t dedupHours = 24;           // callback.dedup_hours
  int64_t bindCodeTtlSeconds = 600;  // bind.code_ttl_seconds
  std::string qrImageBase = "https://mp.weixin.qq.com";  // bind.qr_image_base
};

void readCallback(ConfigReader& in, const WechatClientSettings& wechat, CallbackConfig& out);

}  // namespace wxb
