#include "fake_wechat/callback_push.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <vector>

#include "fake_wechat/callback_crypto.h"

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

PushOutcome exchange(const std::string& method, const Poco::URI& uri, const std::string& body) {
  PushOutcome outcome;
  outcome.sentUrl = uri.toString();
  outcome.sentBody = body;
  try {
    Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
    session.setTimeout(Poco::Timespan(kReplyDeadlineSeconds, 0));
    Poco::Net::HTTPRequest request(method, uri.getPathAndQuery(), Poco::Net::HTTPMessage::HTTP_1_1);
    if (method == Poco::Net::HTTPRequest::HTTP_POST) {
      request.setContentType("text/xml");
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

std::string buildEventXml(const EventSpec& event) {
  std::string xml = "<xml>" + element("ToUserName", cdata(event.toUser)) +
                    element("FromUserName", cdata(event.fromUser)) +
                    element("CreateTime", std::to_string(event.createTime)) +
                    element("MsgType", cdata("event")) + element("Event", cdata(event.event));
  if (event.eventKey) xml += element("EventKey", cdata(*event.eventKey));
  if (event.ticket) xml += element("Ticket", cdata(*event.ticket));
  if (event.msgId) xml += element("MsgID", std::to_string(*event.msgId));
  if (event.status) xml += element("Status", cdata(*event.status));
  return xml + "</xml>";
}

PushOutcome pushEvent(const PushPlan& plan) {
  Poco::URI uri(plan.url);
  std::string timestamp = std::to_string(plan.timestamp);
  uri.addQueryParameter("signature", sortedSha1({plan.secrets.token, timestamp, plan.nonce}));
  uri.addQueryParameter("timestamp", timestamp);
  uri.addQueryParameter("nonce", plan.nonce);
  uri.addQueryParameter("openid", plan.openid);
  if (!plan.encrypt) return exchange(Poco::Net::HTTPRequest::HTTP_POST, uri, plan.xml);
  std::string encrypted = encryptMessage(plan.xml, plan.secrets.aesKey, plan.secrets.appid);
  uri.addQueryParameter("encrypt_type", "aes");
  uri.addQueryParameter("msg_signature",
                        sortedSha1({plan.secrets.token, timestamp, plan.nonce, encrypted}));
  std::string body = "<xml>" + element("ToUserName", cdata(plan.toUser)) +
                     element("Encrypt", cdata(encrypted)) + "</xml>";
  return exchange(Poco::Net::HTTPRequest::HTTP_POST, uri, body);
}

PushOutcome verifyCallback(const std::string& url, const std::string& token, int64_t timestamp,
                           const std::string& nonce, const std::string& echostr) {
  Poco::URI uri(url);
  std::string stamp = std::to_string(timestamp);
  uri.addQueryParameter("signature", sortedSha1({token, stamp, nonce}));
  uri.addQueryParameter("timestamp", stamp);
  uri.addQueryParameter("nonce", nonce);
  uri.addQueryParameter("echostr", echostr);
  return exchange(Poco::Net::HTTPRequest::HTTP_GET, uri, "");
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
