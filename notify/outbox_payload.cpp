#include "notify/outbox_payload.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace wxb {

namespace {

using Json = nlohmann::json;

[[noreturn]] void notAPayload(const std::string& why) {
  throw std::runtime_error("outbox payload is not a message: " + why);
}

std::string text(const Json& object, const char* key) {
  auto found = object.find(key);
  if (found == object.end() || found->is_null()) return "";
  if (!found->is_string()) notAPayload(std::string(key) + " is not text");
  return found->get<std::string>();
}

Json formJson(const ChannelForm& f) {
  Json out = {{"channel", channelName(f.channel)}, {"template_id", f.templateId}, {"data", f.data}};
  if (f.miniprogram) {
    out["miniprogram"] = {{"appid", f.miniprogram->appid}, {"pagepath", f.miniprogram->pagepath}};
  }
  for (const auto& [key, value] :
       {std::pair{"url", &f.url}, std::pair{"page", &f.page},
        std::pair{"miniprogram_state", &f.miniprogramState}, std::pair{"lang", &f.lang}}) {
    if (!value->empty()) out[key] = *value;
  }
  if (f.longTerm) out["long_term"] = true;
  return out;
}

ChannelForm formOf(const Json& in, Channel channel) {
  if (!in.is_object()) notAPayload("a form is not an object");
  ChannelForm f;
  f.channel = channel;
  f.templateId = text(in, "template_id");
  auto data = in.find("data");
  if (f.templateId.empty() || data == in.end() || !data->is_object()) {
    notAPayload("a form lacks template_id or data");
  }
  for (const auto& [key, value] : data->items()) {
    if (!value.is_string()) notAPayload("field " + key + " is not text");
    f.data[key] = value.get<std::string>();
  }
  if (auto mp = in.find("miniprogram"); mp != in.end() && mp->is_object()) {
    f.miniprogram = MiniProgramLink{text(*mp, "appid"), text(*mp, "pagepath")};
  }
  f.url = text(in, "url");
  f.page = text(in, "page");
  f.miniprogramState = text(in, "miniprogram_state");
  f.lang = text(in, "lang");
  f.longTerm = in.value("long_term", false);
  return f;
}

}  // namespace

const ChannelForm* OutboxPayload::form(Channel channel) const {
  for (const auto& f : forms) {
    if (f.channel == channel) return &f;
  }
  return nullptr;
}

std::vector<Channel> OutboxPayload::channels() const {
  std::vector<Channel> out;
  for (const auto& f : forms) out.push_back(f.channel);
  return out;
}

std::string encodeOutboxPayload(const OutboxPayload& payload) {
  Json forms = Json::array();
  for (const auto& f : payload.forms) forms.push_back(formJson(f));
  return Json{{"auto", payload.autoChannel}, {"forms", forms}}.dump(-1, ' ', false,
                                                                    Json::error_handler_t::replace);
}

OutboxPayload decodeOutboxPayload(std::string_view textIn) {
  Json in = Json::parse(textIn, nullptr, false);
  if (in.is_discarded() || !in.is_object()) notAPayload("not a JSON object");
  OutboxPayload payload;
  auto forms = in.find("forms");
  if (forms == in.end()) {  // a row from before channels: one template message
    payload.forms.push_back(formOf(in, Channel::OaTemplate));
    return payload;
  }
  if (!forms->is_array() || forms->empty()) notAPayload("forms is not a list of forms");
  payload.autoChannel = in.value("auto", false);
  for (const auto& f : *forms) {
    auto channel = f.is_object() ? parseChannel(text(f, "channel")) : std::nullopt;
    if (!channel) notAPayload("a form names no known channel");
    payload.forms.push_back(formOf(f, *channel));
  }
  return payload;
}

std::string encodeTemplatePayload(const TemplateMessage& message) {
  ChannelForm form;
  form.templateId = message.templateId;
  form.miniprogram = message.miniprogram;
  form.url = message.url;
  form.data = message.data;
  return encodeOutboxPayload(OutboxPayload{false, {form}});
}

TemplateMessage decodeTemplatePayload(std::string_view text, const std::string& touser) {
  OutboxPayload payload = decodeOutboxPayload(text);
  const ChannelForm* form = payload.form(Channel::OaTemplate);
  if (!form) notAPayload("it has no oa_template form");
  return templateMessageOf(*form, touser, "");
}

TemplateMessage templateMessageOf(const ChannelForm& form, const std::string& touser,
                                  const std::string& clientMsgId) {
  return TemplateMessage{touser,           form.templateId, form.url,
                         form.miniprogram, clientMsgId,     form.data};
}

SubscribeMessage subscribeMessageOf(const ChannelForm& form, const std::string& touser) {
  SubscribeMessage m;
  m.touser = touser;
  m.templateId = form.templateId;
  m.page = form.page;
  if (!form.miniprogramState.empty()) m.miniprogramState = form.miniprogramState;
  if (!form.lang.empty()) m.lang = form.lang;
  m.data = form.data;
  return m;
}

BizSubscribeMessage bizSubscribeMessageOf(const ChannelForm& form, const std::string& touser) {
  return BizSubscribeMessage{touser, form.templateId, form.page, form.miniprogram, form.data};
}

}  // namespace wxb
