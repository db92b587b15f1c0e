// The /v1/schedules handlers through their route group over the store of this run (both
// backends): create, read, list by page, change, pause, delete, and every validation a 400
// naming its member.
#include "bridge/routes/schedule_routes.h"

#include <boost/test/unit_test.hpp>

#include "support/route_call.h"
#include "support/schedule_fixtures.h"
#include "support/store_fixture.h"

namespace wxb::test {

namespace {

const int64_t kNow = isoMs("2027-01-04T08:00:00+08:00");

struct ScheduleRoutesFixture : StoreFixture {
  ReminderRules reminder;
  ManualClock clock{kNow};
  int wakes = 0;
  ScheduleRoutes routes{store->schedules(), reminder.rules(), clock, [this] { ++wakes; }};
  Router router;

  ScheduleRoutesFixture() {
    reminder.settings.maxPerUser = 3;
    routes.addTo(router);
  }

  ApiResponse call(const std::string& method, const std::string& target,
                   const nlohmann::json& body = nullptr) {
    return callRoute(router, method, target, body.is_null() ? "" : body.dump());
  }
  // The member a 400 names ("" for another answer).
  std::string fieldOf(const ApiResponse& r) {
    if (r.status != 400) return "";
    std::string message = bodyOf(r)["error"]["message"];
    return message.substr(0, message.find(':'));
  }
  std::string fieldOfPost(nlohmann::json body) {
    return fieldOf(call("POST", "/v1/schedules", body));
  }
  int64_t created(const nlohmann::json& body) {
    auto r = call("POST", "/v1/schedules", body);
    BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
    return bodyOf(r)["id"].get<int64_t>();
  }
};

nlohmann::json daily() {
  return {{"unionid", "u1"},
          {"cron", "0 9 * * *"},
          {"timezone", "Asia/Shanghai"},
          {"template", "reminder"},
          {"params", {{"title", "Stand-up"}, {"when", "09:00"}}}};
}

nlohmann::json with(nlohmann::json body, const std::string& member, nlohmann::json value) {
  body[member] = std::move(value);
  return body;
}

nlohmann::json without(nlohmann::json body, const std::string& member) {
  body.erase(member);
  return body;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(schedule_routes, ScheduleRoutesFixture)

BOOST_AUTO_TEST_CASE(a_created_schedule_answers_201_with_its_id_and_next_fire_and_reads_back) {
  auto r = call("POST", "/v1/schedules", daily());
  BOOST_TEST(r.status == 201, r.body);
  auto body = bodyOf(r);
  BOOST_TEST(body["next_fire_at"] == "2027-01-04T01:00:00.000Z");
  BOOST_TEST(wakes == 1);
  auto got = call("GET", "/v1/schedules/" + std::to_string(body["id"].get<int64_t>()));
  BOOST_TEST(got.status == 200);
  auto s = bodyOf(got);
  BOOST_TEST(s["unionid"] == "u1");
  BOOST_TEST(s["cron"] == "0 9 * * *");
  BOOST_TEST(s["at"].is_null());
  BOOST_TEST(s["timezone"] == "Asia/Shanghai");
  BOOST_TEST(s["template"] == "reminder");
  BOOST_TEST(s["params"]["title"] == "Stand-up");
  BOOST_TEST(s["state"] == "active");
  BOOST_TEST(s["paused"] == false);
  BOOST_TEST(s["fires"] == 0);
  BOOST_TEST(s["max_fires"].is_null());
  BOOST_TEST(s["created_at"] == "2027-01-04T00:00:00.000Z");
}

BOOST_AUTO_TEST_CASE(a_one_shot_takes_an_iso_time_with_its_offset) {
  auto body = without(daily(), "cron");
  body = with(without(body, "timezone"), "at", "2027-01-04T12:30:00+08:00");
  auto r = call("POST", "/v1/schedules", body);
  BOOST_TEST(r.status == 201, r.body);
  BOOST_TEST(bodyOf(r)["next_fire_at"] == "2027-01-04T04:30:00.000Z");
  BOOST_TEST(fieldOfPost(with(body, "at", "2027-01-04T12:30:00")) == "at");  // no offset
  BOOST_TEST(fieldOfPost(with(body, "at", "tomorrow")) == "at");
  BOOST_TEST(fieldOfPost(with(body, "at", "2027-01-03T12:30:00+08:00")) == "at");  // past
}

BOOST_AUTO_TEST_CASE(every_validation_is_a_400_naming_its_member) {
  BOOST_TEST(fieldOf(callRoute(router, "POST", "/v1/schedules", "{not json")) == "body");
  BOOST_TEST(fieldOfPost(without(daily(), "unionid")) == "unionid");
  BOOST_TEST(fieldOfPost(with(daily(), "unionid", "bad id!")) == "unionid");
  BOOST_TEST(fieldOfPost(with(daily(), "colour", "red")) == "colour");  // unknown member
  BOOST_TEST(fieldOfPost(without(daily(), "cron")) == "cron");          // neither cron nor at
  BOOST_TEST(fieldOfPost(with(daily(), "at", "2027-02-01T09:00:00Z")) == "at");  // both
  BOOST_TEST(fieldOfPost(with(daily(), "cron", 5)) == "cron");
  BOOST_TEST(fieldOfPost(with(daily(), "cron", "0 25 * * *")) == "cron");
  BOOST_TEST(fieldOfPost(with(daily(), "cron", "0 0 30 2 *")) == "cron");      // never fires
  BOOST_TEST(fieldOfPost(with(daily(), "cron", "*/10 * * * * *")) == "cron");  // every 10 s
  BOOST_TEST(fieldOfPost(with(daily(), "timezone", "Mars/Olympus")) == "timezone");
  BOOST_TEST(fieldOfPost(without(daily(), "timezone")) == "timezone");
  BOOST_TEST(fieldOfPost(with(daily(), "template", "nope")) == "template");
  BOOST_TEST(fieldOfPost(with(daily(), "params", {{"title", "x"}})) == "params.when");
  BOOST_TEST(
      fieldOfPost(with(daily(), "params", {{"title", "x"}, {"when", "y"}, {"colour", "z"}})) ==
      "params.colour");
  BOOST_TEST(fieldOfPost(with(daily(), "params", {{"title", 1}, {"when", "y"}})) == "params.title");
  BOOST_TEST(fieldOfPost(with(daily(), "channel", "sms")) == "channel");
  BOOST_TEST(fieldOfPost(with(daily(), "starts_at", "soon")) == "starts_at");
  BOOST_TEST(fieldOfPost(with(daily(), "ends_at", "2027-01-01T00:00:00Z")) == "ends_at");
  BOOST_TEST(fieldOfPost(with(daily(), "max_fires", 0)) == "max_fires");
  BOOST_TEST(fieldOfPost(with(daily(), "max_fires", "3")) == "max_fires");
  BOOST_TEST(fieldOfPost(with(daily(), "paused", "yes")) == "paused");
  BOOST_TEST(store->schedules().listByUnionid("u1", 0, 10).empty());
}

BOOST_AUTO_TEST_CASE(a_unionid_past_schedules_max_per_user_is_refused_naming_it) {
  for (int i = 0; i < 3; ++i) created(daily());
  auto r = call("POST", "/v1/schedules", daily());
  BOOST_TEST(fieldOf(r) == "unionid");
  BOOST_TEST(bodyOf(r)["error"]["message"].get<std::string>().find("schedules.max_per_user") !=
             std::string::npos);
  BOOST_TEST(created(with(daily(), "unionid", "u2")) > 0);
}

BOOST_AUTO_TEST_CASE(the_list_pages_by_id_and_asks_for_a_valid_unionid) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(created(daily()));
  auto first = bodyOf(call("GET", "/v1/schedules?unionid=u1&limit=2"));
  BOOST_REQUIRE(first["schedules"].size() == 2u);
  BOOST_TEST(first["schedules"][0]["id"] == ids[0]);
  BOOST_TEST(first["next_after"] == ids[1]);
  auto rest =
      bodyOf(call("GET", "/v1/schedules?unionid=u1&limit=2&after=" + std::to_string(ids[1])));
  BOOST_REQUIRE(rest["schedules"].size() == 1u);
  BOOST_TEST(rest["schedules"][0]["id"] == ids[2]);
  BOOST_TEST(rest["next_after"].is_null());
  BOOST_TEST(fieldOf(call("GET", "/v1/schedules")) == "unionid");
  BOOST_TEST(fieldOf(call("GET", "/v1/schedules?unionid=a%20b")) == "unionid");
  BOOST_TEST(fieldOf(call("GET", "/v1/schedules?unionid=u1&limit=0")) == "limit");
  BOOST_TEST(fieldOf(call("GET", "/v1/schedules?unionid=u1&limit=201")) == "limit");
  BOOST_TEST(fieldOf(call("GET", "/v1/schedules?unionid=u1&after=-1")) == "after");
  // A repeated parameter is ambiguous (which user, which page size?): refused, named.
  BOOST_TEST(fieldOf(call("GET", "/v1/schedules?unionid=u1&unionid=u2")) == "unionid");
  BOOST_TEST(fieldOf(call("GET", "/v1/schedules?unionid=u1&limit=2&limit=3")) == "limit");
}

BOOST_AUTO_TEST_CASE(a_patch_changes_any_member_and_moves_the_next_fire_at_once) {
  int64_t id = created(daily());
  const std::string path = "/v1/schedules/" + std::to_string(id);
  clock.set(kNow + 60'000);
  auto r = call("PATCH", path,
                {{"cron", "30 18 * * *"}, {"params", {{"title", "Retro"}, {"when", "18:30"}}}});
  BOOST_TEST(r.status == 200, r.body);
  BOOST_TEST(bodyOf(r)["next_fire_at"] == "2027-01-04T10:30:00.000Z");
  BOOST_TEST(bodyOf(r)["params"]["title"] == "Retro");
  BOOST_TEST(*store->schedules().find(id)->nextFireMs == isoMs("2027-01-04T18:30:00+08:00"));
  auto paused = bodyOf(call("PATCH", path, {{"paused", true}}));
  BOOST_TEST(paused["state"] == "paused");
  BOOST_TEST(paused["next_fire_at"].is_null());
  auto resumed = bodyOf(call("PATCH", path, {{"paused", false}, {"max_fires", 2}}));
  BOOST_TEST(resumed["state"] == "active");
  BOOST_TEST(resumed["max_fires"] == 2);
  BOOST_TEST(bodyOf(call("PATCH", path, {{"max_fires", nullptr}}))["max_fires"].is_null());
  BOOST_TEST(wakes == 5);
}

BOOST_AUTO_TEST_CASE(a_refused_patch_is_a_400_naming_the_member_and_changes_nothing) {
  int64_t id = created(daily());
  const std::string path = "/v1/schedules/" + std::to_string(id);
  BOOST_TEST(fieldOf(call("PATCH", path, {{"timezone", "Nowhere/Land"}})) == "timezone");
  BOOST_TEST(fieldOf(call("PATCH", path, {{"unionid", "u2"}})) == "unionid");
  BOOST_TEST(fieldOf(call("PATCH", path, {{"cron", "* * * * * *"}})) == "cron");
  BOOST_TEST(fieldOf(call("PATCH", path, {{"starts_at", 5}})) == "starts_at");
  BOOST_TEST(fieldOf(call("PATCH", path, {{"params", {{"title", "x"}}}})) == "params.when");
  BOOST_TEST(fieldOf(call("PATCH", path, {{"nope", 1}})) == "nope");
  auto s = store->schedules().find(id).value();
  BOOST_TEST(s.timezone == "Asia/Shanghai");
  BOOST_TEST(s.cron == "0 9 * * *");
  BOOST_TEST(call("PATCH", "/v1/schedules/999999", {{"paused", true}}).status == 404);
  BOOST_TEST(call("PATCH", "/v1/schedules/x", {{"paused", true}}).status == 404);
}

// usertest3 F9: a start far away is named as itself; null is the same as leaving a member out in
// a POST, and in a PATCH removes only what can be removed; a full last page says it is the last.
BOOST_AUTO_TEST_CASE(far_starts_nulls_and_a_full_last_page_follow_the_documented_rules) {
  BOOST_TEST(fieldOfPost(with(daily(), "starts_at", "9999-02-01T02:00:00Z")) == "starts_at");
  BOOST_TEST(fieldOfPost(with(daily(), "timezone", "localtime")) == "timezone");  // usertest4 F2
  int n = 0;
  for (const char* member : {"channel", "starts_at", "ends_at", "max_fires", "paused"}) {
    auto body = with(with(daily(), "unionid", "n" + std::to_string(++n)), member, nullptr);
    BOOST_TEST(call("POST", "/v1/schedules", body).status == 201, member);
  }
  int64_t id = created(with(daily(), "channel", "oa_template"));
  const std::string path = "/v1/schedules/" + std::to_string(id);
  auto back = call("PATCH", path, {{"channel", nullptr}});
  BOOST_TEST(back.status == 200, back.body);
  BOOST_TEST(bodyOf(back)["channel"].is_null());
  for (const char* member : {"cron", "at", "timezone", "template", "params", "paused"}) {
    BOOST_TEST(fieldOf(call("PATCH", path, {{member, nullptr}})) == member);
  }
  created(daily());
  auto page = bodyOf(call("GET", "/v1/schedules?unionid=u1&limit=2"));
  BOOST_TEST(page["schedules"].size() == 2u);
  BOOST_TEST(page["next_after"].is_null());
  BOOST_TEST(bodyOf(call("GET", "/v1/schedules?unionid=u1&limit=1"))["next_after"] == id);
}

BOOST_AUTO_TEST_CASE(delete_removes_once_and_unknown_ids_are_404) {
  int64_t id = created(daily());
  const std::string path = "/v1/schedules/" + std::to_string(id);
  BOOST_TEST(call("DELETE", path).status == 200);
  BOOST_TEST(call("DELETE", path).status == 404);
  BOOST_TEST(call("GET", path).status == 404);
  BOOST_TEST(call("GET", "/v1/schedules/0").status == 404);
  BOOST_TEST(call("GET", "/v1/schedules/12abc").status == 404);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
