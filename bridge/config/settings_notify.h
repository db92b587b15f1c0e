// Reads the notification keys into NotifySettings: notify.digest.cron, notify.digest.template,
// notify.retention_days, notify.qps, notify.workers, notify.max_attempts, and the families
// notify.types.TYPE.label and templates.NAME.* (template_id, miniprogram.appid,
// miniprogram.pagepath, data.KEY). Template data patterns are parsed here, so an unknown
// placeholder or key stops the start with exit 2 naming the key. Called by readSettings() only;
// not thread-safe (one ConfigReader).
#pragma once

#include "bridge/config/config_reader.h"
#include "notify/notify_settings.h"
#include "wechat/wechat_client.h"

namespace wxb {

// `wechat` supplies the default miniprogram.appid (wechat.mp.appid).
void readNotify(ConfigReader& in, const WechatClientSettings& wechat, NotifySettings& notify);

}  // namespace wxb
