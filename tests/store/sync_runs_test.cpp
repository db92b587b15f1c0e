// Store contract: follower sync runs (checkpoints, resume claims fenced by owner, unsubscribe
// marking) and the write-back. Runs on SQLite and MariaDB.
#include "store/sync_runs/sync_runs.h"

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <thread>

#include "store/db/mysql_db.h"
#include "support/store_fixture.h"

namespace wxb::test {

namespace {

SyncRun checkpointed(SyncRun run) {
  run.updatedAtMs = run.startedAtMs + 500;
  run.nextOpenid = "oCursor_42";
  run.pages = 3;
  run.followers = 30000;
  run.total = 123456;
  run.mapped = 27000;
  run.errors = 4;
  run.skipped = 100;
  run.lastError = "user/info/batchget: errcode -1 (system error)";
  return run;
}

void execMysql(const StoreSettings& settings, const std::string& statement) {
  MysqlDb db(settings, wallClock());
  db.session([&](Session& s) { s.executeScript(statement); });
}

std::string appOaOpenid(const StoreSettings& settings, const std::string& unionid) {
  MysqlDb db(settings, wallClock());
  const Stmt<std::string> select =
      "SELECT COALESCE(oaopenid, '-') FROM app_account WHERE unionid = ?";
  return db.queryOne<std::string>(select, unionid).value_or("(no row)");
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(store_sync_runs, StoreFixture)

BOOST_AUTO_TEST_CASE(a_new_store_has_no_run_to_resume_or_report) {
  BOOST_TEST(!store->syncRuns().unfinishedRun().has_value());
  BOOST_TEST(!store->syncRuns().latestRun().has_value());
  BOOST_TEST(!store->syncRuns().findRun(1).has_value());
}

BOOST_AUTO_TEST_CASE(a_started_run_is_running_and_is_the_one_to_resume) {
  SyncRun run = store->syncRuns().startRun("host:1:a", 1'000);
  BOOST_TEST(run.id > 0);
  BOOST_TEST(syncStateName(run.state) == std::string("running"));
  BOOST_TEST(run.owner == "host:1:a");
  BOOST_TEST(run.startedAtMs == 1'000);
  BOOST_TEST(run.nextOpenid.empty());
  BOOST_TEST(run.pages == 0);
  auto unfinished = store->syncRuns().unfinishedRun();
  BOOST_REQUIRE(unfinished);
  BOOST_TEST(unfinished->id == run.id);
  BOOST_TEST(store->syncRuns().latestRun()->id == run.id);
}

BOOST_AUTO_TEST_CASE(a_checkpoint_is_read_back_field_for_field) {
  SyncRun saved = checkpointed(store->syncRuns().startRun("host:1:a", 1'000));
  BOOST_TEST(store->syncRuns().saveRun(saved));
  auto read = store->syncRuns().findRun(saved.id);
  BOOST_REQUIRE(read);
  BOOST_TEST(read->nextOpenid == "oCursor_42");
  BOOST_TEST(read->updatedAtMs == 1'500);
  BOOST_TEST(read->pages == 3);
  BOOST_TEST(read->followers == 30000);
  BOOST_TEST(read->total == 123456);
  BOOST_TEST(read->mapped == 27000);
  BOOST_TEST(read->errors == 4);
  BOOST_TEST(read->skipped == 100);
  BOOST_TEST(read->lastError == saved.lastError);
  BOOST_TEST(read->finishedAtMs == 0);
  BOOST_TEST(store->syncRuns().saveRun(saved));  // saving the same values again is no loss
}

BOOST_AUTO_TEST_CASE(finished_runs_are_not_resumed_but_interrupted_ones_are) {
  SyncRun done = store->syncRuns().startRun("a", 1'000);
  done.state = SyncState::Completed;
  done.finishedAtMs = 2'000;
  BOOST_TEST(store->syncRuns().saveRun(done));
  BOOST_TEST(!store->syncRuns().unfinishedRun().has_value());
  BOOST_TEST(!store->syncRuns().claimRun(done.id, "b", 3'000).has_value());
  SyncRun stopped = store->syncRuns().startRun("a", 4'000);
  stopped.state = SyncState::Interrupted;
  BOOST_TEST(store->syncRuns().saveRun(stopped));
  BOOST_TEST(store->syncRuns().unfinishedRun()->id == stopped.id);
  BOOST_TEST(store->syncRuns().latestRun()->id == stopped.id);
  BOOST_TEST(store->syncRuns().findRun(done.id)->finishedAtMs == 2'000);
}

BOOST_AUTO_TEST_CASE(a_claimed_run_belongs_to_its_new_owner_and_the_old_one_is_fenced_off) {
  SyncRun mine = checkpointed(store->syncRuns().startRun("dead:1:x", 1'000));
  BOOST_TEST(store->syncRuns().saveRun(mine));
  auto claimed = store->syncRuns().claimRun(mine.id, "alive:2:y", 5'000);
  BOOST_REQUIRE(claimed);
  BOOST_TEST(claimed->owner == "alive:2:y");
  BOOST_TEST(claimed->resumes == 1);
  BOOST_TEST(claimed->nextOpenid == "oCursor_42");
  BOOST_TEST(claimed->pages == 3);
  BOOST_TEST(claimed->startedAtMs == 1'000);
  mine.pages = 99;
  BOOST_TEST(!store->syncRuns().saveRun(mine));
  BOOST_TEST(store->syncRuns().findRun(mine.id)->pages == 3);
}

BOOST_AUTO_TEST_CASE(only_subscribed_followers_not_seen_since_the_run_started_are_marked) {
  store->accounts().upsertFollowers({{"oaGone", "uGone", true}, {"oaGoneLonely", "", true}}, 1'000);
  store->accounts().upsertFollowers({{"oaLeftEarlier", "uLeft", false}}, 1'000);
  store->accounts().recordMpUser("mpOnly", "uMpOnly");
  store->accounts().upsertFollowers({{"oaSeen", "uSeen", true}, {"oaSeenLonely", "", true}}, 5'000);
  store->accounts().setSubscribed("oaFollowedByEvent", true, 6'000);
  int64_t marked = store->syncRuns().markUnseenUnsubscribed(5'000, 9'000);
  BOOST_TEST(marked == 2);
  BOOST_TEST(!store->accounts().findByUnionid("uGone")->subscribed);
  BOOST_TEST(store->accounts().findByUnionid("uGone")->syncedAtMs == 9'000);
  BOOST_TEST(!store->accounts().findByOaOpenid("oaGoneLonely")->subscribed);
  BOOST_TEST(store->accounts().findByUnionid("uLeft")->syncedAtMs == 1'000);
  BOOST_TEST(store->accounts().findByUnionid("uSeen")->subscribed);
  BOOST_TEST(store->accounts().findByOaOpenid("oaSeenLonely")->subscribed);
  BOOST_TEST(store->accounts().findByOaOpenid("oaFollowedByEvent")->subscribed);
  BOOST_TEST(store->accounts().findByUnionid("uMpOnly")->syncedAtMs == 0);
  BOOST_TEST(store->syncRuns().markUnseenUnsubscribed(5'000, 9'500) == 0);
}

BOOST_AUTO_TEST_CASE(write_back_updates_the_application_table_on_mysql_only) {
  std::vector<FollowerRecord> batch = {{"oa1", "u1", true}, {"oa2", "", true}, {"oa3", "u3", true}};
  const std::string statement = "UPDATE app_account SET oaopenid = ? WHERE unionid = ?";
  if (backendName == "sqlite") {
    BOOST_CHECK_THROW(store->syncRuns().writeBack(statement, batch), StoreError);
    return;
  }
  execMysql(settings,
            "CREATE TABLE app_account (unionid VARCHAR(64) PRIMARY KEY,"
            " oaopenid VARCHAR(64) NULL)");
  execMysql(settings, "INSERT INTO app_account(unionid) VALUES ('u1'), ('u3'), ('u9')");
  BOOST_TEST(store->syncRuns().writeBack(statement, batch) == 2);
  BOOST_TEST(appOaOpenid(settings, "u1") == "oa1");
  BOOST_TEST(appOaOpenid(settings, "u3") == "oa3");
  BOOST_TEST(appOaOpenid(settings, "u9") == "-");
  BOOST_TEST(store->syncRuns().writeBack(statement, batch) == 0);  // unchanged rows
  BOOST_CHECK_THROW(
      store->syncRuns().writeBack("UPDATE no_such_table SET a = ? WHERE b = ?", batch), StoreError);
}

BOOST_AUTO_TEST_CASE(a_large_batch_merges_an_mp_user_with_its_openid_only_follower) {
  store->accounts().recordMpUser("mpMerge", "uMerge");
  store->accounts().upsertFollowers({{"oaMerge", "", true}, {"oaPlain", "", true}}, 1'000);
  std::vector<FollowerRecord> batch;
  for (int i = 0; i < 2'500; ++i)
    batch.push_back({"oa_" + std::to_string(i), "u_" + std::to_string(i), true});
  batch[1'700] = {"oaMerge", "uMerge", true};  // in the second statement of the transaction
  batch[10] = {"oaPlain", "uPlain", true};
  store->accounts().upsertFollowers(batch, 2'000);
  BOOST_TEST(store->accounts().count() == 2'500);
  auto merged = store->accounts().findByUnionid("uMerge");
  BOOST_REQUIRE(merged);
  BOOST_TEST(merged->oaOpenid == "oaMerge");
  BOOST_TEST(merged->mpOpenid == "mpMerge");
  BOOST_TEST(store->accounts().findByOaOpenid("oaPlain")->unionid == "uPlain");
  BOOST_TEST(store->accounts().findByUnionid("u_2499")->syncedAtMs == 2'000);
}

// The sync writes batches from several threads at once; distinct followers must never make
// them deadlock or wait on each other's locks.
BOOST_AUTO_TEST_CASE(concurrent_batches_of_distinct_followers_all_commit) {
  store->accounts().upsertFollowers({{"seed_a", "seed_ua", true}, {"seed_z", "", true}}, 1);
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < 6; ++t) {
    writers.emplace_back([&, t] {
      try {
        for (int b = 0; b < 4; ++b) {
          std::vector<FollowerRecord> batch;
          for (int i = 0; i < 1'000; ++i) {
            std::string id = std::to_string((i * 7919 + b * 131 + t) % 100'000) + "_" +
                             std::to_string(t) + "_" + std::to_string(b) + "_" + std::to_string(i);
            batch.push_back({"oa" + id, i % 10 ? "u" + id : "", true});
          }
          store->accounts().upsertFollowers(batch, 5'000);
        }
      } catch (const std::exception& e) {
        BOOST_TEST_MESSAGE("writer failed: " << e.what());
        ++failures;
      }
    });
  }
  for (auto& w : writers) w.join();
  BOOST_TEST(failures.load() == 0);
  BOOST_TEST(store->accounts().count() == 2 + 6 * 4 * 1'000);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
