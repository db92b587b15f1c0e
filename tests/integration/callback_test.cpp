// The event push end to end (issue #13): fake-wechat pushes to a real `wxbridge serve` on a
// fresh store - the URL verification; every mode and a key rollover applied; wrong appid,
// wrong signature, stale timestamp and hostile bodies (billion laughs, external entity, 10 MB,
// truncated base64, wrong padding, a CreateTime far ahead) refused with 4xx and nothing applied;
// the same push three times applied once; a follow visible in lookups within a second (its unionid
// fetched after the reply); a receipt on the right outbox row and a block stopping sends; bind
// codes that bind once and expire; two serve processes on one MariaDB applying each push once; and
// pushes in flight when serve is killed with SIGKILL applied exactly once after the
// platform's retries, and a crash exactly between a push's commit and its reply (a test hook)
// losing nothing and applying nothing twice.
#include <signal.h>
#include <sys/wait.h>

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <thread>

#include "store/open_store.h"
#include "support/eventually.h"
#include "support/fake_wechat_process.h"
#include "support/raw_http_client.h"
#include "support/test_store.h"
#include "support/wxbridge_process.h"
#include "wechat/callback/digest.h"
#include "wechat/callback/message_cipher.h"

namespace wxb::test {

namespace {

const std::string kToken = "wxfaketoken";  // fake-wechat's defaults
const std::string kKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const std::string kNewKey = "ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlk0";

std::string openid(int n) {
  std::string digits = std::to_string(n);
  return "oCallback" + std::string(19 - digits.size(), '0') + digits;
}

double metricSum(const WxbridgeServe& serve, const std::string& name, const std::string& label) {
  std::istringstream text(serve.get("/metrics"));
  double sum = 0;
  for (std::string line; std::getline(text, line);) {
    if (line.starts_with(name + "{") && line.find(label) != std::string::npos) {
      sum += std::stod(line.substr(line.rfind(' ') + 1));
    }
  }
  return sum;
}

}  // namespace

// Outside the anonymous namespace: the data test cases' lambdas capture it.
struct CallbackPushWorld {
  FakeWechatProcess fake{{"--followers", "3", "--unionid-ratio", "1"}};
  StoreSettings storeSettings;
  std::unique_ptr<Store> store;

  explicit CallbackPushWorld(const std::string& backend)
      : storeSettings(freshStoreSettings(backend)), store(openStore(storeSettings, wallClock())) {
    store->migrate();
  }

  std::vector<std::string> sets(const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> out = {"store.url=" + storeUrl(storeSettings),
                                    "wechat.api_base=" + fake.baseUrl(),
                                    "wechat.oa.appid=wxfakeoa",
                                    "callback.token=" + kToken,
                                    "callback.aes_key=" + kKey,
                                    "callback.encryption=compatible",
                                    "bind.qr_image_base=" + fake.baseUrl()};
    out.insert(out.end(), extra.begin(), extra.end());
    return out;
  }

  std::unique_ptr<WxbridgeServe> serve(const std::vector<std::string>& extra = {}) const {
    setenv("WXBRIDGE_WECHAT_OA_SECRET", "oasecret", 1);
    setenv("WXBRIDGE_WECHAT_MP_SECRET", "mpsecret", 1);
    if (storeSettings.kind == StoreSettings::Kind::Mysql) {
      setenv("WXBRIDGE_STORE_PASSWORD", storeSettings.password.c_str(), 1);
    }
    return std::make_unique<WxbridgeServe>(sets(extra));
  }

  // fake-wechat pushes `event` from `who` to serve; returns {"status","body",...}.
  nlohmann::json push(const WxbridgeServe& serve, nlohmann::json body) const {
    body["url"] = serve.baseUrl() + "/wechat/callback";
    return fake.postJson("/__fake/push", body);
  }

