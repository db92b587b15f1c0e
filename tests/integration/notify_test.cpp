// Notifications against the real fake-wechat and a real store: the digest reaches every
// following account exactly once with the configured content and link (the fake's delivery log
// is the proof), nothing goes to non-followers, 43004 unsubscribes, 45009 pauses template sends
// until the quota resets and they resume by themselves, and the /v1/events and /v1/messages API.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <thread>

#include "integration/notify_env.h"
#include "notify/outbox_payload.h"
#include "notify/outbox_sender.h"
#include "store/notifications/notifications.h"
#include "store/open_store.h"
#include "support/eventually.h"
#include "support/platform_clients.h"
#include "support/run_command.h"
#include "support/test_store.h"
#include "support/wechat_client_fixtures.h"
#include "support/wxbridge_process.h"
#include "wechat/china_day.h"
#include "wechat/token_service.h"

namespace wxb::test {

namespace {

NewMessage note(const std::string& key, const std::string& openid) {
  TemplateMessage m{openid, "TPL_NOTE", "", MiniProgramLink{"wxfakemp", "pages/a"}, "", {}};
  m.data["thing1"] = key;
  return NewMessage{key, "u-" + key, openid, "note", encodeTemplatePayload(m), 0};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(notify)

BOOST_AUTO_TEST_CASE(digest_reaches_every_follower_once_with_the_link_and_configured_content) {
  NotifyEnv env("sqlite", 30);
  env.addEvents(0, 24);
  // Five of them unfollowed (known to the store), two others have events but no account.
  for (size_t i = 0; i < 5; ++i)
    env.store().accounts().setSubscribed(env.followers()[i].openid, false, 2'000);
  env.store().notifications().addEvent({"x1", "unknownUnion1", "chat", "", "", 1});
  env.store().notifications().addEvent({"x2", "unknownUnion2", "chat", "", "", 1});
  auto result = runWxbridge(env.commandArgs({"digest"}), env.secrets());
  BOOST_TEST_REQUIRE(result.exitCode == 0, result.err);
  auto summary = lastJsonLine(result.out);
  BOOST_TEST(summary["accounts"] == 26);
  BOOST_TEST(summary["enqueued"] == 19);
  BOOST_TEST(summary["skipped_not_following"] == 7);
  BOOST_TEST(summary["sent"] == 19);
  BOOST_TEST(summary["pending"] == 0);
  auto deliveries = env.deliveries();
  auto byUser = deliveriesByUser(deliveries);
  BOOST_TEST(deliveries.size() == 19u);
  for (size_t i = 0; i < env.followers().size(); ++i) {
    BOOST_TEST_CONTEXT("follower " << i) {
      BOOST_TEST(byUser[env.followers()[i].openid] == (i >= 5 && i < 24 ? 1 : 0));
    }
  }
  for (const auto& d : deliveries) {
    BOOST_TEST(d["opens"]["miniprogram"]["appid"] == "wxfakemp");
    BOOST_TEST(d["opens"]["miniprogram"]["pagepath"] == "pages/inbox/index");
    BOOST_TEST(d["body"]["template_id"] == "TPL_DAILY");
    BOOST_TEST(d["shown"]["keyword1"] == "MyApp");
    BOOST_TEST(d["shown"]["keyword2"] == "chats: 2, invites: 1");
    BOOST_TEST(d["shown"]["keyword3"] == "Bob: join the trip");
    BOOST_TEST(d["folded"].empty());
  }
}

BOOST_AUTO_TEST_CASE(a_dry_run_sends_nothing_and_shows_a_sample) {
  NotifyEnv env("sqlite", 5);
  env.addEvents(0, 5, 9);
  auto result = runWxbridge(env.commandArgs({"digest", "--dry-run"}), env.secrets());
  BOOST_TEST_REQUIRE(result.exitCode == 0, result.err);
  auto summary = lastJsonLine(result.out);
  BOOST_TEST(summary["messages"] == 5);
  BOOST_TEST(summary["sample"]["data"]["keyword2"] == "chats: 9, invites: 1");
  BOOST_TEST(env.deliveries().empty());
  BOOST_TEST(env.store().notifications().depthByState().empty());
}

BOOST_AUTO_TEST_CASE(a_user_who_unfollowed_is_marked_unsubscribed_and_the_message_fails) {
  NotifyEnv env("sqlite", 3);
  env.addEvents(0, 3);
  const Follower& gone = env.followers()[1];
  env.fake().postJson("/__fake/followers", {{"remove", {gone.openid}}});
  auto result = runWxbridge(env.commandArgs({"digest"}), env.secrets());
  BOOST_TEST_REQUIRE(result.exitCode == 0, result.err);
  auto summary = lastJsonLine(result.out);
  BOOST_TEST(summary["sent"] == 2);
  BOOST_TEST(summary["failed"] == 1);
  BOOST_TEST(!env.store().accounts().findByUnionid(gone.unionid)->subscribed);
  BOOST_TEST(env.store().notifications().depthByState()[OutboxState::Failed] == 1);
  BOOST_TEST(deliveriesByUser(env.deliveries()).count(gone.openid) == 0u);
}

BOOST_AUTO_TEST_CASE(quota_45009_pauses_template_sends_until_midnight_then_they_resume) {
  NotifyEnv env("sqlite", 8, {"--quota", "template_send=3"});
  SenderSettings settings;
  settings.idleWaitMs = 50;
  InProcessSender rig(env, settings);
  ManualClock& clock = rig.clock;
  OutboxSender& sender = rig.sender;
  std::vector<NewMessage> messages;
  for (size_t i = 0; i < 8; ++i) {
    messages.push_back(note("m" + std::to_string(i), env.followers()[i].openid));
  }
  env.store().notifications().enqueueMany(messages, clock.nowMs());
  sender.start();
  auto other =
      openStore(env.storeSettings(), wallClock());  // the pause is shared through the store
  waitUntil(
      [&] {
        return other->notifications().sendsPausedUntil("oa_template", clock.nowMs()).has_value();
      },
      10'000, "the pause", 50);
  BOOST_TEST(*other->notifications().sendsPausedUntil("oa_template", clock.nowMs()) ==
             nextChinaMidnightMs(kAfternoonMs));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  BOOST_TEST(env.deliveries().size() == 3u);
  BOOST_TEST(env.fake().stats()["errcodes"].value("45009", 0) == 1);  // one refusal, then quiet
  BOOST_TEST(other->notifications().depthByState()[OutboxState::Pending] == 5);
  // Midnight passes for both sides: the platform's quota day and our clock.
  int64_t fakeNow = env.fake().getJson("/__fake/health")["now"];
  int64_t fakeMidnight = nextChinaMidnightMs(fakeNow * 1000) / 1000;
  env.fake().postJson("/__fake/advance-clock", {{"seconds", fakeMidnight - fakeNow + 1}});
  clock.set(nextChinaMidnightMs(kAfternoonMs) + 1'000);
  env.waitForDeliveries(6);
  sender.stop();
  auto byUser = deliveriesByUser(env.deliveries());
  BOOST_TEST(byUser.size() == 6u);  // 3 + the day's new quota of 3, each user once
  for (const auto& [user, n] : byUser) BOOST_TEST(n == 1);
  BOOST_TEST(other->notifications().depthByState()[OutboxState::Sent] == 6);
}

BOOST_AUTO_TEST_CASE(a_message_past_its_dedup_window_is_left_unknown_and_not_resent) {
  NotifyEnv env("sqlite", 1);
  InProcessSender rig(env, {});
  Notifications& notify = env.store().notifications();
  int64_t id = notify.enqueue(note("late", env.followers()[0].openid), rig.clock.nowMs()).id;
  // Its sender died during the call, and nobody resent it within the platform's window.
  notify.claim("dead-sender", 1, rig.clock.nowMs(), 5'000);
  rig.clock.advance(10 * 60'000);
  BOOST_TEST(notify.recoverStale(rig.clock.nowMs()) == 1);
  BOOST_TEST(rig.sender.runOnce() == 1);
  auto message = notify.message(id);
  BOOST_TEST((message->state == OutboxState::Unknown));
  BOOST_TEST(message->error.find("dedup window") != std::string::npos);
  BOOST_TEST(rig.sender.runOnce() == 0);
  BOOST_TEST(env.deliveries().empty());
}

BOOST_AUTO_TEST_CASE(events_and_direct_messages_through_the_api) {
  NotifyEnv env("sqlite", 2);
  for (const auto& [name, value] : env.secrets()) setenv(name.c_str(), value.c_str(), 1);
  WxbridgeServe serve(env.sets());
  const Follower& f = env.followers()[0];
  std::string event = R"({"event_id":"ev1","unionid":")" + f.unionid +
                      R"(","type":"chat","actor":"Ann","text":"hi"})";
  BOOST_TEST(serve.call("POST", "/v1/events", event).status == 202);
  BOOST_TEST(serve.call("POST", "/v1/events", event).status == 200);
  auto bad = serve.call("POST", "/v1/events", R"({"event_id":"e2","unionid":"u","type":"Chat"})");
  BOOST_TEST(bad.status == 400);
  BOOST_TEST(bad.body.find("type") != std::string::npos);
  BOOST_TEST(serve.call("POST", "/v1/events", R"({"unionid":"u","type":"chat"})").status == 400);
  std::string message = R"({"idempotency_key":"order-1","unionid":")" + f.unionid +
                        R"(","template":"note","params":{"title":"Order shipped"}})";
  auto first = serve.call("POST", "/v1/messages", message);
  BOOST_TEST_REQUIRE(first.status == 202, first.body);
  auto again = serve.call("POST", "/v1/messages", message);
  BOOST_TEST(again.status == 200);
  auto id = nlohmann::json::parse(first.body)["message_id"].get<int64_t>();
  BOOST_TEST(nlohmann::json::parse(again.body)["message_id"] == id);
  env.waitForDeliveries(1);
  nlohmann::json state;
  waitUntil(
      [&] {
        state = nlohmann::json::parse(serve.call("GET", "/v1/messages/" + std::to_string(id)).body);
        return state["state"] == "sent";
      },
      5'000, "the message state", 50);
  BOOST_TEST(state["attempts"] == 1);
  BOOST_TEST(state["msgid"] == std::to_string(env.deliveries()[0]["msgid"].get<int64_t>()));
  BOOST_TEST(env.deliveries()[0]["shown"]["thing1"] == "Order shipped");
  BOOST_TEST(env.deliveries()[0]["shown"]["number2"] == "1");  // the chat event is unread
  auto missing = serve.call("POST", "/v1/messages",
                            R"({"idempotency_key":"k2","unionid":"u","template":"note"})");
  BOOST_TEST(missing.status == 400);
  BOOST_TEST(missing.body.find("params.title") != std::string::npos);
  BOOST_TEST(serve.call("GET", "/v1/messages/999999").status == 404);
  auto read = serve.call("POST", "/v1/events:read", R"({"unionid":")" + f.unionid + R"("})");
  BOOST_TEST(nlohmann::json::parse(read.body)["marked_read"] == 1);
  BOOST_TEST(env.deliveries().size() == 1u);
}

// hostile-http.md H14: line breaks, tabs and U+2028 in free text are accepted and shown folded.
BOOST_DATA_TEST_CASE(h14_text_with_line_breaks_is_accepted_and_shown_as_spaces,
                     boost::unit_test::data::make(std::vector<std::string>{"sqlite", "mysql"}),
                     backend) {
  NotifyEnv env(backend, 2);
  for (const auto& [name, value] : env.secrets()) setenv(name.c_str(), value.c_str(), 1);
  WxbridgeServe serve(env.sets());
  const Follower& f0 = env.followers()[0];
  const Follower& f1 = env.followers()[1];
  auto event = [&](const std::string& id, const std::string& unionid, const std::string& actor,
                   const std::string& text) {
    return nlohmann::json{
        {"event_id", id}, {"unionid", unionid}, {"type", "chat"}, {"actor", actor}, {"text", text}}
        .dump();
  };
  int n = 0;
  for (const auto& [actor, text] : std::vector<std::pair<std::string, std::string>>{
           {"Ann", "see you\nat 8"}, {"Ann", "a\r\nb"}, {"A\tB", "x\u2028y"}}) {
    auto answer = serve.call("POST", "/v1/events",
                             event("h14-" + std::to_string(++n), f1.unionid, actor, text));
    BOOST_TEST(answer.status == 202, answer.body);
  }
  auto only = serve.call("POST", "/v1/events", event("h14-only", f0.unionid, "A\tB", "hi\nyo"));
  BOOST_TEST(only.status == 202, only.body);
  std::string message = nlohmann::json{{"idempotency_key", "h14"},
                                       {"unionid", f1.unionid},
                                       {"template", "note"},
                                       {"params", {{"title", "see you\nat 8"}}}}
                            .dump();
  auto sent = serve.call("POST", "/v1/messages", message);
  BOOST_TEST_REQUIRE(sent.status == 202, sent.body);
  env.waitForDeliveries(1);
  BOOST_TEST(env.deliveries()[0]["shown"]["thing1"] == "see you at 8");
  BOOST_TEST(env.deliveries()[0]["folded"].empty());  // no line break reached the platform
  auto digest = runWxbridge(env.commandArgs({"digest"}), env.secrets());
  BOOST_TEST_REQUIRE(digest.exitCode == 0, digest.err);
  env.waitForDeliveries(3);  // the note, then a digest each to f0 and f1 (serve delivers them)
  int digestsToF0 = 0;
  for (const auto& d : env.deliveries()) {
    if (d["body"]["touser"] != f0.openid || d["body"]["template_id"] != "TPL_DAILY") continue;
    ++digestsToF0;
    BOOST_TEST(d["shown"]["keyword3"] == "A B: hi yo");
    BOOST_TEST(d["folded"].empty());
  }
  BOOST_TEST(digestsToF0 == 1);
  // The limit still holds, and the message says which rule was broken.
  auto tooLong =
      serve.call("POST", "/v1/events", event("h14-long", f0.unionid, "Ann", std::string(257, 'x')));
  BOOST_TEST(tooLong.status == 400);
  BOOST_TEST(
      tooLong.body.find("text: must be at most 256 characters (got 257)") != std::string::npos,
      tooLong.body);
  auto badId = serve.call("POST", "/v1/events", event("ev\n1", f0.unionid, "Ann", "hi"));
  BOOST_TEST(badId.status == 400);
  BOOST_TEST(badId.body.find("event_id: must not contain control characters (U+000A at "
                             "character 3)") != std::string::npos,
             badId.body);
}

// hostile-http.md H15: a number as a message parameter is refused naming the field, as its
// JSON text is not kept and it could not be shown as sent; the same value as text is.
BOOST_AUTO_TEST_CASE(h15_numbers_as_message_params_are_refused_naming_the_field) {
  NotifyEnv env("sqlite", 1);
  for (const auto& [name, value] : env.secrets()) setenv(name.c_str(), value.c_str(), 1);
  WxbridgeServe serve(env.sets());
  const std::string u0 = env.followers()[0].unionid;
  for (const char* number : {"1.5e300", "123456789012345678901234567890", "3"}) {
    std::string body = R"({"idempotency_key":"h15-)" + std::string(number) + R"(","unionid":")" +
                       u0 + R"(","template":"note","params":{"title":)" + number + "}}";
    auto answer = serve.call("POST", "/v1/messages", body);
    BOOST_TEST(answer.status == 400, number);
    BOOST_TEST(answer.body.find("params.title: must be a string, got number") != std::string::npos,
               answer.body);
  }
  std::string asText = R"({"idempotency_key":"h15-text","unionid":")" + u0 +
                       R"(","template":"note","params":{"title":"1.5e300"}})";
  BOOST_TEST_REQUIRE(serve.call("POST", "/v1/messages", asText).status == 202);
  env.waitForDeliveries(1);
  BOOST_TEST(env.deliveries()[0]["shown"]["thing1"] == "1.5e300");
}

