#include "store/accounts/lookup_batcher.h"

#include <string_view>
#include <unordered_map>

namespace wxb {

namespace {

// One answer per unionid of `batch` (repeats included) from one findMany of the distinct ones.
std::vector<std::optional<Account>> lookUp(const LookupBatcher::FindMany& findMany,
                                           std::span<const std::string> batch) {
  std::vector<std::string> ids;
  std::unordered_map<std::string_view, size_t> index;  // unionid -> position in `found`
  for (const auto& id : batch) {
    if (index.emplace(id, 0).second) ids.push_back(id);
  }
  const std::vector<Account> found = findMany(ids);
  index.clear();
  for (size_t i = 0; i < found.size(); ++i) index.emplace(found[i].unionid, i);
  std::vector<std::optional<Account>> answers(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    if (auto hit = index.find(batch[i]); hit != index.end()) answers[i] = found[hit->second];
  }
  return answers;
}

}  // namespace

LookupBatcher::LookupBatcher(FindMany findMany, int maxQueries, size_t maxBatch)
    : batcher_([findMany = std::move(findMany)](
                   std::span<const std::string> batch) { return lookUp(findMany, batch); },
               maxQueries, maxBatch) {}

std::optional<Account> LookupBatcher::findByUnionid(const std::string& unionid) {
  return batcher_.call(unionid);
}

}  // namespace wxb
