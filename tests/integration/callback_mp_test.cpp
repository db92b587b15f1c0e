// The grant events end to end (issue #15): fake-wechat pushes the mini program's
// subscribe-message events (subscribe_msg_popup_event, subscribe_msg_change_event,
// subscribe_msg_sent_event; XML and JSON, plaintext and safe mode) to a real `wxbridge serve`
// at /wechat/callback/mp with the mini program's own token, EncodingAESKey and appid. With
// subscriptions.source = events they change the grant ledger - a push repeated three times
// counts once - and with source = client they are recorded but add no grant. The appid inside
// an encrypted push must be the mini program's; the OA's subscribe events change the OA's book.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>

#include "store/open_store.h"
#include "support/fake_wechat_process.h"
#include "support/test_store.h"
#include "support/wxbridge_process.h"

namespace wxb::test {

namespace {

const std::string kToken = "wxfaketoken";  // fake-wechat's defaults
const std::string kKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const std::string kMpOpenid = "oMpGrantUser0000000000000001";
const std::string kTemplate = "TPL_ORDER_MP";

int64_t nowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct GrantPushWorld {
  FakeWechatProcess fake{{"--followers", "1", "--unionid-ratio", "1"}};
  StoreSettings storeSettings;
  std::unique_ptr<Store> store;
  std::unique_ptr<WxbridgeServe> serve;

  GrantPushWorld(const std::string& backend, const std::string& source,
                 const std::vector<std::string>& extra = {})
      : storeSettings(freshStoreSettings(backend)), store(openStore(storeSettings, wallClock())) {
    store->migrate();
    setenv("WXBRIDGE_WECHAT_OA_SECRET", "oasecret", 1);
    setenv("WXBRIDGE_WECHAT_MP_SECRET", "mpsecret", 1);
    if (storeSettings.kind == StoreSettings::Kind::Mysql) {
      setenv("WXBRIDGE_STORE_PASSWORD", storeSettings.password.c_str(), 1);
    }
    std::vector<std::string> sets = {"store.url=" + storeUrl(storeSettings),
                                     "wechat.api_base=" + fake.baseUrl(),
                                     "wechat.oa.appid=wxfakeoa",
                                     "wechat.mp.appid=wxfakemp",
                                     "callback.token=" + kToken,
                                     "callback.mp.token=" + kToken,
                                     "callback.mp.aes_key=" + kKey,
                                     "callback.mp.encryption=compatible",
                                     "subscriptions.source=" + source};
    sets.insert(sets.end(), extra.begin(), extra.end());
    serve = std::make_unique<WxbridgeServe>(sets);
  }

  // fake-wechat pushes a subscribe-message event of the mini program to /wechat/callback/mp.
  nlohmann::json push(nlohmann::json body, const std::string& path = "/wechat/callback/mp") const {
    body["url"] = serve->baseUrl() + path;
    if (!body.contains("openid")) body["openid"] = kMpOpenid;
    return fake.postJson("/__fake/push", body);
  }
  nlohmann::json popup(const std::string& status, int64_t createTime, nlohmann::json more = {}) {
    nlohmann::json body = {{"event", "subscribe_msg_popup_event"},
                           {"create_time", createTime},
                           {"list", {{{"template_id", kTemplate}, {"status", status}}}}};
    for (auto& [key, value] : more.items()) body[key] = value;
    return push(body);
  }
  // The mini program's backend forwards the popup's accept (POST /v1/subscriptions).
  int report() const {
    nlohmann::json body = {{"mp_openid", kMpOpenid}, {"results", {{kTemplate, "accept"}}}};
    return serve->call("POST", "/v1/subscriptions", body.dump()).status;
  }
  // The ledger entry of kTemplate as GET /v1/subscriptions shows it (null when none).
  nlohmann::json entry() const {
    auto answer = serve->call("GET", "/v1/subscriptions/" + kMpOpenid);
    BOOST_REQUIRE(answer.status == 200);
    const auto ledger = nlohmann::json::parse(answer.body);  // outlives the loop
    for (const auto& t : ledger["templates"]) {
      if (t["template_id"] == kTemplate) return t;
    }
    return nullptr;
  }
  double pushes(const std::string& outcome) const {
    std::istringstream text(serve->get("/metrics"));
    double sum = 0;
    for (std::string line; std::getline(text, line);) {
      if (line.starts_with("wxbridge_callback_pushes_total{") &&
          line.find("outcome=\"" + outcome + "\"") != std::string::npos) {
        sum += std::stod(line.substr(line.rfind(' ') + 1));
      }
    }
    return sum;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(callback_mp)

BOOST_DATA_TEST_CASE(a_popup_accept_pushed_three_times_adds_one_grant_with_source_events,
                     boost::unit_test::data::make(kBackends), backend) {
  GrantPushWorld world(backend, "events");
  const int64_t at = nowSeconds();
  for (int i = 0; i < 3; ++i) {
    auto answer = world.popup("accept", at, {{"encrypt", true}});
    BOOST_TEST(answer["status"] == 200);
    BOOST_TEST(answer["body"] == "success");
  }
  BOOST_TEST(world.entry()["grants"] == 1);
  BOOST_TEST(world.entry()["last_result"] == "accept");
  BOOST_TEST(world.pushes("applied") == 1);
  BOOST_TEST(world.pushes("duplicate") == 2);
  // A later popup in JSON, with its numbers as strings, adds the second grant.
  auto json = world.popup("accept", at + 1, {{"format", "json"}, {"numbers_as_strings", true}});
  BOOST_TEST(json["status"] == 200);
  BOOST_TEST(world.entry()["grants"] == 2);
  // The client's report of the same taps adds nothing: the events count.
  BOOST_TEST(world.report() == 200);
  BOOST_TEST(world.entry()["grants"] == 2);
  // The user switches the template off in the settings: no grant counts.
  auto off = world.push({{"event", "subscribe_msg_change_event"},
                         {"create_time", at + 2},
                         {"list", {{{"template_id", kTemplate}, {"status", "reject"}}}}});
  BOOST_TEST(off["status"] == 200);
  BOOST_TEST(world.entry()["grants"] == 0);
  BOOST_TEST(world.entry()["last_result"] == "ban");
  // Reading the store directly agrees with the route.
  BOOST_TEST(world.store->subscriptions().grants("mp", kMpOpenid, kTemplate) == 0);
}

BOOST_DATA_TEST_CASE(with_source_client_the_events_are_recorded_but_add_no_grant,
                     boost::unit_test::data::make(kBackends), backend) {
  GrantPushWorld world(backend, "client");
  const int64_t at = nowSeconds();
  for (int i = 0; i < 3; ++i) BOOST_TEST(world.popup("accept", at)["status"] == 200);
  BOOST_TEST(world.entry()["grants"] == 0);
  BOOST_TEST(world.entry()["last_result"] == "accept");
  BOOST_TEST(world.pushes("applied") == 1);
  BOOST_TEST(world.report() == 200);
  BOOST_TEST(world.entry()["grants"] == 1);
  // The platform says a subscribe message failed because the user refused: no grant is left.
  auto refused = world.push({{"event", "subscribe_msg_sent_event"},
                             {"create_time", at + 1},
                             {"list",
                              {{{"template_id", kTemplate},
                                {"msgid", 7001},
                                {"error_code", 43101},
                                {"error_status", "fail:user refuse"}}}}});
  BOOST_TEST(refused["status"] == 200);
  BOOST_TEST(world.entry()["grants"] == 0);
}

BOOST_AUTO_TEST_CASE(the_mp_endpoint_takes_only_the_mini_programs_appid_and_token) {
  GrantPushWorld world("sqlite", "events", {"callback.mp.encryption=safe"});
  const int64_t at = nowSeconds();
  // Encrypted for the OA: the appid inside is wrong for this endpoint.
  auto oaAppid = world.popup("accept", at, {{"encrypt", true}, {"appid", "wxfakeoa"}});
  BOOST_TEST(oaAppid["status"] == 403);
  auto forged = world.popup("accept", at, {{"encrypt", true}, {"token", "othertoken"}});
  BOOST_TEST(forged["status"] == 403);
  auto plain = world.popup("accept", at);  // safe mode: plaintext refused
  BOOST_TEST(plain["status"] == 403);
  BOOST_TEST(world.entry().is_null());
  auto sealed = world.popup("accept", at, {{"encrypt", true}});
  BOOST_TEST(sealed["status"] == 200);
  BOOST_TEST(world.entry()["grants"] == 1);
  auto verified = world.fake.postJson("/__fake/verify",
                                      {{"url", world.serve->baseUrl() + "/wechat/callback/mp"}});
  BOOST_TEST(verified["matched"] == true);
}

BOOST_AUTO_TEST_CASE(the_oas_subscribe_events_change_the_oa_book) {
  GrantPushWorld world("sqlite", "events");
  auto answer = world.push({{"event", "subscribe_msg_popup_event"},
                            {"app", "oa"},
                            {"openid", "oOaGrantUser0000000000000001"},
                            {"create_time", nowSeconds()},
                            {"list", {{{"template_id", "TPL_BIZ"}, {"status", "accept"}}}}},
                           "/wechat/callback");
  BOOST_TEST(answer["status"] == 200);
  BOOST_TEST(world.store->subscriptions().grants("oa", "oOaGrantUser0000000000000001", "TPL_BIZ") ==
             1);
  BOOST_TEST(world.store->subscriptions().grants("mp", "oOaGrantUser0000000000000001", "TPL_BIZ") ==
             0);
}

BOOST_AUTO_TEST_CASE(without_its_token_the_mp_endpoint_answers_404) {
  GrantPushWorld world("sqlite", "events", {"callback.mp.token=", "callback.mp.aes_key="});
  auto answer = world.serve->call("POST", "/wechat/callback/mp", "<xml/>");
  BOOST_TEST(answer.status == 404);
  BOOST_TEST(answer.body.find("callback.mp.token") != std::string::npos, answer.body);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