// hostile-http.md H16: an idempotency_key is 1-128 printable ASCII characters, space included.
BOOST_DATA_TEST_CASE(h16_an_idempotency_key_with_a_space_is_accepted,
                     boost::unit_test::data::make(std::vector<std::string>{"sqlite", "mysql"}),
                     backend) {
  NotifyEnv env(backend, 1);
  for (const auto& [name, value] : env.secrets()) setenv(name.c_str(), value.c_str(), 1);
  WxbridgeServe serve(env.sets());
  auto send = [&](const std::string& key) {
    return serve.call("POST", "/v1/messages",
                      nlohmann::json{{"idempotency_key", key},
                                     {"unionid", env.followers()[0].unionid},
                                     {"template", "note"},
                                     {"params", {{"title", "t"}}}}
                          .dump());
  };
  auto first = send("a b");
  BOOST_TEST_REQUIRE(first.status == 202, first.body);
  auto again = send("a b");
  BOOST_TEST(again.status == 200);
  BOOST_TEST(nlohmann::json::parse(again.body)["message_id"] ==
             nlohmann::json::parse(first.body)["message_id"]);
  BOOST_TEST(send("ab").status == 202);  // another key
  auto tab = send("a\tb");
  BOOST_TEST(tab.status == 400);
  BOOST_TEST(tab.body.find("idempotency_key: must be 1-128 printable ASCII characters (space to "
                           "~); byte 2 is not") != std::string::npos,
             tab.body);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