  bool applied(const std::string& oaOpenid) const {
    return store->accounts().findByOaOpenid(oaOpenid).has_value();
  }
};

namespace {

// A plaintext push signed with `token` at `timestamp`, as raw query and body.
struct RawPush {
  std::string query;
  std::string body;
};

std::string subscribeXml(const std::string& who, int64_t createTime) {
  return "<xml><ToUserName>gh_fakewechat01</ToUserName><FromUserName>" + who +
         "</FromUserName><CreateTime>" + std::to_string(createTime) +
         "</CreateTime><MsgType>event</MsgType><Event>subscribe</Event></xml>";
}

RawPush signedPlain(const std::string& body, int64_t timestamp) {
  const std::string stamp = std::to_string(timestamp), nonce = "8801";
  return {"signature=" + sortedSha1Hex({kToken, stamp, nonce}) + "&timestamp=" + stamp +
              "&nonce=" + nonce,
          body};
}

RawPush signedEncrypted(const std::string& encrypt, int64_t timestamp) {
  RawPush push =
      signedPlain("<xml><Encrypt><![CDATA[" + encrypt + "]]></Encrypt></xml>", timestamp);
  push.query += "&encrypt_type=aes&msg_signature=" +
                sortedSha1Hex({kToken, std::to_string(timestamp), "8801", encrypt});
  return push;
}

// POSTs `push` over a raw connection (the server may answer a huge body before reading it
// all); the status, 0 when none came.
int rawPost(int port, const RawPush& push) {
  RawHttpConnection c(port);
  c.send("POST /wechat/callback?" + push.query + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
         "Content-Length: " + std::to_string(push.body.size()) + "\r\n\r\n");
  c.send(push.body);  // false when the server stopped reading: its answer is still there
  auto response = c.readResponse();
  return response ? response->status : 0;
}

int64_t nowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(callback_push)

BOOST_AUTO_TEST_CASE(url_verification_echoes_on_a_match_and_refuses_otherwise) {
  CallbackPushWorld world("sqlite");
  auto serve = world.serve();
  const std::string url = serve->baseUrl() + "/wechat/callback";
  auto ok = world.fake.postJson("/__fake/verify", {{"url", url}, {"echostr", "77881"}});
  BOOST_TEST(ok["status"] == 200);
  BOOST_TEST(ok["matched"] == true);
  auto forged = world.fake.postJson("/__fake/verify", {{"url", url}, {"token", "othertoken"}});
  BOOST_TEST(forged["status"] == 403);
}

BOOST_DATA_TEST_CASE(every_mode_and_a_key_rollover_apply_and_the_follow_shows_within_a_second,
                     boost::unit_test::data::make(kBackends), backendName) {
  CallbackPushWorld world(backendName);
  auto serve = world.serve({"callback.aes_key=" + kNewKey, "callback.aes_key_previous=" + kKey});
  auto plain = world.push(
      *serve, {{"event", "subscribe"}, {"openid", openid(1)}, {"unionid", "uCallbackUnion1"}});
  BOOST_TEST(plain["status"] == 200);
  BOOST_TEST(plain["body"] == "success");
  // Encrypted with the key the console had before (the fake signs with kKey by default).
  auto oldKey =
      world.push(*serve, {{"event", "subscribe"}, {"openid", openid(2)}, {"encrypt", true}});
  BOOST_TEST(oldKey["status"] == 200);
  auto newKey = world.push(
      *serve,
      {{"event", "subscribe"}, {"openid", openid(3)}, {"encrypt", true}, {"aes_key", kNewKey}});
  BOOST_TEST(newKey["status"] == 200);
  for (int i : {1, 2, 3}) BOOST_TEST(world.applied(openid(i)));
  // The unionid comes from user/info after the reply; then the lookup by unionid finds it.
  BOOST_TEST(eventually(
      [&] { return serve->call("GET", "/v1/accounts/uCallbackUnion1").status == 200; }, 1000, 20));
  auto account = nlohmann::json::parse(serve->call("GET", "/v1/accounts/uCallbackUnion1").body);
  BOOST_TEST(account["subscribed"] == true);
}

BOOST_AUTO_TEST_CASE(safe_mode_refuses_plaintext_pushes) {
  CallbackPushWorld world("sqlite");
  auto serve = world.serve({"callback.encryption=safe"});
  auto plain = world.push(*serve, {{"event", "subscribe"}, {"openid", openid(1)}});
  BOOST_TEST(plain["status"] == 403);
  BOOST_TEST(!world.applied(openid(1)));
  auto sealed =
      world.push(*serve, {{"event", "subscribe"}, {"openid", openid(2)}, {"encrypt", true}});
  BOOST_TEST(sealed["status"] == 200);
  BOOST_TEST(world.applied(openid(2)));
}

BOOST_AUTO_TEST_CASE(forged_stale_and_hostile_pushes_get_4xx_and_change_nothing) {
  CallbackPushWorld world("sqlite");
  auto serve = world.serve();
  auto refused = [&](nlohmann::json body) {
    body["event"] = "subscribe";
    body["openid"] = openid(9);
    return world.push(*serve, body)["status"].get<int>();
  };
  BOOST_TEST(refused({{"appid", "wxotherapp"}, {"encrypt", true}}) == 403);
  BOOST_TEST(refused({{"token", "othertoken"}}) == 403);
  BOOST_TEST(refused({{"timestamp", nowSeconds() - 3600}}) == 403);

  const int64_t now = nowSeconds();
  const std::string laughs =
      "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 "
      "\"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]><xml><FromUserName>&lol2;"
      "</FromUserName></xml>";
  const std::string external =
      "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
      "<xml><FromUserName>&xxe;</FromUserName></xml>";
  MessageCipher cipher(kKey, "", "wxfakeoa");
  std::string sealed = cipher.encrypt(subscribeXml(openid(9), now));
  std::string badPadding = sealed;
  badPadding[badPadding.size() - 6] = badPadding[badPadding.size() - 6] == 'A' ? 'B' : 'A';
  std::vector<std::pair<std::string, RawPush>> hostile = {
      {"billion laughs", signedPlain(laughs, now)},
      {"external entity", signedPlain(external, now)},
      {"10 MB body", signedPlain(std::string(10 << 20, 'x'), now)},
      {"truncated base64", signedEncrypted(sealed.substr(0, sealed.size() - 3), now)},
      {"wrong padding", signedEncrypted(badPadding, now)},
      // Signed properly, but dated 2100: it would pin the follow until then.
      {"CreateTime in 2100", signedPlain(subscribeXml(openid(9), 4102444800), now)},
  };
  for (const auto& [name, push] : hostile) {
    const int status = rawPost(serve->port(), push);
    BOOST_TEST_INFO(name << ": " << status);
    BOOST_TEST((status >= 400 && status < 500));
  }
  BOOST_TEST(!world.applied(openid(9)));
  BOOST_TEST(serve->call("GET", "/healthz").status == 200);
  // The same plaintext push, signed properly, is applied: the refusals were for their reasons.
  auto good = signedPlain(subscribeXml(openid(9), now), now);
  BOOST_TEST(serve->request("POST", "/wechat/callback?" + good.query, good.body).status == 200);
  BOOST_TEST(world.applied(openid(9)));
}

// callback.max_body_bytes (64 KiB here) applies at the HTTP edge, as soon as the head is read:
// a push declaring 100 KB - under the server's http.max_body_bytes (1 MiB) - gets 413 without
// a byte of its body sent, and the connection is closed; one at the limit is read and judged.
BOOST_AUTO_TEST_CASE(a_push_over_the_callback_body_limit_gets_413_before_its_body_is_read) {
  CallbackPushWorld world("sqlite");
  auto serve = world.serve();
  const auto push = signedPlain(std::string(100'000, 'x'), nowSeconds());
  RawHttpConnection c(serve->port());
  c.send("POST /wechat/callback?" + push.query + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
         "Content-Length: 100000\r\n\r\n");  // the head alone
  auto response = c.readResponse(3000);
  BOOST_REQUIRE(response);
  BOOST_TEST(response->status == 413);
  BOOST_TEST(response->body.find("larger than 65536 bytes") != std::string::npos);
  BOOST_TEST(c.readUntilClosed(3000).has_value());
  const auto atLimit = signedPlain(std::string(65'536, 'x'), nowSeconds());
  BOOST_TEST(rawPost(serve->port(), atLimit) == 400);  // read whole, then refused as unparseable
}

BOOST_DATA_TEST_CASE(the_same_push_three_times_is_applied_once,
                     boost::unit_test::data::make(kBackends), backendName) {
  CallbackPushWorld world(backendName);
  auto serve = world.serve();
  nlohmann::json push = {{"event", "subscribe"},
                         {"openid", openid(4)},
                         {"create_time", nowSeconds()},
                         {"encrypt", true}};
  for (int i = 0; i < 3; ++i) {
    auto reply = world.push(*serve, push);
    BOOST_TEST(reply["status"] == 200);
    BOOST_TEST(reply["body"] == "success");
    push["apply"] = false;  // the platform's retries: the user followed once
  }
  BOOST_TEST(metricSum(*serve, "wxbridge_callback_pushes_total", "outcome=\"applied\"") == 1);
  BOOST_TEST(metricSum(*serve, "wxbridge_callback_pushes_total", "outcome=\"duplicate\"") == 2);
  BOOST_TEST(eventually([&] { return world.fake.callCount("/cgi-bin/user/info") >= 1; }, 3000, 20));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  BOOST_TEST(world.fake.callCount("/cgi-bin/user/info") == 1);
}

BOOST_DATA_TEST_CASE(receipts_reach_their_outbox_rows_and_a_block_stops_sends,
                     boost::unit_test::data::make(kBackends), backendName) {
  CallbackPushWorld world(backendName);
  auto followers = world.fake.getNdjson("/__fake/followers");
  std::vector<FollowerRecord> records;
  for (const auto& f : followers) records.push_back({f["openid"], f["unionid"], true});
  world.store->accounts().upsertFollowers(records, 1'000);
  auto serve = world.serve(
      {"templates.note.template_id=TPL_NOTE", "templates.note.data.thing1={{params.title}}"});
  auto send = [&](size_t who, const std::string& key) {
    nlohmann::json body = {{"idempotency_key", key},
                           {"unionid", records[who].unionid},
                           {"template", "note"},
                           {"params", {{"title", "hello"}}}};
    auto reply = serve->call("POST", "/v1/messages", body.dump());
    BOOST_REQUIRE(reply.status == 202);
    return nlohmann::json::parse(reply.body)["message_id"].get<int64_t>();
  };
  auto messageOf = [&](int64_t id) {
    return nlohmann::json::parse(serve->call("GET", "/v1/messages/" + std::to_string(id)).body);
  };
  int64_t first = send(0, "r1"), second = send(1, "r2");
  for (int64_t id : {first, second}) {
    BOOST_REQUIRE(eventually([&] { return messageOf(id)["state"] == "sent"; }, 10'000, 20));
  }
  BOOST_TEST(messageOf(first)["delivery"].is_null());
  auto receipt = [&](int64_t id, size_t who, const std::string& status) {
    return world.push(*serve, {{"event", "TEMPLATESENDJOBFINISH"},
                               {"openid", records[who].oaOpenid},
                               {"msgid", std::stoll(std::string(messageOf(id)["msgid"]))},
                               {"status", status}});
  };
  BOOST_TEST(receipt(first, 0, "success")["status"] == 200);
  BOOST_TEST(receipt(second, 1, "failed:user block")["status"] == 200);
  BOOST_TEST(messageOf(first)["delivery"] == "delivered");
  BOOST_TEST(messageOf(second)["delivery"] == "blocked");
  BOOST_TEST(messageOf(second)["delivery_at"].is_string());
  // The blocking follower gets no more template messages until it follows again: the template
  // has no other channel, so the message ends no_channel naming the block.
  int64_t third = send(1, "r3");
  BOOST_TEST(eventually([&] { return messageOf(third)["state"] == "no_channel"; }, 10'000, 20));
}

BOOST_DATA_TEST_CASE(a_bind_code_binds_the_scanning_follower_once,
                     boost::unit_test::data::make(kBackends), backendName) {
  CallbackPushWorld world(backendName);
  auto serve = world.serve();
  auto issued =
      serve->call("POST", "/v1/bind-codes", R"({"mp_openid":"oMpUser000000000000000001"})");
  BOOST_REQUIRE(issued.status == 201);
  auto code = nlohmann::json::parse(issued.body);
  BOOST_TEST(code["qr_image_url"].get<std::string>().find("showqrcode?ticket=") !=
             std::string::npos);
  BOOST_TEST(code["expires_at"].is_string());
  const std::string url = serve->baseUrl() + "/wechat/callback";
  auto scan = [&](const std::string& who) {
    return world.fake.postJson("/__fake/scan",
                               {{"ticket", code["ticket"]}, {"openid", who}, {"url", url}});
  };
  BOOST_TEST(scan(openid(5))["status"] == 200);
  auto bound = world.store->accounts().findByOaOpenid(openid(5));
  BOOST_REQUIRE(bound);
  BOOST_TEST(bound->mpOpenid == "oMpUser000000000000000001");
  BOOST_TEST(scan(openid(6))["status"] == 200);  // answered, but the code is used
  BOOST_TEST(world.store->accounts().findByOaOpenid(openid(6))->mpOpenid.empty());
  BOOST_TEST(metricSum(*serve, "wxbridge_callback_binds_total", "outcome=\"used\"") == 1);

  BOOST_TEST(serve->call("POST", "/v1/bind-codes", R"({"mp_openid":"bad id!"})").status == 400);
}

// The MP user a code bound to a follower known by openid alone then logs in with a unionid:
// POST /v1/mp/sessions answers 200 with that follower. It used to hit the mp_openid unique key
// (SQLite: a 500; MariaDB: 200 without the follower, the unionid dropped).
BOOST_DATA_TEST_CASE(a_bound_mp_user_logging_in_with_a_unionid_finds_its_follower,
                     boost::unit_test::data::make(kBackends), backendName) {
  CallbackPushWorld world(backendName);
  auto serve = world.serve({"wechat.mp.appid=wxfakemp"});
  const std::string mpUser = "oMpUser000000000000000003", unionid = "oUnionBound00000000000003";
  auto issued = serve->call("POST", "/v1/bind-codes", nlohmann::json{{"mp_openid", mpUser}}.dump());
  BOOST_REQUIRE(issued.status == 201);
  auto scanned =
      world.fake.postJson("/__fake/scan", {{"ticket", nlohmann::json::parse(issued.body)["ticket"]},
                                           {"openid", openid(8)},
                                           {"url", serve->baseUrl() + "/wechat/callback"}});
  BOOST_REQUIRE(scanned["status"] == 200);
  BOOST_REQUIRE(world.store->accounts().findByOaOpenid(openid(8)).value().mpOpenid == mpUser);
  const std::string code = world.fake.mintLoginCode(mpUser, unionid);
  auto login = serve->call("POST", "/v1/mp/sessions", nlohmann::json{{"code", code}}.dump());
  BOOST_TEST(login.status == 200, login.body);
  auto answer = nlohmann::json::parse(login.body);
  BOOST_TEST(answer["unionid"] == unionid, login.body);
  BOOST_TEST(answer["oa_openid"] == openid(8), login.body);
  auto account = world.store->accounts().findByUnionid(unionid);
  BOOST_REQUIRE(account);
  BOOST_TEST(account->oaOpenid == openid(8));
  BOOST_TEST(account->mpOpenid == mpUser);
}

BOOST_AUTO_TEST_CASE(an_expired_bind_code_binds_nobody) {
  CallbackPushWorld world("sqlite");
  auto serve = world.serve();
  const std::string scene = "wxbind_EXPIREDEXPIREDEXPIRED000";
  world.store->accounts().recordMpUser("oMpUser000000000000000002", "");
  world.store->callback().addBindCode(BindCode{scene, "oMpUser000000000000000002", 1'000, 0, ""},
                                      500);
  auto late = world.push(*serve, {{"event", "SCAN"}, {"openid", openid(7)}, {"event_key", scene}});
  BOOST_TEST(late["status"] == 200);
  auto scanned = world.store->accounts().findByOaOpenid(openid(7));
  BOOST_TEST((!scanned || scanned->mpOpenid.empty()));
  BOOST_TEST(metricSum(*serve, "wxbridge_callback_binds_total", "outcome=\"expired\"") == 1);
}

// Two serve processes on one MariaDB: the platform's retries of each push reach both (as behind
// a load balancer), concurrently; each push is applied once in all.
BOOST_AUTO_TEST_CASE(two_serve_processes_on_one_mariadb_apply_each_push_once) {
  constexpr int kPushes = 40;
  CallbackPushWorld world("mysql");
  auto a = world.serve();
  auto b = world.serve();
  const int64_t createTime = nowSeconds();
  auto pushTo = [&](const WxbridgeServe& serve, int i) {
    return world.push(serve, {{"event", "subscribe"},
                              {"openid", openid(100 + i)},
                              {"create_time", createTime},
                              {"encrypt", true}});
  };
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (auto* serve : {a.get(), b.get()}) {
    threads.emplace_back([&, serve] {
      for (int i = 0; i < kPushes; ++i) ok += pushTo(*serve, i)["status"] == 200;
    });
  }
  for (auto& t : threads) t.join();
  BOOST_TEST(ok == 2 * kPushes);
  auto sum = [&](const char* outcome) {
    return metricSum(*a, "wxbridge_callback_pushes_total", outcome) +
           metricSum(*b, "wxbridge_callback_pushes_total", outcome);
  };
  BOOST_TEST(sum("outcome=\"applied\"") == kPushes);
  BOOST_TEST(sum("outcome=\"duplicate\"") == kPushes);
  BOOST_TEST(world.store->accounts().count() == kPushes);
  // One user/info per distinct follow, whichever instance's worker ran it.
  BOOST_TEST(eventually([&] { return world.store->callback().jobDepth() == 0; }, 10'000, 20));
  BOOST_TEST(world.fake.callCount("/cgi-bin/user/info") == kPushes);
}

// serve is killed with SIGKILL while pushes are in flight; the platform retries what was not
// answered `success` against the restarted serve. Every push is applied exactly once: a push
// committed before the kill but not answered is recognised as a duplicate, not applied again.
BOOST_DATA_TEST_CASE(pushes_in_flight_at_a_kill_9_are_applied_exactly_once_after_retries,
                     boost::unit_test::data::make(kBackends), backendName) {
  constexpr int kPushes = 120;
  CallbackPushWorld world(backendName);
  auto serve = world.serve();
  const int64_t createTime = nowSeconds();
  std::vector<int> answered(kPushes, 0);
  auto pushOne = [&](const WxbridgeServe& target, int i) {
    try {
      auto r = world.push(target, {{"event", "unsubscribe"},
                                   {"openid", openid(200 + i)},
                                   {"create_time", createTime},
                                   {"apply", false}});
      return r["status"] == 200 && r["body"] == "success";
    } catch (const std::exception&) {
      return false;  // the fake answered 502: serve went away
    }
  };
  std::vector<std::thread> senders;
  for (int t = 0; t < 4; ++t) {
    senders.emplace_back([&, t] {
      for (int i = t; i < kPushes; i += 4) answered[i] = pushOne(*serve, i);
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  kill(serve->pid(), SIGKILL);
  for (auto& t : senders) t.join();
  serve->stop();
  const int64_t before = world.store->accounts().count();
  BOOST_TEST_MESSAGE(before << " of " << kPushes << " applied before the kill");
  auto restarted = world.serve();
  for (int i = 0; i < kPushes; ++i) {
    if (!answered[i]) BOOST_TEST(pushOne(*restarted, i));
  }
  BOOST_TEST(world.store->accounts().count() == kPushes);
  const double applied =
      metricSum(*restarted, "wxbridge_callback_pushes_total", "outcome=\"applied\"");
  BOOST_TEST(applied == kPushes - before);
}

// The moment between a push's commit and its reply, hit every time: serve armed with the test
// hook WXB_FAILPOINT=callback_after_commit (docs/reliability.md "Test hooks") dies as a kill -9
// would right after the push's transaction committed, before a byte of the reply. The platform
// saw no `success`, so it sends the same push again, to the restarted serve: answered
// `success`, recognised as a duplicate, and applied - its follow and its user/info job - once.
BOOST_DATA_TEST_CASE(a_crash_between_commit_and_reply_loses_nothing_and_the_retry_applies_nothing,
                     boost::unit_test::data::make(kBackends), backendName) {
  CallbackPushWorld world(backendName);
  setenv("WXB_FAILPOINT", "callback_after_commit", 1);
  auto armed = world.serve();
  unsetenv("WXB_FAILPOINT");
  const nlohmann::json push = {{"event", "subscribe"},
                               {"openid", openid(300)},
                               {"create_time", nowSeconds()},
                               {"encrypt", true}};
  bool answered = false;
  try {
    answered = world.push(*armed, push)["status"] == 200;
  } catch (const std::exception&) {
    // the fake answered 502: serve went away before its reply
  }
  BOOST_TEST(!answered);
  const int status = armed->stop();
  BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == 137));  // the hook, not our SIGTERM
  auto account = world.store->accounts().findByOaOpenid(openid(300));
  BOOST_REQUIRE(account);  // committed before the crash
  BOOST_TEST(account->subscribed);
  // Its user/info job was queued in the same transaction: still queued, or run by the dying
  // serve's worker already (a user/info call; jobs are deleted when done).
  auto jobsSeen = [&] {
    return world.fake.callCount("/cgi-bin/user/info") + world.store->callback().jobDepth();
  };
  const auto before = jobsSeen();
  BOOST_TEST(before >= 1);

  auto restarted = world.serve();
  auto retry = world.push(*restarted, push);
  BOOST_TEST(retry["status"] == 200);
  BOOST_TEST(retry["body"] == "success");
  BOOST_TEST(metricSum(*restarted, "wxbridge_callback_pushes_total", "outcome=\"duplicate\"") == 1);
  BOOST_TEST(metricSum(*restarted, "wxbridge_callback_pushes_total", "outcome=\"applied\"") == 0);
  BOOST_TEST(world.store->accounts().count() == 1);
  // The retry queued no second job: a job is counted while queued and leaves the queue only
  // after its call, so a second one would keep the sum above `before` for good.
  BOOST_TEST(eventually([&] { return jobsSeen() == before; }, 10'000, 20));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
