#include "bridge/config/settings_notify.h"

#include <algorithm>

#include "cron/cron_expr.h"
#include "notify/text_fit.h"

namespace wxb {

namespace {

constexpr size_t kMaxLabelChars = 32;

bool only(const std::vector<std::string>& names, std::initializer_list<const char*> allowed,
          std::string& unknown) {
  for (const auto& name : names) {
    if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return name == a; })) {
      unknown = name;
      return false;
    }
  }
  return true;
}

void readTypes(ConfigReader& in, TypeLabels& labels) {
  for (const auto& type : in.children("notify.types")) {
    const std::string prefix = "notify.types." + type;
    std::string unknown;
    if (!isValidEventType(type)) in.fail(prefix, "TYPE must be 1-32 characters of a-z 0-9 _");
    if (!only(in.children(prefix), {"label"}, unknown)) {
      in.fail(prefix + "." + unknown, "unknown key (notify.types.TYPE takes .label only)");
    }
    std::string label = in.string(prefix + ".label");
    if (label.empty() || cleanText(label) != label || countCodePoints(label) > kMaxLabelChars) {
      in.fail(prefix + ".label", "must be 1-32 characters of text");
    }
    labels[type] = label;
  }
}

void readMiniProgram(ConfigReader& in, const std::string& prefix,
                     const WechatClientSettings& wechat, TemplateSpec& spec) {
  std::string unknown;
  if (!only(in.children(prefix + ".miniprogram"), {"appid", "pagepath"}, unknown)) {
    in.fail(prefix + ".miniprogram." + unknown, "unknown key (takes appid and pagepath)");
  }
  std::string appid = in.string(prefix + ".miniprogram.appid");
  std::string pagepath = in.string(prefix + ".miniprogram.pagepath");
  if (pagepath.empty()) {
    if (!appid.empty()) in.fail(prefix + ".miniprogram.pagepath", "must be set with the appid");
    return;
  }
  if (appid.empty()) appid = wechat.mpAppid;
  if (appid.empty()) {
    in.fail(prefix + ".miniprogram.appid", "must be set (or wechat.mp.appid) with a pagepath");
  }
  if (pagepath.front() == '/' || cleanText(pagepath) != pagepath ||
      pagepath.find(' ') != pagepath.npos) {
    in.fail(prefix + ".miniprogram.pagepath", "must be a page path such as pages/inbox/index?k=v");
  }
  spec.miniprogram = MiniProgramLink{appid, pagepath};
}

void readData(ConfigReader& in, const std::string& prefix, TemplateSpec& spec) {
  auto keys = in.children(prefix + ".data");
  std::sort(keys.begin(), keys.end());
  for (const auto& key : keys) {
    const std::string full = prefix + ".data." + key;
    if (!isValidFieldKey(key)) in.fail(full, "KEY must be 1-32 characters of A-Z a-z 0-9 _");
    auto pattern = parsePattern(in.string(full));
    if (!pattern) in.fail(full, pattern.error());
    if (pattern) spec.data.emplace_back(key, std::move(*pattern));
  }
  if (keys.empty()) in.fail(prefix + ".data.KEY", "a template needs at least one data field");
}

TemplateSpec readTemplate(ConfigReader& in, const std::string& name,
                          const WechatClientSettings& wechat) {
  const std::string prefix = "templates." + name;
  TemplateSpec spec;
  spec.name = name;
  if (!isValidTemplateName(name))
    in.fail(prefix, "NAME must be 1-64 characters of A-Z a-z 0-9 _ -");
  std::string unknown;
  if (!only(in.children(prefix), {"template_id", "miniprogram", "data"}, unknown)) {
    in.fail(prefix + "." + unknown, "unknown key (takes template_id, miniprogram.*, data.*)");
  }
  spec.templateId = in.required(prefix + ".template_id");
  readMiniProgram(in, prefix, wechat, spec);
  readData(in, prefix, spec);
  return spec;
}

void readDigest(ConfigReader& in, NotifySettings& notify) {
  notify.digestCron = in.string("notify.digest.cron");
  if (auto expr = CronExpr::parse(notify.digestCron); !expr) {
    in.fail("notify.digest.cron", expr.error().message);
  }
  notify.digestTemplate = in.string("notify.digest.template");
  if (!notify.digestTemplate.empty() && !notify.templates.count(notify.digestTemplate)) {
    in.fail("notify.digest.template", "names no template: set templates." + notify.digestTemplate +
                                          ".template_id and its data");
  }
}

}  // namespace

void readNotify(ConfigReader& in, const WechatClientSettings& wechat, NotifySettings& notify) {
  readTypes(in, notify.typeLabels);
  for (const auto& name : in.children("templates")) {
    notify.templates[name] = readTemplate(in, name, wechat);
  }
  readDigest(in, notify);
  notify.retentionDays = static_cast<int>(in.integer("notify.retention_days"));
  SenderSettings& sender = notify.sender;
  sender.qps = in.number("notify.qps");
  sender.workers = static_cast<int>(in.integer("notify.workers"));
  sender.maxAttempts = static_cast<int>(in.integer("notify.max_attempts"));
}

}  // namespace wxb
