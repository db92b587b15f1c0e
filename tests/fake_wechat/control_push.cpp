// POST /__fake/push (an event, as XML or JSON, signed and optionally encrypted, POSTed to a
// callback URL of the OA or the mini program), POST /__fake/scan (a user scans a parametric QR
// code: subscribe or SCAN with its scene) and POST /__fake/verify (the platform's GET
// verification of a callback URL).
#include <Poco/Exception.h>
#include <Poco/URI.h>

#include "fake_wechat/callback_crypto.h"
#include "fake_wechat/callback_push.h"
#include "fake_wechat/control_routes.h"
#include "fake_wechat/rng.h"
#include "fake_wechat/router.h"
#include "fake_wechat/subscribe_events.h"

namespace wxb::fake {
namespace {

struct PushRequest {
  EventSpec event;
  PushPlan plan;
  bool apply = true;
  std::string unionid;
  App app = App::kOa;  // whose push settings: subscribe events default to the mini program's
  bool numbersAsStrings = false;
};

bool isHttpUrl(const std::string& url) {
  try {
    Poco::URI uri(url);
    return uri.getScheme() == "http" && !uri.getHost().empty();
  } catch (const Poco::Exception&) {
    return false;
  }
}

// A string member with a default: absent or null gives `fallback`.
std::variant<std::string, Reply> stringOr(const nlohmann::json& body, const char* key,
                                          std::string fallback) {
  auto value = controlString(body, key);
  if (auto* refusal = std::get_if<Reply>(&value)) return std::move(*refusal);
  return std::get<0>(value).value_or(std::move(fallback));
}

// Fills the secrets from the body's token / aes_key / appid overrides or the fake's settings
// (the appid of the app whose push it is).
std::optional<Reply> readSecrets(const Platform& platform, const nlohmann::json& body, App app,
                                 PushPlan& plan) {
  auto token = stringOr(body, "token", platform.settings.callbackToken);
  auto aesKey = stringOr(body, "aes_key", platform.settings.callbackAesKey);
  auto appid = stringOr(body, "appid", platform.credentials(app).appid);
  for (auto* member : {&token, &aesKey, &appid}) {
    if (auto* refusal = std::get_if<Reply>(member)) return std::move(*refusal);
  }
  auto key = aesKeyOf(std::get<0>(aesKey));
  if (plan.encrypt && !key) {
    return controlError(400, "aes_key must be a 43-character EncodingAESKey");
  }
  plan.secrets = PushSecrets{std::get<0>(token), key.value_or(""), std::get<0>(appid)};
  return std::nullopt;
}

// The event fields: Event, EventKey/Ticket (subscribe via QR code), MsgID/Status (job finish),
// List (subscribe-message events).
std::optional<Reply> readEvent(const nlohmann::json& body, EventSpec& event) {
  if (isSubscribeEvent(event.event)) {
    auto list = readSubscribeList(body, event.event);
    if (auto* refusal = std::get_if<Reply>(&list)) return std::move(*refusal);
    event.list = std::move(std::get<0>(list));
    return std::nullopt;
  }
  auto eventKey = controlString(body, "event_key");
  auto ticket = controlString(body, "ticket");
  auto status = controlString(body, "status");
  auto msgid = controlInteger(body, "msgid", -1);
  for (auto* member : {&eventKey, &ticket, &status}) {
    if (auto* refusal = std::get_if<Reply>(member)) return std::move(*refusal);
  }
  if (auto* refusal = std::get_if<Reply>(&msgid)) return std::move(*refusal);
  event.eventKey = std::get<0>(eventKey);
  event.ticket = std::get<0>(ticket);
  if (event.event == "unsubscribe" && !event.eventKey) event.eventKey = "";
  const bool scanned =
      event.event == "SCAN" || (event.eventKey && event.eventKey->starts_with("qrscene_"));
  if (event.eventKey && scanned && !event.ticket) {
    event.ticket = "gQ" + randomString(60);
  }
  if (event.event == "TEMPLATESENDJOBFINISH") {
    if (std::get<int64_t>(msgid) < 0) {
      return controlError(400, "TEMPLATESENDJOBFINISH needs a msgid");
    }
    event.msgId = std::get<int64_t>(msgid);
    event.status = std::get<0>(status).value_or("success");
  }
  return std::nullopt;
}

// Fills url, openid, event name, times, nonce and apply/encrypt flags.
std::optional<Reply> readBasics(const Platform& platform, const nlohmann::json& body,
                                PushRequest& out) {
  auto url = stringMember(body, "url");
  auto openid = stringMember(body, "openid");
  auto event = stringMember(body, "event");
  if (!url || !isHttpUrl(*url)) return controlError(400, "url must be an http:// URL");
  if (!openid || !isWellFormedId(*openid)) {
    return controlError(400, "openid is missing or malformed");
  }
  if (!event || event->empty()) return controlError(400, "event is missing");
  int64_t now = platform.clock.now();
  auto createTime = controlInteger(body, "create_time", now);
  auto timestamp = controlInteger(body, "timestamp", now);
  auto encrypt = controlBool(body, "encrypt", false);
  auto apply = controlBool(body, "apply", true);
  auto nonce = stringOr(body, "nonce", randomDigits(10));
  auto unionid = stringOr(body, "unionid", "");
  for (auto* member : {&createTime, &timestamp}) {
    if (auto* refusal = std::get_if<Reply>(member)) return std::move(*refusal);
  }
  for (auto* member : {&encrypt, &apply}) {
    if (auto* refusal = std::get_if<Reply>(member)) return std::move(*refusal);
  }
  for (auto* member : {&nonce, &unionid}) {
    if (auto* refusal = std::get_if<Reply>(member)) return std::move(*refusal);
  }
  out.event = EventSpec{"", *openid, std::get<0>(createTime), *event, {}, {}, {}, {}, {}};
  out.plan = PushPlan{
      *url,    "", false, std::get<0>(encrypt), {}, std::get<0>(timestamp), std::get<0>(nonce),
      *openid, ""};
  out.apply = std::get<0>(apply);
  out.unionid = std::get<0>(unionid);
  return std::nullopt;
}

// Whose push it is (app: oa | mp), its ToUserName (to_user) and format (xml | json, and
// numbers_as_strings for JSON).
std::optional<Reply> readAddressing(const Platform& platform, const nlohmann::json& body,
                                    PushRequest& out) {
  auto app = stringOr(body, "app", isSubscribeEvent(out.event.event) ? "mp" : "oa");
  auto format = stringOr(body, "format", "xml");
  auto asStrings = controlBool(body, "numbers_as_strings", false);
  for (auto* member : {&app, &format}) {
    if (auto* refusal = std::get_if<Reply>(member)) return std::move(*refusal);
  }
  if (auto* refusal = std::get_if<Reply>(&asStrings)) return std::move(*refusal);
  const std::string& appName = std::get<0>(app);
  if (appName != "oa" && appName != "mp") return controlError(400, "app must be oa or mp");
  if (std::get<0>(format) != "xml" && std::get<0>(format) != "json") {
    return controlError(400, "format must be xml or json");
  }
  out.app = appName == "oa" ? App::kOa : App::kMp;
  out.plan.json = std::get<0>(format) == "json";
  out.numbersAsStrings = std::get<bool>(asStrings);
  const std::string& original =
      out.app == App::kOa ? platform.settings.oaOriginalId : platform.settings.mpOriginalId;
  auto toUser = stringOr(body, "to_user", original);
  if (auto* refusal = std::get_if<Reply>(&toUser)) return std::move(*refusal);
  out.event.toUser = out.plan.toUser = std::get<0>(toUser);
  return std::nullopt;
}

// What the user did before the platform pushes: follow, unfollow, answer a subscribe popup.
void applyEvent(Platform& platform, const PushRequest& request) {
  if (!request.apply) return;
  const EventSpec& event = request.event;
  if (event.event == "subscribe") {
    platform.population.add(event.fromUser, request.unionid);
  } else if (event.event == "unsubscribe") {
    platform.population.remove(event.fromUser);
  } else if (isSubscribeEvent(event.event)) {
    applySubscribeEvent(request.app == App::kOa ? platform.oaGrants : platform.mpGrants, event);
  }
}

// What the callback answered, with the decrypted reply when it answered in safe mode.
nlohmann::json describeReply(const PushOutcome& outcome, const PushSecrets& secrets) {
  nlohmann::json out = {{"status", outcome.status},
                        {"body", outcome.body},
                        {"sent", {{"url", outcome.sentUrl}, {"body", outcome.sentBody}}}};
  auto encrypted = xmlElement(outcome.body, "Encrypt");
  if (!encrypted || secrets.aesKey.empty()) return out;
  auto plain = decryptMessage(*encrypted, secrets.aesKey);
  out["reply_decrypted"] = plain ? nlohmann::json(plain->message) : nlohmann::json(nullptr);
  if (plain) out["reply_appid"] = plain->appid;
  auto timestamp = xmlElement(outcome.body, "TimeStamp").value_or("");
  auto nonce = xmlElement(outcome.body, "Nonce").value_or("");
  out["reply_signature_ok"] = xmlElement(outcome.body, "MsgSignature").value_or("") ==
                              sortedSha1({secrets.token, timestamp, nonce, *encrypted});
  return out;
}

// Pushes the event the control body describes (see push() and scan()).
Reply pushFields(Platform& platform, const nlohmann::json& fields) {
  PushRequest request;
  if (auto refusal = readBasics(platform, fields, request)) return std::move(*refusal);
  if (auto refusal = readEvent(fields, request.event)) return std::move(*refusal);
  if (auto refusal = readAddressing(platform, fields, request)) return std::move(*refusal);
  if (auto refusal = readSecrets(platform, fields, request.app, request.plan)) {
    return std::move(*refusal);
  }
  applyEvent(platform, request);
  request.plan.body = request.plan.json ? buildEventJson(request.event, request.numbersAsStrings)
                                        : buildEventXml(request.event);
  PushOutcome outcome = pushEvent(request.plan);
  if (!outcome.delivered) {
    return controlJson({{"error", "callback unreachable: " + outcome.error},
                        {"sent", {{"url", outcome.sentUrl}, {"body", outcome.sentBody}}}},
                       502);
  }
  return controlJson(describeReply(outcome, request.plan.secrets));
}

Reply push(Platform& platform, const Call& call) {
  auto body = controlBody(call);
  if (auto* refusal = std::get_if<Reply>(&body)) return std::move(*refusal);
  return pushFields(platform, std::get<0>(body));
}

// POST /__fake/scan {"ticket","openid","url",...}: the user scans a live QR code. A follower
// pushes SCAN with the bare scene; anyone else follows and pushes subscribe with "qrscene_".
Reply scan(Platform& platform, const Call& call) {
  auto body = controlBody(call);
  if (auto* refusal = std::get_if<Reply>(&body)) return std::move(*refusal);
  nlohmann::json fields = std::get<0>(body);
  auto ticket = stringMember(fields, "ticket");
  auto openid = stringMember(fields, "openid");
  if (!ticket) return controlError(400, "ticket is missing");
  auto code = platform.qrCodes.find(*ticket);
  if (!code) return controlError(404, "ticket unknown or expired");
  auto follower = openid ? platform.population.find(*openid) : std::nullopt;
  const bool follows = follower && follower->subscribed;
  fields["event"] = follows ? "SCAN" : "subscribe";
  fields["event_key"] = follows ? code->scene : "qrscene_" + code->scene;
  return pushFields(platform, fields);
}

Reply verify(Platform& platform, const Call& call) {
  auto body = controlBody(call);
  if (auto* refusal = std::get_if<Reply>(&body)) return std::move(*refusal);
  const nlohmann::json& fields = std::get<0>(body);
  auto url = stringMember(fields, "url");
  if (!url || !isHttpUrl(*url)) return controlError(400, "url must be an http:// URL");
  auto token = stringOr(fields, "token", platform.settings.callbackToken);
  auto echostr = stringOr(fields, "echostr", randomDigits(19));
  auto nonce = stringOr(fields, "nonce", randomDigits(10));
  auto timestamp = controlInteger(fields, "timestamp", platform.clock.now());
  for (auto* member : {&token, &echostr, &nonce}) {
    if (auto* refusal = std::get_if<Reply>(member)) return std::move(*refusal);
  }
  if (auto* refusal = std::get_if<Reply>(&timestamp)) return std::move(*refusal);
  PushOutcome outcome = verifyCallback(*url, std::get<0>(token), std::get<int64_t>(timestamp),
                                       std::get<0>(nonce), std::get<0>(echostr));
  if (!outcome.delivered) {
    return controlJson({{"error", "callback unreachable: " + outcome.error}}, 502);
  }
  return controlJson({{"status", outcome.status},
                      {"body", outcome.body},
                      {"echostr", std::get<0>(echostr)},
                      {"matched", outcome.body == std::get<0>(echostr)},
                      {"sent", {{"url", outcome.sentUrl}}}});
}

}  // namespace

std::vector<ControlRoute> pushRoutes() {
  return {
      {"POST", "/__fake/push", push},
      {"POST", "/__fake/verify", verify},
      {"POST", "/__fake/scan", scan},
  };
}

}  // namespace wxb::fake
