#include "bridge/config/settings_notify.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "cron/cron_expr.h"
#include "notify/subscribe_values.h"
#include "notify/subscriptions.h"
#include "notify/text_fit.h"
#include "wechat/wechat_types.h"

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

void readTypes(ConfigReader& in, NotifySettings& notify) {
  TypeLabels& labels = notify.typeLabels;
  for (const auto& type : in.children("notify.types")) {
    const std::string prefix = "notify.types." + type;
    std::string unknown;
    if (!isValidEventType(type)) in.fail(prefix, "TYPE must be 1-32 characters of a-z 0-9 _");
    if (!only(in.children(prefix), {"label", "realtime"}, unknown)) {
      in.fail(prefix + "." + unknown, "unknown key (notify.types.TYPE takes .label and .realtime)");
    }
    const std::string realtime = in.string(prefix + ".realtime");
    if (realtime == "true") notify.realtime.types.insert(type);
    if (realtime != "true" && realtime != "false" && !realtime.empty()) {
      in.fail(prefix + ".realtime", "must be true or false");
    }
    // Without a label (e.g. only .realtime = true) the type is shown by its name.
    std::string label = in.string(prefix + ".label");
    if (label.empty()) label = type;
    if (cleanText(label) != label || countCodePoints(label) > kMaxLabelChars) {
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
  } else if (!isValidWechatId(appid)) {
    in.fail(prefix + ".miniprogram.appid", std::string("must be ") + kWechatIdRule);
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

// The keys a form of `channel` takes, besides template_id and data.*.
std::vector<const char*> formKeys(Channel channel) {
  switch (channel) {
    case Channel::MpSubscribe:
      return {"template_id", "data", "page", "miniprogram_state", "lang"};
    case Channel::OaSubscribe:
      return {"template_id", "data", "page", "miniprogram", "long_term"};
    case Channel::OaTemplate:
      break;
  }
  return {"template_id", "data", "miniprogram"};
}

bool allowed(const std::vector<const char*>& keys, const std::string& name) {
  return std::any_of(keys.begin(), keys.end(), [&](const char* k) { return name == k; });
}

// A mini-program page as subscribe/send takes it: pages/... of [A-Za-z0-9_-./], then ?query.
bool isMiniProgramPage(const std::string& page) {
  const std::string path = page.substr(0, page.find('?'));
  return path.starts_with("pages/") && !path.ends_with("/") && path.find("..") == path.npos &&
         path.find("//") == path.npos &&
         std::all_of(path.begin(), path.end(),
                     [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ||
                              c == '.' || c == '/';
                     }) &&
         cleanText(page) == page && page.find(' ') == page.npos;
}

void readSubscribeKeys(ConfigReader& in, const std::string& prefix, TemplateSpec& spec) {
  const std::string page = in.string(prefix + ".page");
  if (spec.channel == Channel::MpSubscribe) {
    if (!page.empty() && !isMiniProgramPage(page)) {
      in.fail(prefix + ".page", "must be a page such as pages/order/detail?id=1");
    }
    if (auto state = in.string(prefix + ".miniprogram_state"); !state.empty()) {
      spec.miniprogramState = state;
    }
    if (spec.miniprogramState != "formal" && spec.miniprogramState != "trial" &&
        spec.miniprogramState != "developer") {
      in.fail(prefix + ".miniprogram_state", "must be formal, trial or developer");
    }
    if (auto lang = in.string(prefix + ".lang"); !lang.empty()) spec.lang = lang;
    if (spec.lang != "zh_CN" && spec.lang != "en_US" && spec.lang != "zh_HK" &&
        spec.lang != "zh_TW") {
      in.fail(prefix + ".lang", "must be zh_CN, en_US, zh_HK or zh_TW");
    }
  } else if (!page.empty() && !page.starts_with("https://") && !page.starts_with("http://")) {
    in.fail(prefix + ".page", "must be an http(s):// URL (oa_subscribe opens a web page)");
  }
  spec.page = page;
  const std::string longTerm = in.string(prefix + ".long_term");
  if (!longTerm.empty() && longTerm != "true" && longTerm != "false") {
    in.fail(prefix + ".long_term", "must be true or false");
  }
  spec.longTerm = longTerm == "true";
  for (const auto& [key, pattern] : spec.data) {
    if (!subscribeKeyType(key)) {
      in.fail(prefix + ".data." + key,
              "a subscribe-message key is TYPE plus digits, e.g. thing1, amount2 (WECHAT.md)");
    }
  }
}

// One form of a template: the template itself (channel from .channel) or one of its variants.
TemplateSpec readForm(ConfigReader& in, const std::string& prefix, const std::string& name,
                      Channel channel, const WechatClientSettings& wechat) {
  TemplateSpec spec;
  spec.name = name;
  spec.channel = channel;
  const bool variant = prefix.find(".variants.") != prefix.npos;
  for (const auto& key : in.children(prefix)) {
    const bool own = !variant && (key == "channel" || key == "priority" || key == "variants");
    if (!own && !allowed(formKeys(channel), key)) {
      in.fail(prefix + "." + key, "unknown key for a " + std::string(channelName(channel)) +
                                      " form (docs/configuration.md lists the keys)");
    }
  }
  spec.templateId = in.required(prefix + ".template_id");
  if (!isValidTemplateId(spec.templateId)) {
    in.fail(prefix + ".template_id", "must be 1-128 characters of A-Z a-z 0-9 _ -");
  }
  if (channel != Channel::MpSubscribe) readMiniProgram(in, prefix, wechat, spec);
  readData(in, prefix, spec);
  if (channel != Channel::OaTemplate) readSubscribeKeys(in, prefix, spec);
  return spec;
}

std::optional<Channel> readChannel(ConfigReader& in, const std::string& key,
                                   const std::string& name) {
  auto channel = parseChannel(name);
  if (!channel) in.fail(key, "must be oa_template, mp_subscribe or oa_subscribe");
  return channel;
}

TemplateSpec readTemplate(ConfigReader& in, const std::string& name,
                          const WechatClientSettings& wechat) {
  const std::string prefix = "templates." + name;
  if (!isValidTemplateName(name))
    in.fail(prefix, "NAME must be 1-64 characters of A-Z a-z 0-9 _ -");
  const std::string own = in.string(prefix + ".channel");
  Channel channel = readChannel(in, prefix + ".channel", own.empty() ? "oa_template" : own)
                        .value_or(Channel::OaTemplate);
  TemplateSpec spec = readForm(in, prefix, name, channel, wechat);
  if (const std::string priority = in.string(prefix + ".priority"); !priority.empty()) {
    spec.priority = parseSendClass(priority);
    if (!spec.priority)
      in.fail(prefix + ".priority", "must be direct, reminder, realtime or digest");
  }
  for (const auto& other : in.children(prefix + ".variants")) {
    const std::string key = prefix + ".variants." + other;
    auto variant = parseChannel(other);
    if (!variant || *variant == channel) {
      in.fail(key,
              "CHANNEL must be oa_template, mp_subscribe or oa_subscribe, other than the "
              "template's own channel");
      continue;
    }
    spec.variants.push_back(readForm(in, key, name, *variant, wechat));
  }
  return spec;
}

// A digest or a real-time notice has no {{params.NAME}} to fill (only a direct message and a
// reminder do): a template that uses one would send it empty, so the start stops (exit 2).
void refuseParams(ConfigReader& in, const std::string& key, const TemplateSpec& spec,
                  const char* what) {
  const auto params = spec.paramNames();
  if (params.empty()) return;
  in.fail(key, "template " + spec.name + " uses {{params." + *params.begin() + "}}, which " + what +
                   " has not (only a direct message or a reminder fills params)");
}

void readDigest(ConfigReader& in, NotifySettings& notify) {
  notify.digestCron = in.string("notify.digest.cron");
  if (auto expr = CronExpr::parse(notify.digestCron); !expr) {
    in.fail("notify.digest.cron", expr.error().message);
  }
  notify.digestTemplate = in.string("notify.digest.template");
  auto found = notify.templates.find(notify.digestTemplate);
  if (!notify.digestTemplate.empty() && found == notify.templates.end()) {
    in.fail("notify.digest.template", "names no template: set templates." + notify.digestTemplate +
                                          ".template_id and its data");
  } else if (found != notify.templates.end() && found->second.channel != Channel::OaTemplate) {
    in.fail("notify.digest.template",
            "the digest is sent on oa_template: name a template whose "
            "channel is oa_template");
  } else if (found != notify.templates.end()) {
    refuseParams(in, "notify.digest.template", found->second, "a digest");
  }
}

// notify.channels, notify.budget.CHANNEL and subscriptions.source.
void readChannels(ConfigReader& in, NotifySettings& notify) {
  const std::string order = in.required("notify.channels");
  notify.channelOrder.clear();
  for (size_t start = 0; start <= order.size();) {
    size_t comma = std::min(order.find(',', start), order.size());
    std::string name = order.substr(start, comma - start);
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    auto channel = parseChannel(name);
    if (!channel)
      in.fail("notify.channels",
              "a comma-separated list of oa_template, "
              "mp_subscribe, oa_subscribe; got '" +
                  name + "'");
    if (channel) notify.channelOrder.push_back(*channel);
    start = comma + 1;
  }
  for (Channel channel : kChannels) {
    notify.sender.dailyBudget[static_cast<size_t>(channel)] =
        in.integer("notify.budget." + std::string(channelName(channel)));
  }
  notify.grantSource = parseGrantSource(in.choice("subscriptions.source", {"client", "events"}))
                           .value_or(GrantSource::Client);
}

// notify.throttle_seconds, notify.realtime.single/many and notify.quiet_hours.
void readRealtime(ConfigReader& in, NotifySettings& notify) {
  RealtimeSettings& rt = notify.realtime;
  rt.throttleMs = 1000 * in.integer("notify.throttle_seconds");
  const char* keys[] = {"notify.realtime.single", "notify.realtime.many"};
  std::string* names[] = {&rt.singleTemplate, &rt.manyTemplate};
  for (size_t i = 0; i < 2; ++i) {
    *names[i] = in.string(keys[i]);
    auto found = notify.templates.find(*names[i]);
    if (!names[i]->empty() && found == notify.templates.end()) {
      in.fail(keys[i],
              "names no template: set templates." + *names[i] + ".template_id and its data");
    } else if (!names[i]->empty() && found->second.channel != Channel::OaTemplate) {
      in.fail(keys[i],
              "real-time notices are sent on oa_template: name a template whose "
              "channel is oa_template");
    } else if (!names[i]->empty()) {
      refuseParams(in, keys[i], found->second, "a real-time notice");
    }
  }
  if (rt.singleTemplate.empty() != rt.manyTemplate.empty()) {
    in.fail(rt.singleTemplate.empty() ? keys[0] : keys[1],
            "real-time notices need both notify.realtime.single and notify.realtime.many");
  }
  if (!rt.enabled() && !rt.types.empty()) {
    in.fail("notify.types." + *rt.types.begin() + ".realtime",
            "needs notify.realtime.single and notify.realtime.many (the templates of real-time "
            "notices)");
  }
  auto quiet = parseQuietHours(in.string("notify.quiet_hours"));
  if (!quiet) in.fail("notify.quiet_hours", quiet.error());
  if (quiet) rt.quietHours = *quiet;
}

}  // namespace

void readNotify(ConfigReader& in, const WechatClientSettings& wechat, NotifySettings& notify) {
  readTypes(in, notify);
  for (const auto& name : in.children("templates")) {
    notify.templates[name] = readTemplate(in, name, wechat);
  }
  readDigest(in, notify);
  readRealtime(in, notify);
  notify.retentionDays = static_cast<int>(in.integer("notify.retention_days"));
  SenderSettings& sender = notify.sender;
  sender.qps = in.number("notify.qps");
  sender.workers = static_cast<int>(in.integer("notify.workers"));
  sender.maxAttempts = static_cast<int>(in.integer("notify.max_attempts"));
  readChannels(in, notify);
}

}  // namespace wxb
