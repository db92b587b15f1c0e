// The digest's pure parts: one message per following account with the configured content and
// link, nothing for non-followers, preferences (muted types, digest off), stable idempotency keys,
// and the scheduled run's slot.
#include <date/tz.h>

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "notify/digest.h"
#include "notify/outbox_payload.h"
#include "notify/template_message.h"
#include "support/utc_ms.h"

namespace wxb {

using test::utcMs;

namespace {

TemplateSpec digestSpec() {
  TemplateSpec s{"daily", "TPL_DIGEST", MiniProgramLink{"wxfakemp", "pages/inbox/index"}, {}};
  s.data.emplace_back("keyword1", parsePattern("MyApp").value());
  s.data.emplace_back("keyword2", parsePattern("{{summary}}").value());
  s.data.emplace_back("keyword3", parsePattern("{{actor}}: {{text}}").value());
  return s;
}

const TypeLabels kLabels = {{"chat", "chats"}, {"invitation", "invites"}};

UnreadSummary account(const std::string& unionid, const std::string& openid, bool subscribed) {
  return UnreadSummary{unionid,
                       {{"chat", 3}, {"invitation", 1}},
                       "Wang",
                       "join my group",
                       openid,
                       subscribed,
                       {{"chat", 7, "Ann", "hi"}, {"invitation", 9, "Wang", "join my group"}}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(notify_digest)

BOOST_AUTO_TEST_CASE(a_follower_gets_one_message_aggregating_counts_with_the_link) {
  auto m = digestMessage(digestSpec(), kLabels, account("u1", "oa1", true), 42);
  BOOST_REQUIRE(m);
  BOOST_TEST(m->idempotencyKey == "digest:42:u1");
  BOOST_TEST(m->touser == "oa1");
  BOOST_TEST(m->digestRun == 42);
  BOOST_TEST(m->templateName == "daily");
  TemplateMessage sent = decodeTemplatePayload(m->payload, m->touser);
  BOOST_TEST(sent.templateId == "TPL_DIGEST");
  BOOST_TEST(sent.data.at("keyword1") == "MyApp");
  BOOST_TEST(sent.data.at("keyword2") == "chats: 3, invites: 1");
  BOOST_REQUIRE(sent.miniprogram);
  BOOST_TEST(sent.miniprogram->appid == "wxfakemp");
  BOOST_TEST(sent.miniprogram->pagepath == "pages/inbox/index");
}

// One payload form for every enqueuer (review 3 #10): the digest writes the outbox payload with
// one oa_template form, as direct messages do, not the single-message form of before channels.
BOOST_AUTO_TEST_CASE(the_digest_writes_the_outbox_payload_with_one_oa_template_form) {
  auto m = digestMessage(digestSpec(), kLabels, account("u1", "oa1", true), 42);
  BOOST_REQUIRE(m);
  auto stored = nlohmann::json::parse(m->payload);
  BOOST_REQUIRE(stored.contains("forms"));
  BOOST_REQUIRE(stored["forms"].size() == 1u);
  BOOST_TEST(stored["forms"][0]["channel"] == "oa_template");
  BOOST_TEST(stored["forms"][0]["template_id"] == "TPL_DIGEST");
  BOOST_TEST(stored["auto"] == false);
  OutboxPayload payload = decodeOutboxPayload(m->payload);
  BOOST_TEST(payload.forms[0].data.at("keyword2") == "chats: 3, invites: 1");
}

BOOST_AUTO_TEST_CASE(a_muted_type_shows_neither_its_count_nor_its_actor_and_text) {
  Preferences muted;
  muted.mutedTypes = std::vector<std::string>{"invitation"};  // the newest event is one
  auto m = digestMessage(digestSpec(), kLabels, account("u1", "oa1", true), 1, &muted);
  BOOST_REQUIRE(m);
  TemplateMessage sent = decodeTemplatePayload(m->payload, m->touser);
  BOOST_TEST(sent.data.at("keyword2") == "chats: 3");
  BOOST_TEST(sent.data.at("keyword3") == "Ann: hi");
  auto plain = digestMessage(digestSpec(), kLabels, account("u1", "oa1", true), 1);
  BOOST_REQUIRE(plain);
  BOOST_TEST(decodeTemplatePayload(plain->payload, plain->touser).data.at("keyword3") ==
             "Wang: join my group");
}

BOOST_AUTO_TEST_CASE(accounts_that_do_not_follow_get_nothing) {
  BOOST_TEST(!digestMessage(digestSpec(), kLabels, account("u1", "oa1", false), 1));
  BOOST_TEST(!digestMessage(digestSpec(), kLabels, account("u1", "", true), 1));
}

BOOST_AUTO_TEST_CASE(preferences_leave_muted_types_out_and_can_turn_the_digest_off) {
  Preferences muted;
  muted.mutedTypes = std::vector<std::string>{"invitation"};
  auto m = digestMessage(digestSpec(), kLabels, account("u1", "oa1", true), 1, &muted);
  BOOST_REQUIRE(m);
  BOOST_TEST(decodeTemplatePayload(m->payload, m->touser).data.at("keyword2") == "chats: 3");
  muted.mutedTypes = std::vector<std::string>{"invitation", "chat"};
  BOOST_TEST(!digestMessage(digestSpec(), kLabels, account("u1", "oa1", true), 1, &muted));
  Preferences off;
  off.digest = false;
  BOOST_TEST(!digestMessage(digestSpec(), kLabels, account("u1", "oa1", true), 1, &off));
  off.digest = true;
  BOOST_TEST(digestMessage(digestSpec(), kLabels, account("u1", "oa1", true), 1, &off).has_value());
}

BOOST_AUTO_TEST_CASE(the_same_account_in_the_same_run_has_the_same_key) {
  auto a = digestMessage(digestSpec(), kLabels, account("u1", "oa1", true), 7);
  auto b = digestMessage(digestSpec(), kLabels, account("u1", "oa1", true), 7);
  auto other = digestMessage(digestSpec(), kLabels, account("u1", "oa1", true), 8);
  BOOST_TEST(a->idempotencyKey == b->idempotencyKey);
  BOOST_TEST(a->idempotencyKey != other->idempotencyKey);
}

BOOST_AUTO_TEST_CASE(payload_round_trips_and_client_msg_id_is_derived_from_the_row) {
  TemplateMessage m{"oa1", "T", "", MiniProgramLink{"wxmp", "pages/a?b=1"}, "", {{"k", "v"}}};
  TemplateMessage back = decodeTemplatePayload(encodeTemplatePayload(m), "oa1");
  BOOST_TEST(back.templateId == "T");
  BOOST_TEST(back.miniprogram->pagepath == "pages/a?b=1");
  BOOST_TEST(back.data.at("k") == "v");
  BOOST_TEST(clientMsgIdFor(12, 1700000000000) == "wxb-12-1700000000000");
  BOOST_CHECK_THROW(decodeTemplatePayload("{\"data\":{}}", "oa1"), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(a_scheduled_run_is_named_after_its_fire_time) {
  auto expr = CronExpr::parse("0 9 * * *").value();
  const date::time_zone* shanghai = date::locate_zone("Asia/Shanghai");
  int64_t fire = utcMs(2026, 11, 21, 1, 0);  // 09:00 in Shanghai
  BOOST_TEST(*lastFireAtOrBefore(expr, shanghai, fire, 300'000) == fire);
  BOOST_TEST(*lastFireAtOrBefore(expr, shanghai, fire + 2'500, 300'000) == fire);
  BOOST_TEST(!lastFireAtOrBefore(expr, shanghai, fire + 400'000, 300'000).has_value());
  BOOST_TEST(!lastFireAtOrBefore(expr, shanghai, fire - 1, 300'000).has_value());
  BOOST_TEST(scheduledRunKey(fire) == "cron:" + std::to_string(fire));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb
