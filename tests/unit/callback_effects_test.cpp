// effectsOf: each OA event's effect on the bridge (follow state by event time, unionid fetch,
// QR binding only for our own bind scenes, receipts and the refusing mark), nothing for others.
#include <boost/test/unit_test.hpp>

#include "wechat/callback/push_effects.h"

using namespace wxb;

namespace {

const std::string kScene = "wxbind_Ab3dEf6gHi9jKl2mNo5pQr8s";

PushEvent eventWith(PushBody body, std::string event = "x") {
  return PushEvent{PushHeader{"gh_fakeoa", "oFollower1", 1'700'000'000, "event"}, std::move(event),
                   std::nullopt, std::move(body)};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(callback_effects)

BOOST_AUTO_TEST_CASE(a_follow_subscribes_at_event_time_and_fetches_the_unionid) {
  PushEffects effects = effectsOf(eventWith(FollowEvent{}));
  BOOST_TEST(effects.openid == "oFollower1");
  BOOST_REQUIRE(effects.follow.has_value());
  BOOST_TEST(effects.follow->subscribed);
  BOOST_TEST(effects.follow->atMs == 1'700'000'000'000);
  BOOST_TEST(effects.fetchUnionid);
  BOOST_TEST(!effects.bindScene.has_value());
  BOOST_TEST(!effects.refusesTemplates);
}

BOOST_AUTO_TEST_CASE(an_unfollow_unsubscribes_and_fetches_nothing) {
  PushEffects effects = effectsOf(eventWith(UnfollowEvent{}));
  BOOST_REQUIRE(effects.follow.has_value());
  BOOST_TEST(!effects.follow->subscribed);
  BOOST_TEST(!effects.fetchUnionid);
}

BOOST_AUTO_TEST_CASE(only_our_bind_scenes_bind) {
  BOOST_TEST(effectsOf(eventWith(FollowEvent{kScene, "gQ"})).bindScene.value_or("") == kScene);
  BOOST_TEST(effectsOf(eventWith(ScanEvent{kScene, "gQ"})).bindScene.value_or("") == kScene);
  BOOST_TEST(!effectsOf(eventWith(ScanEvent{"campaign_2024", "gQ"})).bindScene.has_value());
  BOOST_TEST(!effectsOf(eventWith(ScanEvent{kScene + "x", "gQ"})).bindScene.has_value());
  BOOST_TEST(!effectsOf(eventWith(FollowEvent{"wxbind_short", "gQ"})).bindScene.has_value());
  BOOST_TEST(!effectsOf(eventWith(ScanEvent{kScene, "gQ"})).follow.has_value());
  BOOST_TEST(!isBindScene("wxbind_Ab3dEf6gHi9jKl2mNo5pQr8-"));
}

BOOST_AUTO_TEST_CASE(a_receipt_carries_its_delivery_and_a_block_marks_the_follower) {
  PushEffects delivered = effectsOf(eventWith(
      TemplateReceipt{42, TemplateDelivery::Delivered, "success"}, "TEMPLATESENDJOBFINISH"));
  BOOST_REQUIRE(delivered.receipt.has_value());
  BOOST_TEST(delivered.receipt->msgId == 42);
  BOOST_TEST(delivered.receipt->atMs == 1'700'000'000'000);
  BOOST_TEST(!delivered.refusesTemplates);
  PushEffects blocked =
      effectsOf(eventWith(TemplateReceipt{43, TemplateDelivery::Blocked, "failed:user block"},
                          "TEMPLATESENDJOBFINISH"));
  BOOST_TEST(blocked.refusesTemplates);
  BOOST_TEST(blocked.receipt->status == "failed:user block");
  PushEffects failed =
      effectsOf(eventWith(TemplateReceipt{44, TemplateDelivery::Failed, "failed: system failed"},
                          "TEMPLATESENDJOBFINISH"));
  BOOST_TEST(!failed.refusesTemplates);
}

BOOST_AUTO_TEST_CASE(messages_and_other_events_change_nothing) {
  BOOST_TEST(!effectsOf(eventWith(UserMessage{1})).acted());
  BOOST_TEST(!effectsOf(eventWith(OtherEvent{}, "CLICK")).acted());
  BOOST_TEST(!effectsOf(eventWith(SubscribePopupEvent{})).acted());
}

BOOST_AUTO_TEST_SUITE_END()
