// Send classes under a short budget or a 45009 pause: lower classes stop first as the budget
// runs out, wait for the next China day, and resume after a pause one after another.
#include <boost/test/unit_test.hpp>

#include "notify/send_priority.h"
#include "support/utc_ms.h"
#include "wechat/china_day.h"

namespace wxb {

namespace {

const std::vector<SendClass> kAllClasses = {SendClass::Direct, SendClass::Reminder,
                                            SendClass::Realtime, SendClass::Digest};

// 2026-11-21 10:00 China time.
const int64_t kMorning = test::utcMs(2026, 11, 21, 2, 0, 0);

std::vector<SendClass> openClasses(const ChannelBudget& budget, int64_t nowMs) {
  std::vector<SendClass> open;
  for (SendClass c : kAllClasses) {
    if (!closedUntilMs(c, budget, nowMs)) open.push_back(c);
  }
  return open;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(notify_send_priority)

BOOST_AUTO_TEST_CASE(names_parse_and_print_highest_first) {
  for (SendClass c : kAllClasses) BOOST_TEST((parseSendClass(sendClassName(c)) == c));
  BOOST_TEST(!parseSendClass("urgent").has_value());
  BOOST_TEST(budgetReserve(SendClass::Direct) < budgetReserve(SendClass::Reminder));
  BOOST_TEST(budgetReserve(SendClass::Realtime) < budgetReserve(SendClass::Digest));
}

BOOST_AUTO_TEST_CASE(lower_classes_stop_first_as_the_budget_runs_out) {
  ChannelBudget budget{1000, 0, 0};
  BOOST_TEST(openClasses(budget, kMorning).size() == 4u);
  budget.usedToday = 899;
  BOOST_TEST(openClasses(budget, kMorning).size() == 4u);
  budget.usedToday = 900;  // 10% left: kept for the classes above digest
  BOOST_TEST((openClasses(budget, kMorning) ==
              std::vector<SendClass>{SendClass::Direct, SendClass::Reminder, SendClass::Realtime}));
  budget.usedToday = 950;
  BOOST_TEST((openClasses(budget, kMorning) ==
              std::vector<SendClass>{SendClass::Direct, SendClass::Reminder}));
  budget.usedToday = 980;
  BOOST_TEST((openClasses(budget, kMorning) == std::vector<SendClass>{SendClass::Direct}));
  budget.usedToday = 1000;
  BOOST_TEST(openClasses(budget, kMorning).empty());
}

BOOST_AUTO_TEST_CASE(a_spent_budget_reopens_at_the_next_china_midnight) {
  ChannelBudget budget{1000, 1000, 0};
  auto until = closedUntilMs(SendClass::Direct, budget, kMorning);
  BOOST_REQUIRE(until.has_value());
  BOOST_TEST(*until == test::utcMs(2026, 11, 21, 16, 0, 0));  // 00:00 on the 22nd in China
  BOOST_TEST(*until == nextChinaMidnightMs(kMorning));
}

BOOST_AUTO_TEST_CASE(a_pause_closes_every_class_and_they_resume_highest_first) {
  const int64_t end = kMorning + 60'000;
  ChannelBudget budget{1000, 0, end};
  BOOST_TEST(openClasses(budget, kMorning).empty());
  BOOST_TEST(*closedUntilMs(SendClass::Direct, budget, kMorning) == end);
  BOOST_TEST(*closedUntilMs(SendClass::Digest, budget, kMorning) == end + 3 * kResumeStaggerMs);
  BOOST_TEST((openClasses(budget, end) == std::vector<SendClass>{SendClass::Direct}));
  BOOST_TEST((openClasses(budget, end + kResumeStaggerMs) ==
              std::vector<SendClass>{SendClass::Direct, SendClass::Reminder}));
  BOOST_TEST(openClasses(budget, end + 3 * kResumeStaggerMs).size() == 4u);
}

BOOST_AUTO_TEST_CASE(a_budget_of_zero_sends_nothing) {
  BOOST_TEST(openClasses(ChannelBudget{0, 0, 0}, kMorning).empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb
