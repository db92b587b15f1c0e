// `wxbridge sync [--restart]`: one follower sync on this thread (resuming the unfinished run
// unless --restart), with a progress bar on stderr (pages, followers, rate, ETA) and the run's
// summary as one JSON line on stdout. Exit 0 when the run completed; 1 when it did not (another
// sync holds the lease, the run stopped or ended incomplete); 2 for bad usage or an OA that is
// not configured. A killed `wxbridge sync` loses nothing: the next one resumes.
// syncProgressLine() is the bar's text, exposed for tests. Thread-safe: no shared state.
#pragma once

#include <string>

#include "bridge/cli/commands.h"
#include "sync/sync_settings.h"

namespace wxb {

int runSyncCommand(const CommandContext& ctx, const CommandArgs& args);

// "sync run 7 [#########...............] 38% 380,000/1,000,000 followers, page 39,
//  41,250/s, ETA 0:15" - without bar, percentage and ETA while the total is unknown.
std::string syncProgressLine(const SyncProgress& progress, int barWidth = 24);

}  // namespace wxb
