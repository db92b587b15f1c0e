// The grant ledger's rules: accepts add one grant only from the counted source, a ban zeroes
// the entry until a later accept, old answers never overwrite newer ones, subscribe events map
// to answers, and a send's answer spends, refunds or zeroes the grant.
#include <boost/test/unit_test.hpp>

#include "notify/grant_ledger.h"

namespace wxb {

namespace {

using Answer = SubscribeAnswer;

GrantEntry fromClient(GrantEntry e, Answer a, int64_t atMs) {
  return applyAnswer(e, a, GrantSource::Client, GrantSource::Client, atMs);
}

WechatResult<int64_t> refusal(WechatError::Kind kind, int errcode) {
  return std::unexpected(WechatError{kind, "/cgi-bin/message/subscribe/send", errcode, "x"});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(notify_grant_ledger)

BOOST_AUTO_TEST_CASE(each_accept_adds_one_grant_and_is_the_last_answer) {
  GrantEntry e = fromClient({}, Answer::Accept, 1'000);
  e = fromClient(e, Answer::Accept, 2'000);
  BOOST_TEST(e.grants == 2);
  BOOST_TEST((e.lastAnswer == Answer::Accept));
  BOOST_TEST(e.lastAnswerAtMs == 2'000);
}

BOOST_AUTO_TEST_CASE(a_reject_or_filter_is_recorded_and_earlier_grants_stand) {
  GrantEntry e = fromClient({}, Answer::Accept, 1'000);
  e = fromClient(e, Answer::Reject, 2'000);
  BOOST_TEST(e.grants == 1);
  BOOST_TEST((e.lastAnswer == Answer::Reject));
  e = fromClient(e, Answer::Filter, 3'000);
  BOOST_TEST(e.grants == 1);
  BOOST_TEST((e.lastAnswer == Answer::Filter));
}

BOOST_AUTO_TEST_CASE(a_ban_zeroes_the_grants_until_a_later_accept) {
  GrantEntry e = fromClient({}, Answer::Accept, 1'000);
  e = fromClient(e, Answer::Accept, 1'500);
  e = fromClient(e, Answer::Ban, 2'000);
  BOOST_TEST(e.grants == 0);
  BOOST_TEST((e.lastAnswer == Answer::Ban));
  e = fromClient(e, Answer::Accept, 3'000);
  BOOST_TEST(e.grants == 1);
}

BOOST_AUTO_TEST_CASE(only_the_counted_source_adds_grants_but_both_record_answers) {
  GrantEntry e = applyAnswer({}, Answer::Accept, GrantSource::Events, GrantSource::Client, 1'000);
  BOOST_TEST(e.grants == 0);
  BOOST_TEST((e.lastAnswer == Answer::Accept));
  e = applyAnswer(e, Answer::Accept, GrantSource::Client, GrantSource::Client, 1'000);
  BOOST_TEST(e.grants == 1);  // the same popup, reported twice, counts once
  e = applyAnswer(e, Answer::Ban, GrantSource::Events, GrantSource::Client, 2'000);
  BOOST_TEST(e.grants == 0);  // a ban lowers the count from either source
}

BOOST_AUTO_TEST_CASE(an_older_answer_adds_its_grant_but_replaces_nothing_and_bans_nothing) {
  GrantEntry e = fromClient({}, Answer::Accept, 5'000);
  GrantEntry late = fromClient(e, Answer::Accept, 4'000);
  BOOST_TEST(late.grants == 2);
  BOOST_TEST(late.lastAnswerAtMs == 5'000);
  GrantEntry oldBan = fromClient(e, Answer::Ban, 4'000);
  BOOST_TEST(oldBan.grants == 1);
  BOOST_TEST((oldBan.lastAnswer == Answer::Accept));
}

BOOST_AUTO_TEST_CASE(grants_stop_growing_at_the_cap) {
  GrantEntry e;
  e.grants = kMaxGrantsPerTemplate;
  e = fromClient(e, Answer::Accept, 1'000);
  BOOST_TEST(e.grants == kMaxGrantsPerTemplate);
}

BOOST_AUTO_TEST_CASE(names_parse_and_print) {
  for (Answer a : {Answer::Accept, Answer::Reject, Answer::Ban, Answer::Filter}) {
    BOOST_TEST((parseSubscribeAnswer(subscribeAnswerName(a)) == a));
  }
  BOOST_TEST(!parseSubscribeAnswer("Accept").has_value());
  BOOST_TEST((parseGrantSource("events") == GrantSource::Events));
  BOOST_TEST(!parseGrantSource("both").has_value());
}

BOOST_AUTO_TEST_CASE(subscribe_events_map_to_answers) {
  BOOST_TEST((eventAnswer("subscribe_msg_popup_event", "accept", 0).answer == Answer::Accept));
  BOOST_TEST((eventAnswer("subscribe_msg_popup_event", "reject", 0).answer == Answer::Reject));
  BOOST_TEST((eventAnswer("subscribe_msg_change_event", "reject", 0).answer == Answer::Ban));
  BOOST_TEST(!eventAnswer("subscribe_msg_change_event", "accept", 0).answer.has_value());
  auto delivered = eventAnswer("subscribe_msg_sent_event", "success", 0);
  BOOST_TEST(!delivered.answer.has_value());
  BOOST_TEST(!delivered.zero);
  BOOST_TEST(eventAnswer("subscribe_msg_sent_event", "fail:user refuse", 43101).zero);
  BOOST_TEST(eventAnswer("subscribe_msg_sent_event", "fail:user block", 43107).zero);
  BOOST_TEST(!eventAnswer("subscribe_msg_sent_event", "fail:system error", 1).zero);
  BOOST_TEST(!eventAnswer("subscribe", "accept", 0).answer.has_value());
}

BOOST_AUTO_TEST_CASE(a_send_spends_refunds_or_zeroes_the_grant_by_the_answer) {
  using Kind = WechatError::Kind;
  BOOST_TEST((grantAfterSend(int64_t{42}) == GrantAfterSend::Spent));
  BOOST_TEST((grantAfterSend(refusal(Kind::Permanent, 43101)) == GrantAfterSend::Zero));
  for (int errcode : {47003, 40037, 41030, 40003}) {
    BOOST_TEST_CONTEXT(errcode) {
      BOOST_TEST((grantAfterSend(refusal(Kind::Permanent, errcode)) == GrantAfterSend::Refund));
    }
  }
  BOOST_TEST((grantAfterSend(refusal(Kind::Quota, 45009)) == GrantAfterSend::Refund));
  BOOST_TEST((grantAfterSend(refusal(Kind::Busy, -1)) == GrantAfterSend::Refund));
  // No answer, or one we could not read: it may have been delivered.
  BOOST_TEST((grantAfterSend(refusal(Kind::Transport, 0)) == GrantAfterSend::Spent));
  BOOST_TEST((grantAfterSend(refusal(Kind::BadResponse, 0)) == GrantAfterSend::Spent));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb
