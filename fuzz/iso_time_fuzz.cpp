// Fuzz target: ISO 8601 times as operators type them (parseIsoTime) and as wxbridge prints them
// (formatIsoTime). Input: a zone byte, then the text. Properties: a rejected text says why; an
// accepted one prints as a time that parses back to the same instant, in its zone and in UTC.
#include "cron/iso_time.h"
#include "fuzz/fuzz_input.h"
#include "fuzz/fuzz_zones.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  wxb::fuzz::FuzzInput in(data, size);
  const date::time_zone* zone = wxb::fuzz::zoneFor(in.byte());
  auto ms = wxb::parseIsoTime(in.rest(), zone);
  if (!ms) {
    FUZZ_CHECK(!ms.error().empty(), "a rejected time says why");
    return 0;
  }
  for (const date::time_zone* shown : {zone, static_cast<const date::time_zone*>(nullptr)}) {
    std::string text = wxb::formatIsoTime(*ms, shown);
    auto again = wxb::parseIsoTime(text, shown);
    FUZZ_CHECK(again && *again == *ms, "a printed time parses back to the same instant");
  }
  return 0;
}
