// The notification keys: templates.NAME.* and notify.types.TYPE.label are families that parse
// into typed settings, and every mistake stops the start naming the key.
#include <boost/test/unit_test.hpp>

#include "bridge/config/config.h"
#include "bridge/config/settings.h"
#include "support/test_config.h"

namespace wxb {

namespace {

using Sets = test::ConfigSets;
using test::settingsWith;

const Sets kDaily = {{"wechat.mp.appid", "wxfakemp"},
                     {"wechat.mp.secret", "mpsecret"},
                     {"notify.digest.template", "daily"},
                     {"notify.types.chat.label", "chat messages"},
                     {"templates.daily.template_id", "TPL"},
                     {"templates.daily.miniprogram.pagepath", "pages/inbox/index"},
                     {"templates.daily.data.keyword1", "MyApp"},
                     {"templates.daily.data.keyword2", "{{summary}}"}};

Sets with(Sets base, const std::string& key, const std::string& value) {
  base.emplace_back(key, value);
  return base;
}

void expectKey(const Sets& sets, const std::string& key) {
  auto s = settingsWith(sets);
  BOOST_TEST_CONTEXT(key) {
    BOOST_REQUIRE(!s);
    BOOST_TEST(s.error().key == key);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(notify_config)

BOOST_AUTO_TEST_CASE(a_template_family_becomes_a_typed_template) {
  auto s = settingsWith(kDaily);
  BOOST_TEST_REQUIRE(s.has_value(), (s ? "" : s.error().describe()));
  const NotifySettings& n = s->notify;
  BOOST_TEST(n.digestTemplate == "daily");
  BOOST_TEST(n.digestCron == "0 9 * * *");
  BOOST_TEST(n.typeLabels.at("chat") == "chat messages");
  const TemplateSpec& t = n.templates.at("daily");
  BOOST_TEST(t.templateId == "TPL");
  BOOST_REQUIRE(t.miniprogram);
  BOOST_TEST(t.miniprogram->appid == "wxfakemp");  // from wechat.mp.appid
  BOOST_TEST(t.miniprogram->pagepath == "pages/inbox/index");
  BOOST_REQUIRE(t.data.size() == 2u);
  BOOST_TEST(t.data[1].first == "keyword2");
  BOOST_TEST((t.data[1].second.at(0).kind == PatternPart::Kind::Summary));
}

BOOST_AUTO_TEST_CASE(real_time_notices_read_their_types_templates_window_and_quiet_hours) {
  Sets rt = with(
      with(with(kDaily, "notify.types.chat.realtime", "true"), "notify.realtime.single", "daily"),
      "notify.realtime.many", "daily");
  rt = with(with(rt, "notify.throttle_seconds", "10"), "notify.quiet_hours", "23:30-07:00");
  auto s = settingsWith(rt);
  BOOST_TEST_REQUIRE(s.has_value(), (s ? "" : s.error().describe()));
  const RealtimeSettings& r = s->notify.realtime;
  BOOST_TEST(r.enabled());
  BOOST_TEST(r.isRealtime("chat"));
  BOOST_TEST(!r.isRealtime("invitation"));
  BOOST_TEST(r.throttleMs == 10'000);
  BOOST_TEST((r.quietHours == QuietHours{23 * 60 + 30, 7 * 60}));
  auto defaults = settingsWith(kDaily);
  BOOST_TEST(!defaults->notify.realtime.enabled());
  BOOST_TEST(defaults->notify.realtime.throttleMs == 600'000);
  BOOST_TEST(!defaults->notify.realtime.quietHours.has_value());
}

BOOST_AUTO_TEST_CASE(a_type_with_only_realtime_set_is_labelled_by_its_name) {
  const Sets rt =
      with(with(kDaily, "notify.realtime.single", "daily"), "notify.realtime.many", "daily");
  auto s = settingsWith(with(rt, "notify.types.invitation.realtime", "true"));
  BOOST_TEST_REQUIRE(s.has_value(), (s ? "" : s.error().describe()));
  BOOST_TEST(s->notify.realtime.isRealtime("invitation"));
  BOOST_TEST(s->notify.typeLabels.at("invitation") == "invitation");
  BOOST_TEST(s->notify.typeLabels.at("chat") == "chat messages");
  expectKey(with(rt, "notify.types.invitation.label", std::string(33, 'x')),
            "notify.types.invitation.label");
}

BOOST_AUTO_TEST_CASE(every_real_time_mistake_names_its_key) {
  expectKey(with(kDaily, "notify.types.chat.realtime", "yes"), "notify.types.chat.realtime");
  // A real-time type without the templates would silently wait for the digest.
  expectKey(with(kDaily, "notify.types.chat.realtime", "true"), "notify.types.chat.realtime");
  expectKey(with(kDaily, "notify.realtime.single", "nosuch"), "notify.realtime.single");
  expectKey(with(kDaily, "notify.realtime.single", "daily"), "notify.realtime.many");
  expectKey(with(kDaily, "notify.quiet_hours", "22:00"), "notify.quiet_hours");
  expectKey(with(kDaily, "notify.throttle_seconds", "0"), "notify.throttle_seconds");
}

// The opposite of a reminder's template that shows unread events (400 `template`): a digest or
// a notice fills no {{params.NAME}}, so a template that uses one would send it empty.
BOOST_AUTO_TEST_CASE(a_digest_or_real_time_template_that_needs_params_stops_the_start) {
  const Sets order = with(with(kDaily, "templates.order.template_id", "TPL_ORDER"),
                          "templates.order.data.keyword1", "{{params.item}} x{{total}}");
  for (const char* key : {"notify.digest.template", "notify.realtime.single"}) {
    Sets sets =
        with(with(order, "notify.realtime.single", "daily"), "notify.realtime.many", "daily");
    sets = with(sets, key, "order");
    auto s = settingsWith(sets);
    BOOST_TEST_CONTEXT(key) {
      BOOST_REQUIRE(!s);
      BOOST_TEST(s.error().key == key);
      BOOST_TEST(s.error().problem.starts_with("template order uses {{params.item}}, which a "),
                 s.error().problem);
    }
  }
  expectKey(with(with(order, "notify.realtime.single", "daily"), "notify.realtime.many", "order"),
            "notify.realtime.many");
  BOOST_TEST(settingsWith(order).has_value());  // a direct message's template may use params
}

BOOST_AUTO_TEST_CASE(no_digest_template_means_no_digest) {
  auto s = settingsWith({});
  BOOST_REQUIRE(s);
  BOOST_TEST(s->notify.digestTemplate.empty());
  BOOST_TEST(s->notify.templates.empty());
  BOOST_TEST(s->notify.sender.qps == 200);
}

BOOST_AUTO_TEST_CASE(sender_keys_are_read_within_their_ranges) {
  auto s =
      settingsWith({{"notify.qps", "50"}, {"notify.workers", "2"}, {"notify.max_attempts", "3"}});
  BOOST_REQUIRE(s);
  BOOST_TEST(s->notify.sender.qps == 50);
  BOOST_TEST(s->notify.sender.workers == 2);
  BOOST_TEST(s->notify.sender.maxAttempts == 3);
  expectKey({{"notify.qps", "0"}}, "notify.qps");
  expectKey({{"notify.workers", "65"}}, "notify.workers");
  expectKey({{"notify.max_attempts", "x"}}, "notify.max_attempts");
}

BOOST_AUTO_TEST_CASE(retention_is_whole_days_with_zero_keeping_everything) {
  BOOST_TEST(settingsWith({})->notify.retentionDays == 30);
  BOOST_TEST(settingsWith({{"notify.retention_days", "0"}})->notify.retentionDays == 0);
  BOOST_TEST(settingsWith({{"notify.retention_days", "400"}})->notify.retentionDays == 400);
  for (const char* bad : {"-1", "7.5", "30d", "thirty", "36501"}) {
    BOOST_TEST_CONTEXT(bad) {
      expectKey({{"notify.retention_days", bad}}, "notify.retention_days");
    }
  }
}

BOOST_AUTO_TEST_CASE(mistakes_stop_the_start_naming_the_key) {
  expectKey(with(kDaily, "templates.daily.data.keyword3", "{{totl}}"),
            "templates.daily.data.keyword3");
  expectKey(with(kDaily, "templates.daily.colour", "red"), "templates.daily.colour");
  expectKey(with(kDaily, "templates.daily.miniprogram.page", "x"),
            "templates.daily.miniprogram.page");
  expectKey(with(kDaily, "templates.other.data.keyword1", "x"), "templates.other.template_id");
  expectKey(with(kDaily, "templates.nodata.template_id", "T"), "templates.nodata.data.KEY");
  expectKey(with(kDaily, "notify.types.Chat.label", "x"), "notify.types.Chat");
  expectKey(with(kDaily, "notify.types.chat.colour", "x"), "notify.types.chat.colour");
  expectKey(with(kDaily, "notify.digest.cron", "61 * * * *"), "notify.digest.cron");
  Sets missing = kDaily;
  missing[2] = {"notify.digest.template", "weekly"};
  expectKey(missing, "notify.digest.template");
}

BOOST_AUTO_TEST_CASE(a_pagepath_needs_an_appid_from_somewhere) {
  expectKey({{"templates.t.template_id", "T"},
             {"templates.t.miniprogram.pagepath", "pages/a"},
             {"templates.t.data.k", "v"}},
            "templates.t.miniprogram.appid");
  expectKey({{"templates.t.template_id", "T"},
             {"templates.t.miniprogram.appid", "wxapp"},
             {"templates.t.data.k", "v"}},
            "templates.t.miniprogram.pagepath");
}

BOOST_AUTO_TEST_CASE(a_template_carries_its_channel_and_variants) {
  Sets sets = kDaily;
  for (auto [k, v] : Sets{{"templates.order.template_id", "TPL_OA"},
                          {"templates.order.data.keyword1", "{{params.item}}"},
                          {"templates.order.priority", "reminder"},
                          {"templates.order.variants.mp_subscribe.template_id", "TPL_MP"},
                          {"templates.order.variants.mp_subscribe.page", "pages/order/detail?id=1"},
                          {"templates.order.variants.mp_subscribe.miniprogram_state", "trial"},
                          {"templates.order.variants.mp_subscribe.data.thing1", "{{params.item}}"},
                          {"templates.order.variants.oa_subscribe.template_id", "TPL_BIZ"},
                          {"templates.order.variants.oa_subscribe.long_term", "true"},
                          {"templates.order.variants.oa_subscribe.data.thing1", "x"},
                          {"templates.note.channel", "mp_subscribe"},
                          {"templates.note.template_id", "TPL_NOTE"},
                          {"templates.note.data.thing1", "{{params.title}}"},
                          {"notify.channels", "mp_subscribe, oa_template"},
                          {"notify.budget.oa_template", "500"},
                          {"subscriptions.source", "events"}}) {
    sets.emplace_back(k, v);
  }
  auto s = settingsWith(sets);
  BOOST_TEST_REQUIRE(s.has_value(), (s ? "" : s.error().describe()));
  const NotifySettings& n = s->notify;
  const TemplateSpec& order = n.templates.at("order");
  BOOST_TEST((order.channels() ==
              std::set<Channel>{Channel::OaTemplate, Channel::MpSubscribe, Channel::OaSubscribe}));
  BOOST_TEST((order.priority == SendClass::Reminder));
  BOOST_TEST(order.form(Channel::MpSubscribe)->page == "pages/order/detail?id=1");
  BOOST_TEST(order.form(Channel::MpSubscribe)->miniprogramState == "trial");
  BOOST_TEST(order.form(Channel::OaSubscribe)->longTerm);
  BOOST_TEST((n.templates.at("note").channel == Channel::MpSubscribe));
  BOOST_TEST((n.channelOrder == std::vector<Channel>{Channel::MpSubscribe, Channel::OaTemplate}));
  BOOST_TEST(n.sender.dailyBudget[0] == 500);  // oa_template
  BOOST_TEST(n.sender.dailyBudget[1] == 1'000'000);
  BOOST_TEST((n.grantSource == GrantSource::Events));
}

BOOST_AUTO_TEST_CASE(channel_mistakes_name_the_key) {
  const Sets mp = with(
      with(with(kDaily, "templates.n.channel", "mp_subscribe"), "templates.n.template_id", "T"),
      "templates.n.data.thing1", "x");
  expectKey(with(kDaily, "templates.daily.channel", "sms"), "templates.daily.channel");
  expectKey(with(mp, "templates.n.page", "/pages/a"), "templates.n.page");
  expectKey(with(mp, "templates.n.page", "pages/../a"), "templates.n.page");
  expectKey(with(mp, "templates.n.lang", "fr"), "templates.n.lang");
  expectKey(with(mp, "templates.n.miniprogram_state", "beta"), "templates.n.miniprogram_state");
  expectKey(with(mp, "templates.n.data.keyword1", "x"), "templates.n.data.keyword1");
  expectKey(with(mp, "templates.n.url", "x"), "templates.n.url");
  expectKey(with(kDaily, "templates.daily.page", "pages/a"), "templates.daily.page");
  expectKey(with(kDaily, "templates.daily.priority", "urgent"), "templates.daily.priority");
  expectKey(with(kDaily, "templates.daily.variants.oa_template.template_id", "T"),
            "templates.daily.variants.oa_template");
  expectKey(with(kDaily, "templates.daily.variants.fax.template_id", "T"),
            "templates.daily.variants.fax");
  expectKey(with(kDaily, "notify.channels", "oa_template, sms"), "notify.channels");
  expectKey(with(kDaily, "notify.budget.oa_template", "-1"), "notify.budget.oa_template");
  expectKey(with(kDaily, "subscriptions.source", "both"), "subscriptions.source");
  expectKey(with(mp, "notify.digest.template", "n"), "notify.digest.template");
}

BOOST_AUTO_TEST_CASE(a_template_appid_is_checked_like_the_other_appids) {
  for (const std::string& bad :
       {std::string("wx app"), std::string("wx\"app"), std::string(65, 'a')}) {
    expectKey(with(kDaily, "templates.daily.miniprogram.appid", bad),
              "templates.daily.miniprogram.appid");
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb
