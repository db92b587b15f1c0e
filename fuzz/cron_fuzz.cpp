// Fuzz target: cron expressions (CronExpr::parse) and their next fire times (nextAfter) in the
// zones of fuzz_zones.h. Input: a zone byte, a start byte, then the expression. Properties: a
// rejected expression names its problem; a fire time is a whole second strictly after the start,
// and the one after it later still.
#include "cron/cron_expr.h"
#include "fuzz/fuzz_input.h"
#include "fuzz/fuzz_zones.h"

namespace {

// Starts near daylight saving transitions and calendar edges, Unix ms.
int64_t startFor(uint8_t b) {
  static const int64_t starts[] = {
      1772953200000,  // 2026-03-08 07:00Z, New York spring gap
      1793516400000,  // 2026-11-01 05:00Z, New York fall back
      1798761599000,  // 2026-12-31 23:59:59Z
      1775224800000,  // 2026-04-03, Lord Howe and Chatham autumn
      951782400000,   // 2000-02-29
      0,
  };
  return starts[b % 6] + static_cast<int64_t>(b / 6) * 997'000;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  wxb::fuzz::FuzzInput in(data, size);
  const date::time_zone* zone = wxb::fuzz::zoneFor(in.byte());
  int64_t start = startFor(in.byte());
  auto parsed = wxb::CronExpr::parse(in.rest());
  if (!parsed) {
    FUZZ_CHECK(!parsed.error().message.empty(), "a rejected expression says why");
    return 0;
  }
  auto next = parsed->nextAfter(start, zone);
  if (!next) return 0;
  FUZZ_CHECK(*next > start, "the next fire is after the start");
  FUZZ_CHECK(*next % 1000 == 0, "fire times are whole seconds");
  auto after = parsed->nextAfter(*next, zone);
  FUZZ_CHECK(!after || *after > *next, "fire times increase");
  return 0;
}
