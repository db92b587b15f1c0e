// Session::execIn / queryIn (store/db/db.h): an IN list is padded to its length by repeating its
// last entry, and a list that does not fit - empty, or longer than the length - is refused with
// std::logic_error instead of losing its tail without a word (REVIEW4 R5). No database: a
// session that keeps what it was asked to run.
#include <boost/test/unit_test.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/db/db.h"

using namespace wxb;

namespace {

class KeptSession final : public Session {
 public:
  int64_t execute(const std::string& sql, const Params& params) override {
    this->sql = sql;
    for (const auto& v : params.values()) ids.push_back(std::get<int64_t>(v));
    return 0;
  }
  void select(const std::string&, const Params&, const std::function<void(const Row&)>&) override {}
  void executeScript(const std::string&) override {}

  std::string sql;
  std::vector<int64_t> ids;
};

const InStmt<int64_t> kDelete{"DELETE FROM t WHERE id IN ", ""};

}  // namespace

BOOST_AUTO_TEST_SUITE(store_in_list)

BOOST_AUTO_TEST_CASE(a_list_is_padded_with_its_last_entry) {
  KeptSession s;
  const std::vector<int64_t> ids{7, 8, 9};
  s.execIn(kDelete, std::span(ids), 4);
  BOOST_TEST(s.sql == "DELETE FROM t WHERE id IN (?, ?, ?, ?)");
  BOOST_TEST(s.ids == (std::vector<int64_t>{7, 8, 9, 9}));
}

BOOST_AUTO_TEST_CASE(a_list_longer_than_its_length_or_empty_is_refused) {
  KeptSession s;
  const std::vector<int64_t> ids{7, 8, 9};
  BOOST_CHECK_THROW(s.execIn(kDelete, std::span(ids), 2), std::logic_error);
  BOOST_CHECK_THROW(s.execIn(kDelete, std::span(ids).first(0), 2), std::logic_error);
  BOOST_TEST(s.ids.empty());  // nothing ran
}

BOOST_AUTO_TEST_SUITE_END()
