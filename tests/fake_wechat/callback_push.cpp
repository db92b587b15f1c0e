#include "fake_wechat/callback_push.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "fake_wechat/callback_crypto.h"
#include "fake_wechat/exchange.h"

namespace wxb::fake {
namespace {

constexpr int kReplyDeadlineSeconds = 5;

std::string cdata(const std::string& text) {
  std::string out = "<![CDATA[";
  std::size_t start = 0;
  for (std::size_t end; (end = text.find("]]>", start)) != std::string::npos; start = end + 2) {
    out += text.substr(start, end + 2 - start) + "]]><![CDATA[";
  }
  return out + text.substr(start) + "]]>";
}

std::string element(const std::string& tag, const std::string& inner) {
  return "<" + tag + ">" + inner + "</" + tag + ">";
}

// The XML element wrapping a subscribe event's List entries.
std::string listWrapper(const std::string& event) {
  if (event == "subscribe_msg_popup_event") return "SubscribeMsgPopupEvent";
  if (event == "subscribe_msg_change_event") return "SubscribeMsgChangeEvent";
  return "SubscribeMsgSentEvent";
}

std::string listXml(const EventSpec& event) {
  std::string xml = "<" + listWrapper(event.event) + ">";
  for (const auto& entry : event.list) {
    std::string inner = element("TemplateId", cdata(entry.templateId));
    if (event.event == "subscribe_msg_sent_event") {
      inner += element("MsgID", std::to_string(entry.msgId.value_or(0))) +
               element("ErrorCode", std::to_string(entry.errorCode.value_or(0))) +
               element("ErrorStatus", cdata(entry.status));
    } else {
      inner += element("SubscribeStatusString", cdata(entry.status));
      if (entry.popupScene) inner += element("PopupScene", std::to_string(*entry.popupScene));
    }
    xml += element("List", inner);
  }
  return xml + "</" + listWrapper(event.event) + ">";
}

nlohmann::json number(int64_t value, bool asString) {
  return asString ? nlohmann::json(std::to_string(value)) : nlohmann::json(value);
}

nlohmann::json listJson(const EventSpec& event, bool asStrings) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& entry : event.list) {
    nlohmann::json item = {{"TemplateId", entry.templateId}};
    if (event.event == "subscribe_msg_sent_event") {
      item["MsgID"] = number(entry.msgId.value_or(0), asStrings);
      item["ErrorCode"] = number(entry.errorCode.value_or(0), asStrings);
      item["ErrorStatus"] = entry.status;
    } else {
      item["SubscribeStatusString"] = entry.status;
      if (entry.popupScene) item["PopupScene"] = number(*entry.popupScene, asStrings);
    }
    list.push_back(std::move(item));
  }
  return list.size() == 1 ? list[0] : list;
}

PushOutcome exchange(const std::string& method, const Poco::URI& uri, const std::string& body,
                     const std::string& contentType) {
  PushOutcome outcome;
  outcome.sentUrl = uri.toString();
  outcome.sentBody = body;
  try {
    Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
    session.setTimeout(Poco::Timespan(kReplyDeadlineSeconds, 0));
    Poco::Net::HTTPRequest request(method, uri.getPathAndQuery(), Poco::Net::HTTPMessage::HTTP_1_1);
    if (method == Poco::Net::HTTPRequest::HTTP_POST) {
      request.setContentType(contentType);
      request.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    Poco::StreamCopier::copyToString(in, outcome.body);
    outcome.status = static_cast<int>(response.getStatus());
    outcome.delivered = true;
  } catch (const Poco::Exception& error) {
    outcome.error = error.displayText();
  } catch (const std::exception& error) {
    outcome.error = error.what();
  }
  return outcome;
}

}  // namespace

bool isSubscribeEvent(const std::string& event) {
  return event == "subscribe_msg_popup_event" || event == "subscribe_msg_change_event" ||
         event == "subscribe_msg_sent_event";
}

