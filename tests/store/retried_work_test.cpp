// Store contract: a unit of work the runner runs again after a lost lock race (store/db/db.h)
// leaves the same rows and returns the same answer as one that ran once. A FlakyDb over the real
// database of this run makes one chosen statement of a unit of work lose the race once, after
// the statements before it have run. Runs on SQLite and MariaDB.
#include <boost/test/unit_test.hpp>
#include <memory>

#include "store/db/mysql_db.h"
#include "store/db/sqlite_db.h"
#include "support/store_fixture.h"

namespace wxb::test {

namespace {

// Counts the statements of the units of work it runs and throws LockConflict, once, in place of
// statement number `failAt` (1-based, counted from the start of a unit of work).
class FlakySession final : public Session {
 public:
  FlakySession(Session& inner, int& failAt) : inner_(inner), failAt_(failAt) {}

  int64_t execute(const std::string& sql, const Params& params) override {
    step();
    return inner_.execute(sql, params);
  }
  void select(const std::string& sql, const Params& params,
              const std::function<void(const Row&)>& onRow) override {
    step();
    inner_.select(sql, params, onRow);
  }
  void executeScript(const std::string& sql) override {
    step();
    inner_.executeScript(sql);
  }

 private:
  void step() {
    if (++statements_ == failAt_) {
      failAt_ = 0;  // once
      throw LockConflict("test: lost a lock race");
    }
  }

  Session& inner_;
  int& failAt_;
  int statements_ = 0;
};

class FlakyDb final : public Db {
 public:
  explicit FlakyDb(std::unique_ptr<Db> inner)
      : Db(inner->dialect(), inner->clock()), inner_(std::move(inner)) {}

  int failAt = 0;  // 0: no statement fails

  void exclusive(const std::string& name, const std::function<void(Session&)>& fn) override {
    inner_->exclusive(name, fn);
  }

 protected:
  void runOnce(Unit unit, const std::function<void(Session&)>& fn) override {
    auto flaky = [&](Session& s) {
      FlakySession session(s, failAt);
      fn(session);
    };
    if (unit == Unit::Session) {
      inner_->session(flaky);
    } else if (unit == Unit::ReadCommitted) {
      inner_->readCommittedTransaction(flaky);
    } else {
      inner_->transaction(flaky);
    }
  }

 private:
  std::unique_ptr<Db> inner_;
};

std::unique_ptr<FlakyDb> flakyDb(const StoreSettings& settings) {
  if (settings.kind == StoreSettings::Kind::Mysql) {
    return std::make_unique<FlakyDb>(std::make_unique<MysqlDb>(settings, wallClock()));
  }
  return std::make_unique<FlakyDb>(std::make_unique<SqliteDb>(settings.sqlitePath, wallClock()));
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(store_retried_work, StoreFixture)

BOOST_AUTO_TEST_CASE(a_claim_of_a_sync_run_run_again_counts_one_resume) {
  SyncRun run = store->syncRuns().startRun("host:1:a", 1'000);
  run.state = SyncState::Interrupted;
  BOOST_REQUIRE(store->syncRuns().saveRun(run));
  auto db = flakyDb(settings);
  SyncRuns runs(*db);
  db->failAt = 2;  // the read of the claimed run, after the claim itself
  auto claimed = runs.claimRun(run.id, "host:2:b", 2'000);
  BOOST_REQUIRE(claimed);
  BOOST_TEST(db->failAt == 0, "the fault was not injected");
  BOOST_TEST(claimed->resumes == 1);
  BOOST_TEST(store->syncRuns().findRun(run.id)->resumes == 1);
}

BOOST_AUTO_TEST_CASE(an_enqueue_run_again_still_reports_the_message_as_new) {
  auto db = flakyDb(settings);
  Notifications notifications(*db);
  db->failAt = 2;  // the lookup of the id, after the insert
  EnqueueResult result = notifications.enqueue(
      NewMessage{"direct:k1", "uUser", "oaUser", "daily", R"({"template_id":"T"})", 0}, 1'000);
  BOOST_TEST(db->failAt == 0, "the fault was not injected");
  BOOST_TEST(result.created);
  BOOST_TEST(result.id > 0);
}

BOOST_AUTO_TEST_CASE(a_digest_run_opened_again_is_still_reported_as_created) {
  auto db = flakyDb(settings);
  Notifications notifications(*db);
  db->failAt = 2;  // the read of the run, after the insert
  DigestRun run = notifications.openDigestRun("cron:60000", 1'000);
  BOOST_TEST(db->failAt == 0, "the fault was not injected");
  BOOST_TEST(run.created);
  BOOST_TEST(run.id > 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
