// wxbridge's subscribe-message value rules (notify/subscribe_values.h) against fake-wechat's,
// which were written independently from the same platform table: every value of the shared
// case table that wxbridge sends (as it is, or cut) is accepted by subscribe/send and
// subscribe/bizsend, every value it refuses is refused there too with 47003 naming the field,
// and every value it cut would have been refused uncut.
#include <boost/test/unit_test.hpp>
#include <string>

#include "notify/subscribe_values.h"
#include "support/fake_wechat_process.h"
#include "support/subscribe_value_cases.h"
#include "support/wechat_client_fixtures.h"
#include "wechat/wechat_client.h"

namespace wxb::test {

namespace {

using Outcome = SubscribeValueCase::Outcome;

const std::string kMpUser = "oMPvalues00000000000000000001";
const std::string kOaUser = "oOAvalues00000000000000000001";

// Sends `value` under `key` by both subscribe APIs; both must agree, and their answer is
// returned (the bizsend one).
WechatResult<int64_t> sendBoth(WechatClient& client, const std::string& key,
                               const std::string& value) {
  SubscribeMessage mp;
  mp.touser = kMpUser;
  mp.templateId = "tmpl_values";
  mp.data = {{key, value}};
  BizSubscribeMessage oa;
  oa.touser = kOaUser;
  oa.templateId = "biz_values";
  oa.data = {{key, value}};
  auto viaMp = client.sendSubscribe(mp);
  auto viaOa = client.sendBizSubscribe(oa);
  BOOST_TEST(viaMp.has_value() == viaOa.has_value());
  return viaOa;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(subscribe_values_fake)

BOOST_AUTO_TEST_CASE(wxbridge_and_the_fake_agree_on_every_case_of_the_table) {
  FakeWechatProcess fake({"--biz-template", "biz_values"});
  WechatClientSettings settings = clientSettingsFor(fake.baseUrl());
  CountingTokenSource tokens(settings);
  WechatClient client(settings, tokens);
  fake.postJson("/__fake/grants",
                {{"mp_openid", kMpUser}, {"template_id", "tmpl_values"}, {"count", 1000}});
  fake.postJson("/__fake/grants",
                {{"oa_openid", kOaUser}, {"template_id", "biz_values"}, {"count", 1000}});
  int sent = 0;
  for (const SubscribeValueCase& c : subscribeValueCases()) {
    BOOST_TEST_CONTEXT(c.key << " = '" << c.input << "'") {
      auto fitted = fitSubscribeValue(c.key, c.input);
      if (c.outcome == Outcome::Refused) {
        BOOST_TEST(!fitted.has_value());
        auto refused = sendBoth(client, c.key, c.input);
        BOOST_REQUIRE(!refused);
        BOOST_TEST(refused.error().errcode == 47003);
        BOOST_TEST(refused.error().message.find("data." + c.key) != std::string::npos);
        continue;
      }
      BOOST_REQUIRE(fitted.has_value());
      auto accepted = sendBoth(client, c.key, fitted->value);
      BOOST_TEST_REQUIRE(accepted.has_value(), describe(errorOf(accepted)));
      sent += 2;
      if (c.outcome == Outcome::Cut) {
        auto uncut = sendBoth(client, c.key, c.input);
        BOOST_REQUIRE(!uncut);
        BOOST_TEST(uncut.error().errcode == 47003);
      }
    }
  }
  BOOST_TEST(fake.getNdjson("/__fake/messages").size() == static_cast<size_t>(sent));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
