#include "bridge/accounts/account_lookup.h"

#include <set>

namespace wxb {

AccountLookup::AccountLookup(Accounts& accounts, int maxQueries, size_t maxBatch)
    : accounts_(accounts),
      batcher_([&accounts](const auto& ids) { return accounts.findByUnionids(ids); }, maxQueries,
               maxBatch) {}

std::optional<Account> AccountLookup::find(const std::string& unionid) {
  return batcher_.findByUnionid(unionid);
}

AccountMatches AccountLookup::findAll(const std::vector<std::string>& unionids) {
  std::vector<std::string> wanted;
  std::set<std::string> seen;
  for (const auto& id : unionids) {
    if (seen.insert(id).second) wanted.push_back(id);
  }
  AccountMatches matches;
  std::set<std::string> known;
  for (auto& account : accounts_.findByUnionids(wanted)) {
    known.insert(account.unionid);
    matches.found.push_back(std::move(account));
  }
  for (const auto& id : wanted) {
    if (!known.count(id)) matches.missing.push_back(id);
  }
  return matches;
}

}  // namespace wxb
