#include "support/cron_fires.h"

#include <date/tz.h>

#include <boost/test/unit_test.hpp>

#include "cron/cron_expr.h"
#include "cron/iso_time.h"

namespace wxb::test {

Times cronFires(std::string_view expr, std::string_view from, int count, const char* zone) {
  auto parsed = CronExpr::parse(expr);
  BOOST_REQUIRE_MESSAGE(parsed, "parse failed: " << (parsed ? "" : parsed.error().message));
  const date::time_zone* tz = date::locate_zone(zone);
  auto start = parseIsoTime(from, tz);
  BOOST_REQUIRE(start);
  Times out;
  for (int64_t after = *start; static_cast<int>(out.size()) < count;) {
    auto next = parsed->nextAfter(after, tz);
    if (!next) break;
    out.push_back(formatIsoTime(*next, tz));
    after = *next;
  }
  return out;
}

}  // namespace wxb::test
