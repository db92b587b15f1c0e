// Whether a follower list that reached its end can be trusted to tell who no longer follows.
// user/get reports `total`, the platform's follower count, on every page; a run that listed
// clearly fewer openids than that was handed a truncated list, and marking the followers it did
// not see as unsubscribed would cut real followers off. SyncJob asks at the end of the list.
//
// Some shortfall is honest: a follower who joins during the run at a place in the list the run
// has already passed is counted in `total` but never listed, and the platform's count may lag
// its list by a few. Followers who leave during the run cause none: they lower `total` too, and
// the run keeps the count of its last page. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>

namespace wxb {

// Followers a list may miss against a platform count of `total` and still be trusted: 0.5% of
// `total`, at least 10. Far above what joins during a run (a million followers take minutes),
// yet a list cut off early is caught at any size and one lost page of 10,000 below 2,000,000.
int64_t tolerableShortfall(int64_t total);

// How many followers a list that ended after `listed` openids misses when the platform counts
// `total` - if more than tolerableShortfall(total), or if the list was empty while the platform
// counts anyone; nullopt when the list can be trusted.
std::optional<int64_t> listShortfall(int64_t listed, int64_t total);

}  // namespace wxb
