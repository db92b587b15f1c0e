// Failpoints: test hooks that make `wxbridge serve` die at one named moment, as a kill -9 would
// there, so that a crash test hits that moment every time (docs/reliability.md "Test hooks").
// The environment variable WXB_FAILPOINT names the moment; serve's wiring reads it once at start
// and keeps a bool where the hook sits, so an unset variable costs one test of a false bool.
// Moments: `callback_after_commit` - right after a push's transaction committed, before its
// reply is written (bridge/app/serve_routes.cpp); `send_after_grant_taken` and
// `send_after_call_started` - a subscribe send with its grant spent, before and after its
// call-started mark (SenderSettings::failpoint, wired in bridge/app/services.cpp).
// Thread-safe (reads the environment only).
#pragma once

#include <string_view>

namespace wxb {

// Whether WXB_FAILPOINT names `name` (exactly).
bool failpointArmed(std::string_view name);

// Ends the process at once with exit status 137 (128 + SIGKILL, what a kill -9 reports):
// no destructor, no flush, no reply, no sanitizer exit check; the kernel closes its sockets.
[[noreturn]] void failpointExit();

}  // namespace wxb
