// Channels against the real fake-wechat and a real store, with the sender in this process on a
// clock the test drives: "auto" reaches a follower by OA template and a non-follower holding a
// grant by MP subscribe message; a user no channel reaches ends no_channel with the reasons;
// 43101 zeroes the ledger and falls back; refunds after a send the platform refused; a 45009
// pause makes the lower send classes wait longer; a nearly spent budget holds the digest class.
#include <sys/wait.h>

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <latch>
#include <set>
#include <thread>

#include "integration/notify_env.h"
#include "notify/messages.h"
#include "notify/subscribe_values.h"
#include "support/eventually.h"
#include "support/subscribe_value_cases.h"
#include "support/test_store.h"
#include "support/wxbridge_process.h"
#include "wechat/china_day.h"

namespace wxb::test {

namespace {

Pattern pattern(const std::string& text) { return parsePattern(text).value(); }

// "order": an OA template message with an MP subscribe variant.
NotifySettings orderSettings(const std::string& mpPage = "pages/order/detail",
                             const std::string& mpTemplate = "TPL_ORDER_MP") {
  TemplateSpec oa{"order", "TPL_ORDER_OA", MiniProgramLink{"wxfakemp", "pages/order/index"}, {}};
  oa.data = {{"keyword1", pattern("{{params.item}}")}};
  TemplateSpec mp{"order", mpTemplate, std::nullopt, {}};
  mp.channel = Channel::MpSubscribe;
  mp.page = mpPage;
  mp.data = {{"thing1", pattern("{{params.item}}")}, {"amount2", pattern("{{params.amount}}")}};
  oa.variants = {mp};
  NotifySettings settings;
  settings.templates["order"] = oa;
  return settings;
}

// `settings` plus "digest": an OA template message sent with the digest class.
NotifySettings withDigestClass(NotifySettings settings) {
  TemplateSpec digest{"digest", "TPL_DIGEST", std::nullopt, {}};
  digest.data = {{"keyword1", pattern("{{params.item}}")}};
  digest.priority = SendClass::Digest;
  settings.templates["digest"] = digest;
  return settings;
}

struct ChannelRig {
  NotifyEnv env;
  NotifySettings notify;
  InProcessSender rig;
  std::string mpUnionid = "uNonFollower";
  std::string mpOpenid = "mpNonFollower";

  ChannelRig(const std::string& backend, NotifySettings settings, SenderSettings sender = {},
             std::vector<std::string> fakeArgs = {})
      : env(backend, 2, std::move(fakeArgs)), notify(std::move(settings)), rig(env, sender) {
    env.store().accounts().recordMpUser(mpOpenid, mpUnionid);
  }

  int64_t submit(const std::string& key, const std::string& unionid,
                 const std::string& channel = "auto", const std::string& templateName = "order",
                 const std::string& amount = "12.50") {
    DirectMessage m{
        key, unionid, templateName, {{"item", "Blue kettle"}, {"amount", amount}}, channel};
    auto result = submitDirectMessage(env.store().accounts(), env.store().notifications(), notify,
                                      m, rig.clock.nowMs(), rig.clock.nowMs());
    if (!result) throw std::runtime_error(result.error().field + ": " + result.error().problem);
    return result->id;
  }
  // Grants in the fake's book and in the ledger.
  void grant(int inFake, int inLedger) {
    if (inFake > 0) {
      env.fake().postJson(
          "/__fake/grants",
          {{"mp_openid", mpOpenid}, {"template_id", "TPL_ORDER_MP"}, {"count", inFake}});
    }
    env.store().subscriptions().change(
        "mp", mpOpenid, "TPL_ORDER_MP", [&](GrantRecord& r) { r.grants += inLedger; }, 1'000);
  }
  int64_t ledger() { return env.store().subscriptions().grants("mp", mpOpenid, "TPL_ORDER_MP"); }
  OutboxMessage message(int64_t id) { return *env.store().notifications().message(id); }
  void drainOnce() {
    while (rig.sender.runOnce() > 0) {
    }
  }
};

}  // namespace

// The world of the tests with `serve` processes: the order template (OA template plus MP
// subscribe variant, auto in notify.channels order), the secrets in this process's environment
// (unset again when it ends), non-followers known by their MP openid.
struct ServeWorld {
  NotifyEnv& env;
  std::vector<std::string> sets;

