// The ids one accounts row holds, read by the two transactions that link a follower and a
// mini-program user: a bind code's scan (CallbackStore, store/callback/callback_store.h) and an
// MP login that reports a unionid (Accounts::recordMpUser, store/accounts/accounts.h). Written
// next to the accounts' other statements (store/accounts/accounts.cpp) so the row has one
// reading. Plain values; the statements are built once and safe to share between threads.
#pragma once

#include <cstdint>
#include <string>

#include "store/db/row.h"
#include "store/db/statement.h"

namespace wxb {

// One row by the ids it holds: "" for each one it does not hold.
struct AccountIds {
  int64_t id = 0;
  std::string unionid;
  std::string oaOpenid;
  std::string mpOpenid;
};

template <>
struct RowReader<AccountIds> {
  static AccountIds read(const Row& r) {
    return AccountIds{r.int64(0), r.text(1), r.text(2), r.text(3)};
  }
};

// Each a unique key of accounts.
enum class AccountKey { Unionid, OaOpenid, MpOpenid };

// The statement reading the row that holds the one parameter as `key` (at most one row).
const Stmt<std::string>& accountIdsBy(AccountKey key);

}  // namespace wxb
