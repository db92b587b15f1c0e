// Which channel a message takes: the requested one or, for "auto", the first of notify.channels
// the template has that can reach the user now and is open for the message's class; a wait
// when only closed channels could reach the user; no_channel, with every reason, when none can.
#include <boost/test/unit_test.hpp>

#include "notify/channels.h"

namespace wxb {

namespace {

using Kind = ChannelChoice::Kind;

const std::set<Channel> kAll = {Channel::OaTemplate, Channel::MpSubscribe, Channel::OaSubscribe};
const std::vector<Channel> kOaThenMp = {Channel::OaTemplate, Channel::MpSubscribe};

Recipient follower() { return Recipient{true, true, true, 0, 0, false}; }
Recipient nonFollowerWithGrant() { return Recipient{true, false, true, 1, 0, false}; }

}  // namespace

BOOST_AUTO_TEST_SUITE(notify_channels)

BOOST_AUTO_TEST_CASE(names_round_trip_and_auto_is_no_channel_name) {
  for (Channel c : {Channel::OaTemplate, Channel::MpSubscribe, Channel::OaSubscribe}) {
    BOOST_TEST((parseChannel(channelName(c)) == c));
  }
  BOOST_TEST(channelName(Channel::MpSubscribe) == "mp_subscribe");
  BOOST_TEST(!parseChannel("auto").has_value());
  BOOST_TEST(!parseChannel("OA_TEMPLATE").has_value());
}

BOOST_AUTO_TEST_CASE(auto_tries_the_configured_order_of_the_channels_the_template_has) {
  const std::vector<Channel> order = {Channel::MpSubscribe, Channel::OaSubscribe,
                                      Channel::OaTemplate};
  auto both = candidateChannels(std::nullopt, {Channel::OaTemplate, Channel::MpSubscribe}, order);
  BOOST_TEST((both == std::vector<Channel>{Channel::MpSubscribe, Channel::OaTemplate}));
  auto notInOrder = candidateChannels(std::nullopt, {Channel::OaSubscribe}, kOaThenMp);
  BOOST_TEST(notInOrder.empty());
}

BOOST_AUTO_TEST_CASE(a_requested_channel_is_the_only_candidate_if_the_template_has_it) {
  auto mp = candidateChannels(Channel::MpSubscribe, kAll, kOaThenMp);
  BOOST_TEST((mp == std::vector<Channel>{Channel::MpSubscribe}));
  BOOST_TEST(candidateChannels(Channel::OaSubscribe, {Channel::OaTemplate}, kOaThenMp).empty());
}

BOOST_AUTO_TEST_CASE(a_follower_gets_the_oa_template_and_a_non_follower_the_subscribe_message) {
  auto toFollower = chooseChannel(kOaThenMp, follower(), {});
  BOOST_TEST((toFollower.kind == Kind::Send));
  BOOST_TEST((toFollower.channel == Channel::OaTemplate));
  auto toOther = chooseChannel(kOaThenMp, nonFollowerWithGrant(), {});
  BOOST_TEST((toOther.kind == Kind::Send));
  BOOST_TEST((toOther.channel == Channel::MpSubscribe));
}

BOOST_AUTO_TEST_CASE(no_channel_names_every_candidate_and_why) {
  Recipient noGrant{true, false, true, 0, 0, false};
  auto choice = chooseChannel(kOaThenMp, noGrant, {});
  BOOST_TEST((choice.kind == Kind::NoChannel));
  BOOST_TEST(choice.reason ==
             "oa_template: does not follow the OA; mp_subscribe: holds no grant for the template");
  Recipient unknown{};
  auto nobody = chooseChannel(kOaThenMp, unknown, {});
  BOOST_TEST(nobody.reason ==
             "oa_template: no OA openid is known; mp_subscribe: no MP openid is known");
  BOOST_TEST(!chooseChannel({}, follower(), {}).reason.empty());
}

BOOST_AUTO_TEST_CASE(oa_subscribe_needs_a_grant_unless_the_template_is_long_term) {
  const std::vector<Channel> only = {Channel::OaSubscribe};
  Recipient r{true, false, false, 0, 0, false};
  BOOST_TEST((chooseChannel(only, r, {}).kind == Kind::NoChannel));
  r.oaGrants = 1;
  BOOST_TEST((chooseChannel(only, r, {}).kind == Kind::Send));
  r.oaGrants = 0;
  r.oaLongTerm = true;
  BOOST_TEST((chooseChannel(only, r, {}).kind == Kind::Send));
}

BOOST_AUTO_TEST_CASE(a_closed_channel_is_passed_over_for_an_open_one_that_reaches_the_user) {
  Recipient both = follower();
  both.mpGrants = 2;
  auto choice = chooseChannel(kOaThenMp, both, {{Channel::OaTemplate, 5'000}});
  BOOST_TEST((choice.kind == Kind::Send));
  BOOST_TEST((choice.channel == Channel::MpSubscribe));
}

BOOST_AUTO_TEST_CASE(only_closed_channels_reach_the_user_so_the_message_waits_for_the_first) {
  Recipient both = follower();
  both.mpGrants = 1;
  auto choice =
      chooseChannel(kOaThenMp, both, {{Channel::OaTemplate, 9'000}, {Channel::MpSubscribe, 7'000}});
  BOOST_TEST((choice.kind == Kind::Wait));
  BOOST_TEST((choice.channel == Channel::MpSubscribe));
  BOOST_TEST(choice.waitUntilMs == 7'000);
  // A closed channel that could not reach the user anyway is no reason to wait.
  auto none = chooseChannel(kOaThenMp, nonFollowerWithGrant(), {{Channel::OaTemplate, 9'000}});
  BOOST_TEST((none.channel == Channel::MpSubscribe));
  BOOST_TEST((none.kind == Kind::Send));
}

BOOST_AUTO_TEST_CASE(a_follower_who_blocked_template_messages_is_not_reached_by_oa_template) {
  Recipient blocked = follower();
  blocked.refusesTemplates = true;
  auto fixed = chooseChannel({Channel::OaTemplate}, blocked, {});
  BOOST_TEST((fixed.kind == Kind::NoChannel));
  BOOST_TEST(fixed.reason.find("oa_template: blocked the OA's template messages") == 0u,
             fixed.reason);
  blocked.mpGrants = 1;
  auto fallback = chooseChannel(kOaThenMp, blocked, {});
  BOOST_TEST((fallback.kind == Kind::Send));
  BOOST_TEST((fallback.channel == Channel::MpSubscribe));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb
