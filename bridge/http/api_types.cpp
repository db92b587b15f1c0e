#include "bridge/http/api_types.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <set>

#include "wechat/strict_json.h"

namespace wxb {

ApiResponse apiJson(int status, const nlohmann::json& body) {
  return ApiResponse{status, body.dump() + "\n", "application/json", {}};
}

ApiResponse apiError(int status, const std::string& code, const std::string& message) {
  return apiJson(status, {{"error", {{"code", code}, {"message", message}}}});
}

std::variant<nlohmann::json, ApiResponse> parseJsonObject(
    const std::string& body, std::initializer_list<std::string_view> members) {
  auto parsed = parseJsonNoRepeats(body);
  if (!parsed && parsed.error().repeatedName.empty()) {
    return apiError(400, "invalid_json", "body: not valid JSON");
  }
  if (!parsed) {
    return apiError(400, "invalid_json",
                    "body: member " + shownJsonName(parsed.error().repeatedName) +
                        " appears more than once in one object");
  }
  if (!parsed->is_object()) return apiError(400, "invalid_json", "body: must be a JSON object");
  for (const auto& [name, value] : parsed->items()) {
    if (std::find(members.begin(), members.end(), name) != members.end()) continue;
    std::string known;
    for (std::string_view member : members)
      known += (known.empty() ? "" : ", ") + std::string(member);
    return apiError(400, "invalid_field",
                    name + ": unknown member (this route takes " + known + ")");
  }
  return std::move(*parsed);
}

namespace {

// Form encoding: '+' is a space, then %XX escapes. Throws Poco::SyntaxException on a bad escape.
std::string decodeQueryPart(std::string_view part) {
  std::string spaced(part);
  std::replace(spaced.begin(), spaced.end(), '+', ' ');
  std::string out;
  Poco::URI::decode(spaced, out);
  return out;
}

// Calls take(name, value) for each pair of rawQuery, decoded, in order; a pair whose name or
// value is not valid percent-encoding is left out.
template <typename Take>
void forEachQueryPair(std::string_view rawQuery, Take take) {
  size_t start = 0;
  while (start <= rawQuery.size()) {
    size_t end = std::min(rawQuery.find('&', start), rawQuery.size());
    std::string_view pair = rawQuery.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    size_t eq = std::min(pair.find('='), pair.size());
    try {
      std::string name = decodeQueryPart(pair.substr(0, eq));
      take(std::move(name), decodeQueryPart(pair.substr(std::min(eq + 1, pair.size()))));
    } catch (const Poco::SyntaxException&) {
      continue;  // left out: the handler finds it missing
    }
  }
}

}  // namespace

QueryParams parseQuery(std::string_view rawQuery) {
  QueryParams query;
  forEachQueryPair(rawQuery, [&](std::string name, std::string value) {
    query.emplace(std::move(name), std::move(value));
  });
  return query;
}

std::optional<std::string> repeatedQueryName(std::string_view rawQuery) {
  std::set<std::string> seen;
  std::optional<std::string> repeated;
  forEachQueryPair(rawQuery, [&](std::string name, std::string) {
    if (!seen.insert(name).second && !repeated) repeated = std::move(name);
  });
  return repeated;
}

}  // namespace wxb
