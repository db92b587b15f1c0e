// PushEffects: what one OA push changes in the bridge, decided from the typed event alone so the
// rules are unit-tested without a store (issue #13). The callback route records the push and
// applies these effects in one store transaction; fetching the unionid (user/info) needs the
// platform, so it is only queued there and done after the reply.
//
//   subscribe              the follower is subscribed as of CreateTime (last writer wins by time
//                          against the sync), may receive template messages again, and its
//                          unionid is fetched; a QR scene of ours binds it to that MP user
//   unsubscribe            the follower is unsubscribed as of CreateTime
//   SCAN                   a QR scene of ours binds the (already following) user
//   TEMPLATESENDJOBFINISH  the receipt of that msgid; "failed:user block" also marks the
//                          follower as refusing template messages
//   anything else          nothing (counted and answered `success`)
//
// Pure functions on plain values: thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wechat/callback/push_event.h"

namespace wxb {

// Bind codes are QR scenes of the form kBindScenePrefix + 24 characters of [A-Za-z0-9]; other
// scenes (the operator's own campaigns) bind nobody.
inline constexpr std::string_view kBindScenePrefix = "wxbind_";
bool isBindScene(std::string_view scene);
// A new bind scene: the prefix and 24 characters from OpenSSL's RAND_bytes (a scene is a
// capability: whoever scans it is bound). Throws std::runtime_error when OpenSSL fails.
std::string newBindScene();

struct FollowChange {
  bool subscribed = false;
  int64_t atMs = 0;  // the push's CreateTime, Unix ms
};

struct DeliveryReceipt {
  int64_t msgId = 0;
  TemplateDelivery delivery = TemplateDelivery::Failed;
  std::string status;  // as the platform wrote it
  int64_t atMs = 0;
};

struct PushEffects {
  std::string openid;  // FromUserName: the OA openid everything below is about
  std::optional<FollowChange> follow;
  bool fetchUnionid = false;             // queue user/info for openid
  std::optional<std::string> bindScene;  // bind openid to the MP user of this bind code
  std::optional<DeliveryReceipt> receipt;
  bool refusesTemplates = false;  // from receipt.atMs on, until the next subscribe
  int64_t atMs = 0;               // the push's CreateTime, Unix ms
  bool acted() const { return follow || fetchUnionid || bindScene || receipt; }
};

PushEffects effectsOf(const PushEvent& push);

}  // namespace wxb
