// The typed requests and answers of the platform calls WechatClient makes (WECHAT.md names the
// fields). Plain values: no behaviour, no secrets other than MpSession::sessionKey, which
// callers must never log. Safe to copy between threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wxb {

// The platform's openids and unionids are 28 characters in practice; we accept 1-64 characters
// of [A-Za-z0-9_-], which is also what makes them safe in a URL query or a log line. The one
// check of an openid or unionid, from the platform's answers and from our own callers alike.
bool isValidWechatId(std::string_view id);
// The rule isValidWechatId() checks, for messages: "unionid: must be " + kWechatIdRule.
inline constexpr const char* kWechatIdRule = "1-64 characters of A-Z a-z 0-9 _ -";

// The platform's opaque strings - access_tokens, wx.login codes - travel in URL queries and
// store columns: 1 to `maxBytes` bytes of printable ASCII without spaces ('!' to '~'). The one
// check of their shape, for the platform's answers and our callers' requests alike.
bool isOpaqueToken(std::string_view text, size_t maxBytes);

// /cgi-bin/token and /cgi-bin/stable_token.
struct AccessToken {
  std::string token;
  int64_t expiresInSeconds = 0;
};

// One page of /cgi-bin/user/get. The list ends when count is 0 or nextOpenid is empty.
// `openids` holds the well-formed entries; `dropped` counts the others (count includes them).
struct FollowerPage {
  int64_t total = 0;
  int64_t count = 0;
  std::vector<std::string> openids;
  int64_t dropped = 0;
  std::string nextOpenid;
  bool last() const { return count == 0 || nextOpenid.empty(); }
};

// /cgi-bin/user/info and one entry of /cgi-bin/user/info/batchget. A user who no longer
// follows (subscribed false) carries only openid (and sometimes unionid).
struct UserInfo {
  bool subscribed = false;
  std::string openid;
  std::optional<std::string> unionid;  // only when the OA is bound to an Open Platform account
  int64_t subscribeTime = 0;           // Unix seconds; 0 when absent
  std::string language;
  std::string remark;
  std::vector<int64_t> tagIds;
  std::string subscribeScene;
  int64_t qrScene = 0;
  std::string qrSceneStr;
};

struct MiniProgramLink {
  std::string appid;
  std::string pagepath;  // "pages/x/y?k=v"
};

// /cgi-bin/message/template/send. Empty url/clientMsgId are left out of the request;
// miniprogram wins over url on the platform when both are set.
struct TemplateMessage {
  std::string touser;  // OA openid
  std::string templateId;
  std::string url;
  std::optional<MiniProgramLink> miniprogram;
  std::string clientMsgId;  // idempotency key: one delivery per touser + id within 10 minutes
  std::map<std::string, std::string> data;  // keyword -> value
};

// /cgi-bin/message/subscribe/send (one-time grant per message).
struct SubscribeMessage {
  std::string touser;  // MP openid
  std::string templateId;
  std::string page;                         // empty: left out
  std::string miniprogramState = "formal";  // formal | trial | developer
  std::string lang = "zh_CN";
  std::map<std::string, std::string> data;  // key -> value
};

// /cgi-bin/message/subscribe/bizsend: an OA subscribe notification (one-time grant per
// message unless the template is long-term). miniprogram wins over page on the platform.
struct BizSubscribeMessage {
  std::string touser;  // OA openid (a follower or not)
  std::string templateId;
  std::string page;  // a web URL; empty: left out
  std::optional<MiniProgramLink> miniprogram;
  std::map<std::string, std::string> data;  // key -> value
};

// /sns/jscode2session. sessionKey is a secret: never log it, never put it in an error.
struct MpSession {
  std::string openid;
  std::string sessionKey;
  std::optional<std::string> unionid;
};

// /cgi-bin/qrcode/create with QR_STR_SCENE: a temporary parametric QR code (WECHAT.md
// "Parametric QR codes"). A user who scans it pushes subscribe (EventKey "qrscene_" + scene) or,
// already a follower, SCAN (EventKey = scene), with this ticket.
struct QrCode {
  std::string ticket;         // shows the image: showQrCodeUrl(ticket)
  int64_t expireSeconds = 0;  // as granted by the platform
  std::string url;            // the URL the image encodes (http://weixin.qq.com/q/...)
};

// The platform's image address of a QR code ticket:
// https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=URL-ENCODED-TICKET (base replaceable for
// tests, without a trailing slash).
std::string showQrCodeUrl(const std::string& ticket,
                          const std::string& base = "https://mp.weixin.qq.com");

// /cgi-bin/openapi/quota/get.
struct ApiQuota {
  int64_t dailyLimit = 0;
  int64_t used = 0;
  int64_t remain = 0;
};

}  // namespace wxb
