// cronFires: the next fire times of a cron expression as ISO 8601 strings, for the tests that
// compare a schedule with times checked by hand (GNU date). Fails the calling test when the
// expression or the start time does not parse. Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wxb::test {

using Times = std::vector<std::string>;

// The first `count` fire times of `expr` strictly after `from` (ISO 8601; wall time in `zone`
// when it has no offset), formatted in `zone`; fewer when the expression stops firing.
Times cronFires(std::string_view expr, std::string_view from, int count, const char* zone);

}  // namespace wxb::test
