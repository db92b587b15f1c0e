// effectsOf: the table in push_effects.h, one function per event kind.
#include "wechat/callback/push_effects.h"

#include <openssl/rand.h>

#include <algorithm>
#include <stdexcept>
#include <variant>

#include "wechat/callback/overloaded.h"

namespace wxb {
namespace {

constexpr std::size_t kBindCodeChars = 24;

std::optional<std::string> ourScene(const std::optional<std::string>& scene) {
  if (!scene || !isBindScene(*scene)) return std::nullopt;
  return scene;
}

}  // namespace

bool isBindScene(std::string_view scene) {
  if (!scene.starts_with(kBindScenePrefix)) return false;
  std::string_view code = scene.substr(kBindScenePrefix.size());
  return code.size() == kBindCodeChars && std::all_of(code.begin(), code.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
         });
}

std::string newBindScene() {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string scene(kBindScenePrefix);
  while (scene.size() < kBindScenePrefix.size() + kBindCodeChars) {
    unsigned char bytes[32];
    if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("RAND_bytes failed");
    for (unsigned char b : bytes) {
      // 248 = 4 * 62: dropping the bytes above keeps every character equally likely.
      if (b < 248 && scene.size() < kBindScenePrefix.size() + kBindCodeChars) {
        scene += kAlphabet[b % kAlphabet.size()];
      }
    }
  }
  return scene;
}

PushEffects effectsOf(const PushEvent& push) {
  const int64_t atMs = push.header.createTime * 1000;
  PushEffects effects{push.header.fromUser, {}, false, {}, {}, false, atMs};
  std::visit(Overloaded{
                 [&](const FollowEvent& follow) {
                   effects.follow = FollowChange{true, atMs};
                   effects.fetchUnionid = true;
                   effects.bindScene = ourScene(follow.scene);
                 },
                 [&](const UnfollowEvent&) {
                   effects.follow = FollowChange{false, atMs};
                 },
                 [&](const ScanEvent& scan) { effects.bindScene = ourScene(scan.scene); },
                 [&](const TemplateReceipt& receipt) {
                   effects.receipt =
                       DeliveryReceipt{receipt.msgId, receipt.delivery, receipt.status, atMs};
                   effects.refusesTemplates = receipt.delivery == TemplateDelivery::Blocked;
                 },
                 [](const auto&) {},
             },
             push.body);
  return effects;
}

}  // namespace wxb
