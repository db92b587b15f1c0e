// The follow of a subscribe push as one statement, for the callback store's push transaction
// (store/callback/callback_store.h): Accounts::setSubscribed(true) and Accounts::noteFollow
// (store/accounts/accounts.h) at once - the row keyed by openid created when none exists,
// `subscribed` newest-wins by time against the sync, a refusing mark set at or before the
// follow lifted, the follow's time remembered. Written next to the accounts' other statements
// (store/accounts/accounts.cpp) so the newest-wins rules have one text. Plain values.
#pragma once

#include <cstdint>
#include <string>

#include "store/db/dialect.h"
#include "store/db/statement.h"

namespace wxb {

// Parameters: oa_openid, the follow's time as the row's synced_at, and as its followed_at
// (both Unix ms, the push's CreateTime).
using FollowStmt = Stmt<std::string, int64_t, int64_t>;

// The follow statement of `dialect`.
const FollowStmt& followStatement(const Dialect& dialect);

}  // namespace wxb