std::string buildEventXml(const EventSpec& event) {
  std::string xml = "<xml>" + element("ToUserName", cdata(event.toUser)) +
                    element("FromUserName", cdata(event.fromUser)) +
                    element("CreateTime", std::to_string(event.createTime)) +
                    element("MsgType", cdata("event")) + element("Event", cdata(event.event));
  if (event.eventKey) xml += element("EventKey", cdata(*event.eventKey));
  if (event.ticket) xml += element("Ticket", cdata(*event.ticket));
  if (event.msgId) xml += element("MsgID", std::to_string(*event.msgId));
  if (event.status) xml += element("Status", cdata(*event.status));
  if (isSubscribeEvent(event.event)) xml += listXml(event);
  return xml + "</xml>";
}

std::string buildEventJson(const EventSpec& event, bool numbersAsStrings) {
  nlohmann::json body = {{"ToUserName", event.toUser},
                         {"FromUserName", event.fromUser},
                         {"CreateTime", number(event.createTime, numbersAsStrings)},
                         {"MsgType", "event"},
                         {"Event", event.event}};
  if (event.eventKey) body["EventKey"] = *event.eventKey;
  if (event.ticket) body["Ticket"] = *event.ticket;
  if (event.msgId) body["MsgID"] = number(*event.msgId, numbersAsStrings);
  if (event.status) body["Status"] = *event.status;
  if (isSubscribeEvent(event.event)) body["List"] = listJson(event, numbersAsStrings);
  return dumpJson(body);
}

PushOutcome pushEvent(const PushPlan& plan) {
  Poco::URI uri(plan.url);
  std::string timestamp = std::to_string(plan.timestamp);
  const std::string contentType = plan.json ? "application/json" : "text/xml";
  uri.addQueryParameter("signature", sortedSha1({plan.secrets.token, timestamp, plan.nonce}));
  uri.addQueryParameter("timestamp", timestamp);
  uri.addQueryParameter("nonce", plan.nonce);
  uri.addQueryParameter("openid", plan.openid);
  if (!plan.encrypt) {
    return exchange(Poco::Net::HTTPRequest::HTTP_POST, uri, plan.body, contentType);
  }
  std::string encrypted = encryptMessage(plan.body, plan.secrets.aesKey, plan.secrets.appid);
  uri.addQueryParameter("encrypt_type", "aes");
  uri.addQueryParameter("msg_signature",
                        sortedSha1({plan.secrets.token, timestamp, plan.nonce, encrypted}));
  std::string body = plan.json ? dumpJson({{"ToUserName", plan.toUser}, {"Encrypt", encrypted}})
                               : "<xml>" + element("ToUserName", cdata(plan.toUser)) +
                                     element("Encrypt", cdata(encrypted)) + "</xml>";
  return exchange(Poco::Net::HTTPRequest::HTTP_POST, uri, body, contentType);
}

PushOutcome verifyCallback(const std::string& url, const std::string& token, int64_t timestamp,
                           const std::string& nonce, const std::string& echostr) {
  Poco::URI uri(url);
  std::string stamp = std::to_string(timestamp);
  uri.addQueryParameter("signature", sortedSha1({token, stamp, nonce}));
  uri.addQueryParameter("timestamp", stamp);
  uri.addQueryParameter("nonce", nonce);
  uri.addQueryParameter("echostr", echostr);
  return exchange(Poco::Net::HTTPRequest::HTTP_GET, uri, "", "text/plain");
}

std::optional<std::string> xmlElement(const std::string& xml, const std::string& tag) {
  std::size_t open = xml.find("<" + tag + ">");
  if (open == std::string::npos) return std::nullopt;
  std::size_t start = open + tag.size() + 2;
  std::size_t close = xml.find("</" + tag + ">", start);
  if (close == std::string::npos) return std::nullopt;
  std::string inner = xml.substr(start, close - start);
  if (inner.starts_with("<![CDATA[") && inner.ends_with("]]>")) {
    inner = inner.substr(9, inner.size() - 12);
  }
  return inner;
}

}  // namespace wxb::fake