  explicit ServeWorld(NotifyEnv& e, std::vector<std::string> extra = {}) : env(e) {
    for (const auto& [name, value] : env.secrets()) setenv(name.c_str(), value.c_str(), 1);
    std::vector<std::string> keys = {
        "templates.order.template_id=TPL_ORDER_OA",
        "templates.order.data.keyword1={{params.item}}",
        "templates.order.variants.mp_subscribe.template_id=TPL_ORDER_MP",
        "templates.order.variants.mp_subscribe.page=pages/order/detail",
        "templates.order.variants.mp_subscribe.data.thing1={{params.item}}",
        "notify.channels=oa_template, mp_subscribe"};
    keys.insert(keys.end(), extra.begin(), extra.end());
    sets = env.sets(keys);
  }
  ~ServeWorld() {
    for (const auto& [name, value] : env.secrets()) unsetenv(name.c_str());
  }

  // An MP user "u_<mpOpenid>" following no OA; the fake holds `inFake` grants of TPL_ORDER_MP.
  void nonFollower(const std::string& mpOpenid, int inFake) {
    env.store().accounts().recordMpUser(mpOpenid, "u_" + mpOpenid);
    env.fake().postJson(
        "/__fake/grants",
        {{"mp_openid", mpOpenid}, {"template_id", "TPL_ORDER_MP"}, {"count", inFake}});
  }
  // A message of the order template with "auto", put into the outbox directly (so that a serve
  // started afterwards finds it due at once); its id. The ledger gets one grant for it.
  int64_t enqueued(const std::string& key, const std::string& mpOpenid) {
    env.store().subscriptions().change(
        kMpBook, mpOpenid, "TPL_ORDER_MP", [](GrantRecord& r) { r.grants += 1; }, 1'000);
    const int64_t now = SystemClock().nowMs();
    DirectMessage m{
        key, "u_" + mpOpenid, "order", {{"item", "Kettle"}, {"amount", "12.50"}}, "auto"};
    auto r = submitDirectMessage(env.store().accounts(), env.store().notifications(),
                                 orderSettings(), m, now, now);
    if (!r) throw std::runtime_error(r.error().field + ": " + r.error().problem);
    return r->id;
  }
  // One accept of TPL_ORDER_MP reported through `serve`: one grant in the ledger.
  void accept(const WxbridgeServe& serve, const std::string& mpOpenid) {
    auto r =
        serve.call("POST", "/v1/subscriptions",
                   R"({"mp_openid":")" + mpOpenid + R"(","results":{"TPL_ORDER_MP":"accept"}})");
    if (r.status != 200) throw std::runtime_error("report refused: " + r.body);
  }
  // POST /v1/messages of the order template with "auto"; the message id.
  int64_t post(const WxbridgeServe& serve, const std::string& key, const std::string& unionid) {
    auto r = serve.call("POST", "/v1/messages",
                        R"({"idempotency_key":")" + key + R"(","unionid":")" + unionid +
                            R"(","template":"order","channel":"auto","params":{"item":"Kettle"}})");
    if (r.status != 202) throw std::runtime_error("message refused: " + r.body);
    return nlohmann::json::parse(r.body)["message_id"];
  }
  // "state/channel" of a message as GET /v1/messages/{id} shows it (channel as JSON).
  std::string outcome(const WxbridgeServe& serve, int64_t id) {
    auto m = nlohmann::json::parse(serve.call("GET", "/v1/messages/" + std::to_string(id)).body);
    return m["state"].get<std::string>() + "/" + m["channel"].dump();
  }
  // A serve armed with the test hook WXB_FAILPOINT=moment.
  std::unique_ptr<WxbridgeServe> armed(const char* moment) {
    setenv("WXB_FAILPOINT", moment, 1);
    auto serve = std::make_unique<WxbridgeServe>(sets);
    unsetenv("WXB_FAILPOINT");
    return serve;
  }
  // Waits until `serve` ended by itself, and whether it did so by the hook (exit status 137).
  static bool diedByHook(WxbridgeServe& serve) {
    const std::string stat = "/proc/" + std::to_string(serve.pid()) + "/stat";
    waitUntil(
        [&] {
          std::ifstream in(stat);
          std::string pid, name, state;
          return !(in >> pid >> name >> state) || state == "Z";
        },
        15'000, "serve ending at its failpoint", 20);
    const int status = serve.stop();
    return WIFEXITED(status) && WEXITSTATUS(status) == 137;
  }
};

BOOST_AUTO_TEST_SUITE(channels)

BOOST_DATA_TEST_CASE(auto_reaches_a_follower_by_template_and_a_non_follower_by_subscribe_message,
                     boost::unit_test::data::make(kBackends), backend) {
  ChannelRig t(backend, orderSettings());
  t.grant(1, 1);
  int64_t follower = t.submit("f", t.env.followers()[0].unionid);
  int64_t other = t.submit("n", t.mpUnionid);
  t.drainOnce();
  OutboxMessage a = t.message(follower);
  OutboxMessage b = t.message(other);
  BOOST_TEST(outboxStateName(a.state) == "sent");
  BOOST_TEST(a.channel == "oa_template");
  BOOST_TEST(outboxStateName(b.state) == "sent", b.error);
  BOOST_TEST(b.channel == "mp_subscribe");
  auto templates = t.env.deliveries("template");
  BOOST_REQUIRE(templates.size() == 1u);
  BOOST_TEST(templates[0]["body"]["touser"] == t.env.followers()[0].openid);
  auto subscribes = t.env.deliveries("subscribe");
  BOOST_REQUIRE(subscribes.size() == 1u);
  BOOST_TEST(subscribes[0]["body"]["touser"] == t.mpOpenid);
  BOOST_TEST(subscribes[0]["body"]["page"] == "pages/order/detail");
  BOOST_TEST(subscribes[0]["body"]["data"]["amount2"]["value"] == "12.50");
  BOOST_TEST(t.ledger() == 0);
}

BOOST_AUTO_TEST_CASE(a_user_no_channel_reaches_ends_no_channel_with_each_reason) {
  ChannelRig t("sqlite", orderSettings());
  int64_t id = t.submit("n", t.mpUnionid);
  t.drainOnce();
  OutboxMessage m = t.message(id);
  BOOST_TEST(outboxStateName(m.state) == "no_channel");
  BOOST_TEST(m.error.find("oa_template: no OA openid is known") != std::string::npos, m.error);
  BOOST_TEST(m.error.find("mp_subscribe: holds no grant") != std::string::npos, m.error);
  BOOST_TEST(t.env.fake().getNdjson("/__fake/messages").empty());
}

BOOST_AUTO_TEST_CASE(a_template_message_to_a_non_follower_ends_no_channel_not_silently) {
  ChannelRig t("sqlite", orderSettings());
  int64_t id = t.submit("n", t.mpUnionid, "oa_template");
  t.drainOnce();
  BOOST_TEST(outboxStateName(t.message(id).state) == "no_channel");
}

// A block (TEMPLATESENDJOBFINISH "failed:user block", recorded by the callback receiver as the
// account refusing template messages) stops oa_template even for messages enqueued before it:
// "auto" falls back to the MP subscribe message, an oa_template message ends no_channel naming
// the block, and nothing reaches template/send.
BOOST_DATA_TEST_CASE(a_block_keeps_queued_messages_off_oa_template,
                     boost::unit_test::data::make(kBackends), backend) {
  ChannelRig t(backend, orderSettings());
  const Follower& f = t.env.followers()[0];
  const std::string mpOpenid = "mpBlockingFollower";
  t.env.store().accounts().recordMpUser(mpOpenid, f.unionid);
  t.env.fake().postJson("/__fake/grants",
                        {{"mp_openid", mpOpenid}, {"template_id", "TPL_ORDER_MP"}, {"count", 1}});
  t.env.store().subscriptions().change(
      kMpBook, mpOpenid, "TPL_ORDER_MP", [](GrantRecord& r) { r.grants = 1; }, 1'000);
  int64_t fixed = t.submit("fixed", f.unionid, "oa_template");  // queued while following
  int64_t fallback = t.submit("auto", f.unionid);
  BOOST_TEST(t.message(fixed).touser == f.openid);
  PushEffects block;
  block.openid = f.openid;
  block.receipt =
      DeliveryReceipt{77, TemplateDelivery::Blocked, "failed:user block", t.rig.clock.nowMs()};
  block.refusesTemplates = true;
  block.atMs = t.rig.clock.nowMs();
  t.env.store().callback().record(std::string(64, 'b'), "TEMPLATESENDJOBFINISH", block,
                                  t.rig.clock.nowMs());
  t.drainOnce();
  OutboxMessage a = t.message(fixed);
  BOOST_TEST(outboxStateName(a.state) == "no_channel");
  BOOST_TEST(a.error.find("blocked the OA's template messages") != std::string::npos, a.error);
  OutboxMessage b = t.message(fallback);
  BOOST_TEST(outboxStateName(b.state) == "sent", b.error);
  BOOST_TEST(b.channel == "mp_subscribe");
  BOOST_TEST(t.env.deliveries("template").empty());
  BOOST_TEST(t.env.deliveries("subscribe").size() == 1u);
}

BOOST_DATA_TEST_CASE(a_43101_zeroes_the_ledger_and_auto_falls_back_to_the_template,
                     boost::unit_test::data::make(kBackends), backend) {
  NotifySettings settings = orderSettings();
  settings.channelOrder = {Channel::MpSubscribe, Channel::OaTemplate};
  ChannelRig t(backend, settings);
  // The ledger believes in 3 grants the platform no longer holds (spent elsewhere).
  const Follower& f = t.env.followers()[1];
  t.env.store().accounts().recordMpUser("mpFollower", f.unionid);
  t.env.store().subscriptions().change(
      "mp", "mpFollower", "TPL_ORDER_MP", [](GrantRecord& r) { r.grants = 3; }, 1'000);
  int64_t id = t.submit("f", f.unionid);
  t.drainOnce();
  OutboxMessage m = t.message(id);
  BOOST_TEST(outboxStateName(m.state) == "sent", m.error);
  BOOST_TEST(m.channel == "oa_template");
  BOOST_TEST(t.env.store().subscriptions().grants("mp", "mpFollower", "TPL_ORDER_MP") == 0);
  BOOST_TEST(t.env.fake().stats()["errcodes"].value("43101", 0) == 1);
  BOOST_TEST(t.env.deliveries("template").size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_43101_without_auto_fails_and_zeroes_the_ledger) {
  ChannelRig t("sqlite", orderSettings());
  t.grant(0, 2);
  int64_t id = t.submit("n", t.mpUnionid, "mp_subscribe");
  t.drainOnce();
  OutboxMessage m = t.message(id);
  BOOST_TEST(outboxStateName(m.state) == "failed");
  BOOST_TEST(m.errcode == 43101);
  BOOST_TEST(t.ledger() == 0);
}

BOOST_DATA_TEST_CASE(a_send_the_platform_refused_gives_the_grant_back,
                     boost::unit_test::data::make(kBackends), backend) {
  // 41030: a page the platform refuses; 40037: a template id it does not know.
  for (auto [page, templateId, errcode] : {std::tuple{"pages/../secret", "TPL_ORDER_MP", 41030},
                                           std::tuple{"pages/order/detail", "bad_TPL", 40037}}) {
    BOOST_TEST_CONTEXT(errcode) {
      ChannelRig t(backend, orderSettings(page, templateId));
      t.env.store().subscriptions().change(
          "mp", t.mpOpenid, templateId, [](GrantRecord& r) { r.grants = 1; }, 1'000);
      int64_t id = t.submit("n", t.mpUnionid, "mp_subscribe");
      t.drainOnce();
      OutboxMessage m = t.message(id);
      BOOST_TEST(outboxStateName(m.state) == "failed");
      BOOST_TEST(m.errcode == errcode);
      BOOST_TEST(t.env.store().subscriptions().grants("mp", t.mpOpenid, templateId) == 1);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_value_the_fake_would_refuse_is_a_400_at_intake_naming_the_param) {
  ChannelRig t("sqlite", orderSettings());
  try {
    t.submit("n", t.mpUnionid, "auto", "order", "twelve");
    BOOST_FAIL("accepted an amount the platform refuses");
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    BOOST_TEST(what.starts_with("params.amount: "), what);
    BOOST_TEST(what.find("amount2") != std::string::npos, what);
  }
  BOOST_TEST(t.env.store().notifications().depthByState().empty());
}

BOOST_AUTO_TEST_CASE(after_a_45009_pause_higher_classes_resume_first) {
  NotifySettings settings = withDigestClass(orderSettings());
  SenderSettings sender;
  ChannelRig t("sqlite", settings, sender, {"--quota", "template_send=1"});
  const std::string u = t.env.followers()[0].unionid;
  t.submit("first", u, "oa_template");
  t.drainOnce();  // the day's quota of 1
  int64_t low = t.submit("d1", u, "", "digest");
  int64_t high = t.submit("second", u, "oa_template");
  t.drainOnce();  // the direct one meets 45009: the channel pauses until midnight
  const int64_t midnight = nextChinaMidnightMs(kAfternoonMs);
  BOOST_TEST(t.env.fake().stats()["errcodes"].value("45009", 0) == 1);
  BOOST_TEST(t.message(high).dueAtMs.value_or(0) == midnight);
  BOOST_TEST(t.message(low).dueAtMs.value_or(0) == midnight + 3 * kResumeStaggerMs);
  BOOST_TEST(t.message(low).sendClass == 3);
  int64_t fakeNow = t.env.fake().getJson("/__fake/health")["now"];
  t.env.fake().postJson("/__fake/advance-clock",
                        {{"seconds", nextChinaMidnightMs(fakeNow * 1000) / 1000 - fakeNow + 1}});
  t.rig.clock.set(midnight + 1'000);
  t.env.fake().postJson("/__fake/config", {{"quota", {{"template_send", 10}}}});
  t.drainOnce();
  BOOST_TEST(outboxStateName(t.message(high).state) == "sent");
  BOOST_TEST(outboxStateName(t.message(low).state) == "pending");
  t.rig.clock.set(midnight + 3 * kResumeStaggerMs);
  t.drainOnce();
  BOOST_TEST(outboxStateName(t.message(low).state) == "sent");
}

// A 45009 whose pause cannot be written to the store: the pause holds here (the next refresh
// writes it) and the message goes back to the queue with its grant given back, as for any 45009
// - not left claimed to end unknown with its grant spent.
BOOST_DATA_TEST_CASE(a_45009_whose_pause_write_fails_still_puts_the_message_back_with_its_grant,
                     boost::unit_test::data::make(kBackends), backend) {
  ChannelRig t(backend, orderSettings(), {}, {"--quota", "subscribe_send=0"});
  t.grant(1, 1);
  int64_t id = t.submit("paused", t.mpUnionid, "mp_subscribe");
  execSql(t.env.storeSettings(), "ALTER TABLE send_pauses RENAME TO send_pauses_away");
  t.drainOnce();
  execSql(t.env.storeSettings(), "ALTER TABLE send_pauses_away RENAME TO send_pauses");
  BOOST_TEST(t.env.fake().stats()["errcodes"].value("45009", 0) == 1);
  OutboxMessage m = t.message(id);
  BOOST_TEST(outboxStateName(m.state) == "pending", m.error);
  BOOST_TEST(m.dueAtMs.value_or(0) == nextChinaMidnightMs(kAfternoonMs));
  BOOST_TEST(t.ledger() == 1);
}

BOOST_AUTO_TEST_CASE(a_nearly_spent_budget_holds_the_digest_class_but_not_direct_messages) {
  NotifySettings settings = withDigestClass(orderSettings());
  SenderSettings sender;
  sender.dailyBudget[static_cast<size_t>(Channel::OaTemplate)] = 10;
  ChannelRig t("sqlite", settings, sender);
  t.env.store().notifications().countSends(chinaDay(kAfternoonMs), {{"oa_template", 9}});
  t.rig.sender.housekeepOnce();  // reads the count every instance shares
  const std::string u = t.env.followers()[0].unionid;
  int64_t low = t.submit("d1", u, "", "digest");
  int64_t high = t.submit("direct", u, "oa_template");
  t.drainOnce();
  BOOST_TEST(outboxStateName(t.message(high).state) == "sent");
  OutboxMessage waiting = t.message(low);
  BOOST_TEST(outboxStateName(waiting.state) == "pending");
  BOOST_TEST(waiting.dueAtMs.value_or(0) == nextChinaMidnightMs(kAfternoonMs));
}

// Every case of the shared value table through the intake and out to the fake, whose rules are
// its own: refused values are a 400 naming the param and the rule; the others reach the platform
// as the table says (cut things included) and the fake accepts them.
BOOST_AUTO_TEST_CASE(each_value_rule_at_intake_agrees_with_the_fake) {
  NotifySettings settings;
  std::set<std::string> keys;
  for (const auto& c : subscribeValueCases()) keys.insert(c.key);
  for (const auto& key : keys) {
    TemplateSpec spec{"v_" + key, "tmpl_" + key, std::nullopt, {{key, pattern("{{params.v}}")}}};
    spec.channel = Channel::MpSubscribe;
    settings.templates[spec.name] = spec;
  }
  ChannelRig t("sqlite", settings);
  for (const auto& key : keys) {
    t.env.fake().postJson(
        "/__fake/grants",
        {{"mp_openid", t.mpOpenid}, {"template_id", "tmpl_" + key}, {"count", 100}});
    t.env.store().subscriptions().change(
        "mp", t.mpOpenid, "tmpl_" + key, [](GrantRecord& r) { r.grants = 100; }, 1'000);
  }
  std::map<int64_t, std::string> expected;  // message id -> the value the fake must show
  int n = 0;
  for (const auto& c : subscribeValueCases()) {
    BOOST_TEST_CONTEXT(c.key << " = '" << c.input << "'") {
      DirectMessage m{
          "case" + std::to_string(n++), t.mpUnionid, "v_" + c.key, {{"v", c.input}}, ""};
      auto r = submitDirectMessage(t.env.store().accounts(), t.env.store().notifications(),
                                   t.notify, m, t.rig.clock.nowMs(), t.rig.clock.nowMs());
      if (c.outcome == SubscribeValueCase::Outcome::Refused) {
        BOOST_TEST_REQUIRE(!r.has_value());
        BOOST_TEST(r.error().field == "params.v");
        BOOST_TEST(r.error().problem.find(std::string(valueTypeName(*subscribeKeyType(c.key)))) !=
                       std::string::npos,
                   r.error().problem);
        continue;
      }
      BOOST_TEST_REQUIRE(r.has_value(), (r ? "" : r.error().field + ": " + r.error().problem));
      expected[r->id] = c.sent;
    }
  }
  t.drainOnce();
  auto delivered = t.env.deliveries("subscribe");
  BOOST_TEST(delivered.size() == expected.size());
  for (const auto& [id, value] : expected) {
    OutboxMessage m = t.message(id);
    BOOST_TEST_CONTEXT(m.templateName << " = '" << value << "'") {
      BOOST_TEST(outboxStateName(m.state) == "sent", m.error);
    }
  }
  std::multiset<std::string> shown, wanted;
  for (const auto& d : delivered) {
    for (const auto& [key, field] : d["body"]["data"].items()) shown.insert(field["value"]);
  }
  for (const auto& [id, value] : expected) wanted.insert(value);
  BOOST_TEST((shown == wanted));
}

// Two serve processes on one MariaDB, each user holding one grant in the ledger (the fake holds
// two, so a grant spent twice would show as a second delivery), two messages per user posted at
// the same moment, one through each serve, so that both are claimed - one per worker: notify.qps
// keeps claims to one message - and race for the last grant: for every user exactly one is sent
// by mp_subscribe and the other ends no_channel.
BOOST_AUTO_TEST_CASE(two_instances_racing_for_the_last_grant_spend_it_once) {
  constexpr int kUsers = 8;
  NotifyEnv env("mysql", 2);
  ServeWorld world(env, {"notify.qps=16"});
  for (int u = 0; u < kUsers; ++u) world.nonFollower("mpRacer" + std::to_string(u), 2);
  WxbridgeServe a(world.sets);
  WxbridgeServe b(world.sets);
  for (int u = 0; u < kUsers; ++u) world.accept(a, "mpRacer" + std::to_string(u));
  std::vector<int64_t> ids(2 * kUsers);
  std::latch go(2 * kUsers);
  std::vector<std::thread> posters;
  for (int i = 0; i < 2 * kUsers; ++i) {
    posters.emplace_back([&, i] {
      go.arrive_and_wait();
      ids[i] =
          world.post(i % 2 ? b : a, "k" + std::to_string(i), "u_mpRacer" + std::to_string(i / 2));
    });
  }
  for (auto& t : posters) t.join();
  std::vector<std::string> outcomes;
  waitUntil(
      [&] {
        outcomes.clear();
        for (int64_t id : ids) outcomes.push_back(world.outcome(a, id));
        return std::none_of(outcomes.begin(), outcomes.end(), [](const std::string& o) {
          return o.starts_with("pending") || o.starts_with("sending");
        });
      },
      30'000, "every message final", 50);
  for (int u = 0; u < kUsers; ++u) {
    BOOST_TEST_CONTEXT("user " << u) {
      std::multiset<std::string> pair = {outcomes[2 * u], outcomes[2 * u + 1]};
      BOOST_TEST(
          (pair == std::multiset<std::string>{R"(no_channel/null)", R"(sent/"mp_subscribe")"}));
      BOOST_TEST(env.store().subscriptions().grants("mp", "mpRacer" + std::to_string(u),
                                                    "TPL_ORDER_MP") == 0);
    }
  }
  auto byUser = deliveriesByUser(env.deliveries("subscribe"));
  BOOST_TEST(byUser.size() == size_t{kUsers});
  for (const auto& [touser, n] : byUser) BOOST_TEST(n == 1, touser);
}

// kill -9 after a subscribe message's grant was spent and before its platform call (the test
// hook send_after_grant_taken, docs/reliability.md "Test hooks"), every time: the restarted
// serve finds the claim without its call-started mark, puts the message back to pending with
// the grant given back, and sends it once. (Before, it stayed unknown for good with the grant
// spent, never sent.)
BOOST_DATA_TEST_CASE(a_crash_between_the_spent_grant_and_the_call_sends_the_message_once,
                     boost::unit_test::data::make(kBackends), backend) {
  NotifyEnv env(backend, 2);
  ServeWorld world(env);
  world.nonFollower("mpCrash", 1);  // the fake holds one: a second send would be 43101
  int64_t id = 0;
  {
    id = world.enqueued("crash-1", "mpCrash");
    auto armed = world.armed(SenderSettings::kAfterGrantTaken);
    BOOST_TEST(world.diedByHook(*armed));
  }
  auto left = env.store().notifications().message(id);
  BOOST_TEST(outboxStateName(left->state) == "sending");
  BOOST_TEST(left->channel == "mp_subscribe");
  BOOST_TEST(env.store().subscriptions().grants("mp", "mpCrash", "TPL_ORDER_MP") == 0);
  BOOST_TEST(env.deliveries("subscribe").empty());
  WxbridgeServe restarted(world.sets);
  waitUntil([&] { return world.outcome(restarted, id) == R"(sent/"mp_subscribe")"; }, 30'000,
            "the message sent after the restart", 100);
  BOOST_TEST(env.deliveries("subscribe").size() == 1u);
  BOOST_TEST(env.store().subscriptions().grants("mp", "mpCrash", "TPL_ORDER_MP") == 0);
  BOOST_TEST(env.fake().stats()["errcodes"].value("43101", 0) == 0);
}

// kill -9 after the call-started mark (send_after_call_started): the platform may have been
// called, and a subscribe message has no client_msg_id, so the restarted serve leaves it
// unknown for good, its grant spent, and never sends it - what GET /v1/messages/{id} shows the
// operator (docs/channels.md "When a sender dies").
BOOST_DATA_TEST_CASE(a_crash_after_the_call_started_leaves_the_message_unknown_and_unsent,
                     boost::unit_test::data::make(kBackends), backend) {
  NotifyEnv env(backend, 2);
  ServeWorld world(env);
  world.nonFollower("mpCrash", 2);
  int64_t id = 0;
  {
    id = world.enqueued("crash-2", "mpCrash");
    auto armed = world.armed(SenderSettings::kAfterCallStarted);
    BOOST_TEST(world.diedByHook(*armed));
  }
  WxbridgeServe restarted(world.sets);
  waitUntil([&] { return world.outcome(restarted, id) == R"(unknown/"mp_subscribe")"; }, 30'000,
            "the message unknown after the restart", 100);
  auto shown =
      nlohmann::json::parse(restarted.call("GET", "/v1/messages/" + std::to_string(id)).body);
  BOOST_TEST(std::string(shown["error"]).find("never resent") != std::string::npos, shown.dump());
  std::this_thread::sleep_for(std::chrono::milliseconds(1'500));  // nothing more happens
  BOOST_TEST(world.outcome(restarted, id) == R"(unknown/"mp_subscribe")");
  BOOST_TEST(env.deliveries("subscribe").empty());
  BOOST_TEST(env.store().subscriptions().grants("mp", "mpCrash", "TPL_ORDER_MP") == 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
