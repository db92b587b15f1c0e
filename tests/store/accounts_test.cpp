// Store contract: accounts. Runs unchanged on SQLite and MariaDB.
#include <boost/test/unit_test.hpp>
#include <set>

#include "support/store_fixture.h"

namespace wxb::test {

BOOST_FIXTURE_TEST_SUITE(store_accounts, StoreFixture)

BOOST_AUTO_TEST_CASE(unknown_unionid_is_not_found) {
  BOOST_TEST(!store->accounts().findByUnionid("nobody").has_value());
  BOOST_TEST(store->accounts().count() == 0);
}

BOOST_AUTO_TEST_CASE(follower_with_unionid_is_found_by_both_ids) {
  store->accounts().upsertFollowers({{"oaOpenid1", "union1", true}}, 1000);
  auto byUnion = store->accounts().findByUnionid("union1");
  BOOST_REQUIRE(byUnion);
  BOOST_TEST(byUnion->oaOpenid == "oaOpenid1");
  BOOST_TEST(byUnion->subscribed);
  BOOST_TEST(byUnion->syncedAtMs == 1000);
  BOOST_TEST(byUnion->mpOpenid.empty());
  auto byOpenid = store->accounts().findByOaOpenid("oaOpenid1");
  BOOST_REQUIRE(byOpenid);
  BOOST_TEST(byOpenid->unionid == "union1");
}

BOOST_AUTO_TEST_CASE(follower_without_unionid_is_kept_by_openid_then_merged) {
  store->accounts().upsertFollowers({{"oaLonely", "", true}}, 1000);
  auto lonely = store->accounts().findByOaOpenid("oaLonely");
  BOOST_REQUIRE(lonely);
  BOOST_TEST(lonely->unionid.empty());
  store->accounts().recordMpUser("mpUser", "unionLater");
  store->accounts().upsertFollowers({{"oaLonely", "unionLater", true}}, 2000);
  BOOST_TEST(store->accounts().count() == 1);
  auto merged = store->accounts().findByUnionid("unionLater");
  BOOST_REQUIRE(merged);
  BOOST_TEST(merged->oaOpenid == "oaLonely");
  BOOST_TEST(merged->mpOpenid == "mpUser");
  BOOST_TEST(merged->syncedAtMs == 2000);
}

// The platform reports a follower's openid with another unionid than its row holds, and a
// mini-program user's row holds that one: the sync takes the platform's newer view instead of
// failing on a duplicate key at every batch - the openid moves to the unionid's row, keeping
// its follower state, and its former mini-program user stays one of its own (docs/sync.md
// "Merging accounts").
BOOST_AUTO_TEST_CASE(an_openid_the_platform_reports_with_another_held_unionid_moves_to_it) {
  auto& accounts = store->accounts();
  accounts.upsertFollowers({{"oa1", "u1", true}}, 1'000);
  accounts.recordMpUser("mp1", "u1");
  accounts.recordMpUser("mp2", "u2");
  BOOST_REQUIRE(accounts.count() == 2);
  accounts.upsertFollowers({{"oa1", "u2", true}, {"oa3", "u3", true}}, 2'000);
  accounts.upsertFollowers({{"oa1", "u2", true}}, 3'000);  // and again: no failure either
  BOOST_TEST(accounts.count() == 3);
  auto moved = accounts.findByOaOpenid("oa1");
  BOOST_REQUIRE(moved);
  BOOST_TEST(moved->unionid == "u2");
  BOOST_TEST(moved->mpOpenid == "mp2");
  BOOST_TEST(moved->subscribed);
  BOOST_TEST(moved->syncedAtMs == 3'000);
  BOOST_TEST(!accounts.findByUnionid("u1").has_value());
  BOOST_TEST(accounts.findByOaOpenid("oa3")->unionid == "u3");
}

// Two followers whose unionids the platform swaps, in one batch: each ends with the other's.
BOOST_AUTO_TEST_CASE(two_followers_whose_unionids_swap_in_one_batch_take_the_new_ones) {
  auto& accounts = store->accounts();
  accounts.upsertFollowers({{"oa1", "u1", true}, {"oa2", "u2", false}}, 1'000);
  accounts.upsertFollowers({{"oa1", "u2", true}, {"oa2", "u1", false}}, 2'000);
  BOOST_TEST(accounts.count() == 2);
  BOOST_TEST(accounts.findByOaOpenid("oa1")->unionid == "u2");
  BOOST_TEST(accounts.findByOaOpenid("oa2")->unionid == "u1");
  BOOST_TEST(accounts.findByUnionid("u2")->subscribed);
  BOOST_TEST(!accounts.findByUnionid("u1")->subscribed);
}

BOOST_AUTO_TEST_CASE(resync_updates_rows_instead_of_duplicating) {
  store->accounts().upsertFollowers({{"oa1", "u1", true}, {"oa2", "", true}}, 1000);
  store->accounts().upsertFollowers({{"oa1", "u1", false}, {"oa2", "", false}}, 2000);
  BOOST_TEST(store->accounts().count() == 2);
  BOOST_TEST(!store->accounts().findByUnionid("u1")->subscribed);
  BOOST_TEST(!store->accounts().findByOaOpenid("oa2")->subscribed);
  BOOST_TEST(store->accounts().findByOaOpenid("oa2")->syncedAtMs == 2000);
}

BOOST_AUTO_TEST_CASE(a_late_sync_write_never_undoes_a_newer_unfollow) {
  store->accounts().upsertFollowers({{"oaLate", "uLate", true}, {"oaLone", "", true}}, 1000);
  store->accounts().setSubscribed("oaLate", false, 3000);  // unfollow event
  store->accounts().setSubscribed("oaLone", false, 3000);
  store->accounts().upsertFollowers({{"oaLate", "uLate", true}, {"oaLone", "", true}},
                                    2000);  // fetched earlier
  BOOST_TEST(!store->accounts().findByUnionid("uLate")->subscribed);
  BOOST_TEST(store->accounts().findByUnionid("uLate")->syncedAtMs == 3000);
  BOOST_TEST(!store->accounts().findByOaOpenid("oaLone")->subscribed);
  store->accounts().upsertFollowers({{"oaLate", "uLate", true}},
                                    4000);  // a later sync saw them follow again
  BOOST_TEST(store->accounts().findByUnionid("uLate")->subscribed);
}

BOOST_AUTO_TEST_CASE(large_batches_are_written_completely) {
  std::vector<FollowerRecord> batch;
  for (int i = 0; i < 1234; ++i) {
    std::string n = std::to_string(i);
    batch.push_back({"oa_" + n, i % 10 == 0 ? "" : "u_" + n, true});
  }
  store->accounts().upsertFollowers(batch, 5000);
  BOOST_TEST(store->accounts().count() == 1234);
  BOOST_TEST(store->accounts().findByUnionid("u_1233")->oaOpenid == "oa_1233");
  BOOST_TEST(store->accounts().findByOaOpenid("oa_1230")->unionid == "");
}

BOOST_AUTO_TEST_CASE(ids_are_case_sensitive) {
  store->accounts().upsertFollowers({{"oaAbC", "uAbC", true}, {"oaabc", "uabc", true}}, 1000);
  BOOST_TEST(store->accounts().count() == 2);
  BOOST_TEST(store->accounts().findByUnionid("uAbC")->oaOpenid == "oaAbC");
  BOOST_TEST(store->accounts().findByUnionid("uabc")->oaOpenid == "oaabc");
  BOOST_TEST(!store->accounts().findByUnionid("UABC").has_value());
}

BOOST_AUTO_TEST_CASE(set_subscribed_creates_or_updates_by_openid) {
  store->accounts().setSubscribed("oaNew", true, 3000);
  auto created = store->accounts().findByOaOpenid("oaNew");
  BOOST_REQUIRE(created);
  BOOST_TEST(created->subscribed);
  store->accounts().upsertFollowers({{"oaKnown", "uKnown", true}}, 1000);
  store->accounts().setSubscribed("oaKnown", false, 4000);
  auto known = store->accounts().findByUnionid("uKnown");
  BOOST_TEST(!known->subscribed);
  BOOST_TEST(known->syncedAtMs == 4000);
}

BOOST_AUTO_TEST_CASE(mp_user_links_to_the_follower_with_the_same_unionid) {
  store->accounts().upsertFollowers({{"oaX", "uX", true}}, 1000);
  store->accounts().recordMpUser("mpX", "uX");
  auto a = store->accounts().findByUnionid("uX");
  BOOST_TEST(a->mpOpenid == "mpX");
  BOOST_TEST(a->oaOpenid == "oaX");
  store->accounts().recordMpUser("mpAlone", "");
  store->accounts().recordMpUser("mpAlone", "");
  BOOST_TEST(store->accounts().count() == 2);
}

BOOST_AUTO_TEST_CASE(mp_user_seen_without_unionid_is_merged_when_unionid_arrives) {
  store->accounts().recordMpUser("mpY", "");
  store->accounts().recordMpUser("mpY", "uY");
  BOOST_TEST(store->accounts().count() == 1);
  BOOST_TEST(store->accounts().findByUnionid("uY")->mpOpenid == "mpY");
}

// An MP openid the platform now reports with another unionid than its row holds: the newer
// word wins, as in the sync - the MP user moves to the reported unionid's row and the old
// unionid, which had nothing else, is known no more; a row with a follower keeps its follower.
// It used to fail with a duplicate key (SQLite) or keep the old unionid (MariaDB).
BOOST_AUTO_TEST_CASE(an_mp_user_reported_with_another_unionid_moves_to_it) {
  auto& accounts = store->accounts();
  accounts.recordMpUser("mpZ", "uOld");
  accounts.recordMpUser("mpZ", "uNew");
  BOOST_TEST(accounts.count() == 1);
  BOOST_TEST(accounts.findByUnionid("uNew").value().mpOpenid == "mpZ");
  BOOST_TEST(!accounts.findByUnionid("uOld").has_value());
  accounts.upsertFollowers({{"oaW", "uW", true}}, 1'000);
  accounts.recordMpUser("mpW", "uW");
  accounts.recordMpUser("mpW", "uOther");
  BOOST_TEST(accounts.count() == 3);
  BOOST_TEST(accounts.findByUnionid("uW").value().oaOpenid == "oaW");
  BOOST_TEST(accounts.findByUnionid("uW").value().mpOpenid == "");
  BOOST_TEST(accounts.findByUnionid("uOther").value().mpOpenid == "mpW");
}

BOOST_AUTO_TEST_CASE(batch_lookup_returns_only_known_unionids) {
  store->accounts().upsertFollowers({{"o1", "u1", true}, {"o2", "u2", true}, {"o3", "u3", false}},
                                    1);
  auto found = store->accounts().findByUnionids({"u1", "u3", "missing"});
  BOOST_TEST(found.size() == 2u);
  std::set<std::string> ids;
  for (const auto& a : found) ids.insert(a.unionid + ":" + a.oaOpenid);
  BOOST_TEST(ids.count("u1:o1") == 1u);
  BOOST_TEST(ids.count("u3:o3") == 1u);
  BOOST_TEST(store->accounts().findByUnionids({}).empty());
}

// Long lists cross the MySQL backend's IN-list chunks (128) and pad-to-a-power-of-two lengths.
BOOST_AUTO_TEST_CASE(batch_lookup_of_many_ids_finds_each_known_one_once) {
  std::vector<FollowerRecord> followers;
  for (int i = 0; i < 300; ++i) {
    followers.push_back({"o" + std::to_string(i), "u" + std::to_string(i), true});
  }
  store->accounts().upsertFollowers(followers, 1);
  for (size_t n : {1u, 3u, 6u, 127u, 128u, 129u, 300u}) {
    std::vector<std::string> wanted;
    for (size_t i = 0; i < n; ++i) {
      wanted.push_back(i % 2 ? "u" + std::to_string(i) : "unknown" + std::to_string(i));
    }
    std::set<std::string> ids;
    for (const auto& a : store->accounts().findByUnionids(wanted)) ids.insert(a.unionid);
    BOOST_TEST(ids.size() == n / 2, "n=" << n);
    BOOST_TEST(store->accounts().findByUnionids(wanted).size() == n / 2, "n=" << n);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
