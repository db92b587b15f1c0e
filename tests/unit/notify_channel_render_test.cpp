// A template with variants rendered for each channel it may take: template fields cut to 20,
// subscribe fields fitted by their key's rule, a value that cannot be sent blamed on the
// parameter that fed it; and the outbox payload that keeps every form, old rows included.
#include <boost/test/unit_test.hpp>

#include "notify/outbox_payload.h"
#include "notify/template_render.h"
#include "notify/template_spec.h"

namespace wxb {

namespace {

Pattern pattern(const std::string& text) { return parsePattern(text).value(); }

// "order": an OA template with an MP subscribe variant and an OA subscribe variant.
TemplateSpec orderTemplate() {
  TemplateSpec oa{"order", "TPL_OA", MiniProgramLink{"wxfakemp", "pages/orders/index"}, {}};
  oa.data = {{"keyword1", pattern("{{params.title}}")}, {"keyword2", pattern("{{params.when}}")}};
  TemplateSpec mp{"order", "TPL_MP", std::nullopt, {}};
  mp.channel = Channel::MpSubscribe;
  mp.page = "pages/orders/detail";
  mp.miniprogramState = "trial";
  mp.data = {{"thing1", pattern("{{params.title}}")}, {"time2", pattern("{{params.when}}")}};
  TemplateSpec biz{"order", "TPL_BIZ", std::nullopt, {}};
  biz.channel = Channel::OaSubscribe;
  biz.page = "https://shop.example/orders";
  biz.longTerm = true;
  biz.data = {{"thing1", pattern("Order: {{params.title}}")}};
  oa.variants = {mp, biz};
  return oa;
}

const MessageParams kParams = {{"title", "Your order 5521 has shipped today"},
                               {"when", "2026-11-21 15:01"}};

}  // namespace

BOOST_AUTO_TEST_SUITE(notify_channel_render)

BOOST_AUTO_TEST_CASE(a_template_knows_its_channels_and_forms) {
  const TemplateSpec spec = orderTemplate();
  BOOST_TEST((spec.channels() ==
              std::set<Channel>{Channel::OaTemplate, Channel::MpSubscribe, Channel::OaSubscribe}));
  BOOST_TEST(spec.form(Channel::MpSubscribe)->templateId == "TPL_MP");
  BOOST_TEST(spec.form(Channel::OaTemplate) == &spec);
  BOOST_TEST((spec.paramNames() == std::set<std::string>{"title", "when"}));
  TemplateSpec plain{"x", "T", std::nullopt, {}};
  BOOST_TEST(plain.form(Channel::MpSubscribe) == nullptr);
}

BOOST_AUTO_TEST_CASE(each_form_is_fitted_by_its_channels_rules_in_the_order_given) {
  auto payload = renderPayload(orderTemplate(), {Channel::MpSubscribe, Channel::OaTemplate}, true,
                               {}, nullptr, kParams);
  BOOST_REQUIRE(payload.has_value());
  BOOST_TEST(payload->autoChannel);
  BOOST_TEST(
      (payload->channels() == std::vector<Channel>{Channel::MpSubscribe, Channel::OaTemplate}));
  const ChannelForm& mp = payload->forms[0];
  BOOST_TEST(mp.templateId == "TPL_MP");
  BOOST_TEST(mp.page == "pages/orders/detail");
  BOOST_TEST(mp.miniprogramState == "trial");
  BOOST_TEST(mp.data.at("thing1") == "Your order 5521 has\xE2\x80\xA6");
  BOOST_TEST(mp.data.at("time2") == "2026-11-21 15:01");
  const ChannelForm& oa = payload->forms[1];
  BOOST_TEST(oa.data.at("keyword1") == "Your order 5521 has\xE2\x80\xA6");
  BOOST_TEST(oa.miniprogram->pagepath == "pages/orders/index");
  BOOST_TEST(oa.miniprogramState.empty());
}

BOOST_AUTO_TEST_CASE(a_value_breaking_its_rule_names_the_parameter_that_fed_it) {
  MessageParams params = kParams;
  params["when"] = "tomorrow at 3";
  auto refused = renderPayload(orderTemplate(), {Channel::OaTemplate, Channel::MpSubscribe}, true,
                               {}, nullptr, params);
  BOOST_REQUIRE(!refused.has_value());
  BOOST_TEST(refused.error().field == "params.when");
  BOOST_TEST(refused.error().problem.starts_with("time: a 24-hour time"));
  BOOST_TEST(refused.error().problem.find("data.time2 of template order on mp_subscribe") !=
             std::string::npos);
  // Sent only as a template message, the same text is just cut to fit.
  auto templateOnly =
      renderPayload(orderTemplate(), {Channel::OaTemplate}, false, {}, nullptr, params);
  BOOST_REQUIRE(templateOnly.has_value());
  BOOST_TEST(templateOnly->forms[0].data.at("keyword2") == "tomorrow at 3");
}

BOOST_AUTO_TEST_CASE(a_value_fed_by_no_parameter_blames_the_template) {
  TemplateSpec spec{"fixed", "TPL_MP", std::nullopt, {}};
  spec.channel = Channel::MpSubscribe;
  spec.data = {{"number1", pattern("{{actor}}")}};
  UnreadSummary unread{"u1", {{"chat", 1}}, "Ann", "hi", "", false, {}};
  auto refused = renderForm(spec, {}, &unread, {});
  BOOST_REQUIRE(!refused.has_value());
  BOOST_TEST(refused.error().field == "template");
}

BOOST_AUTO_TEST_CASE(the_payload_keeps_every_form_through_encoding) {
  auto payload = renderPayload(orderTemplate(),
                               {Channel::OaSubscribe, Channel::MpSubscribe, Channel::OaTemplate},
                               true, {}, nullptr, kParams);
  BOOST_REQUIRE(payload.has_value());
  OutboxPayload back = decodeOutboxPayload(encodeOutboxPayload(*payload));
  BOOST_TEST(back.autoChannel);
  BOOST_TEST((back.channels() == payload->channels()));
  const ChannelForm* biz = back.form(Channel::OaSubscribe);
  BOOST_REQUIRE(biz != nullptr);
  BOOST_TEST(biz->longTerm);
  BOOST_TEST(biz->page == "https://shop.example/orders");
  BOOST_TEST(biz->data.at("thing1") == "Order: Your order 5\xE2\x80\xA6");
  BizSubscribeMessage request = bizSubscribeMessageOf(*biz, "oOA1");
  BOOST_TEST(request.touser == "oOA1");
  BOOST_TEST(request.templateId == "TPL_BIZ");
  SubscribeMessage mp = subscribeMessageOf(*back.form(Channel::MpSubscribe), "oMP1");
  BOOST_TEST(mp.miniprogramState == "trial");
  BOOST_TEST(mp.lang == "zh_CN");
  TemplateMessage oa = templateMessageOf(*back.form(Channel::OaTemplate), "oOA1", "wxb-1-2");
  BOOST_TEST(oa.clientMsgId == "wxb-1-2");
  BOOST_TEST(oa.miniprogram->appid == "wxfakemp");
}

BOOST_AUTO_TEST_CASE(a_row_from_before_channels_reads_as_one_template_form) {
  OutboxPayload old = decodeOutboxPayload(
      R"({"template_id":"TPL","data":{"keyword1":"3 new"},"miniprogram":{"appid":"wxfakemp","pagepath":"pages/x"}})");
  BOOST_TEST(!old.autoChannel);
  BOOST_REQUIRE(old.forms.size() == 1u);
  BOOST_TEST((old.forms[0].channel == Channel::OaTemplate));
  BOOST_TEST(old.forms[0].data.at("keyword1") == "3 new");
  BOOST_CHECK_THROW(decodeOutboxPayload("[1]"), std::runtime_error);
  BOOST_CHECK_THROW(decodeOutboxPayload(R"({"forms":[{"channel":"fax"}]})"), std::runtime_error);
  BOOST_CHECK_THROW(decodeOutboxPayload(R"({"forms":[]})"), std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb
