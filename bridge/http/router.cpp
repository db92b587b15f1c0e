#include "bridge/http/router.h"

#include <Poco/URI.h>

namespace wxb {

std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> out;
  size_t start = path.empty() || path[0] != '/' ? 0 : 1;
  while (true) {
    size_t slash = path.find('/', start);
    out.push_back(
        path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) return out;
    start = slash + 1;
  }
}

void Router::add(Route route) {
  segments_.push_back(splitPath(route.pattern));
  routes_.push_back(std::move(route));
}

bool Router::matchPattern(const std::vector<std::string>& pattern,
                          const std::vector<std::string>& path,
                          std::map<std::string, std::string>& params) {
  if (pattern.size() != path.size()) return false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const std::string& p = pattern[i];
    const std::string& s = path[i];
    if (p.empty() || p[0] != '{') {
      if (p != s) return false;
      continue;
    }
    size_t close = p.find('}');
    std::string suffix = p.substr(close + 1);  // "" or ":verb"
    if (s.size() <= suffix.size() || s.compare(s.size() - suffix.size(), suffix.size(), suffix)) {
      return false;
    }
    std::string value = s.substr(0, s.size() - suffix.size());
    if (value.find(':') != std::string::npos) return false;
    params[p.substr(1, close - 1)] = value;
  }
  return true;
}

RouteMatch Router::match(const std::string& method, const std::string& path) const {
  RouteMatch result;
  auto parts = splitPath(path);
  // Split first, then decode: "%2F" is part of a segment, never a separator.
  for (auto& part : parts) {
    std::string decoded;
    Poco::URI::decode(part, decoded);
    part = std::move(decoded);
  }
  for (size_t i = 0; i < routes_.size(); ++i) {
    std::map<std::string, std::string> params;
    if (!matchPattern(segments_[i], parts, params)) continue;
    if (routes_[i].method == method) {
      result.route = &routes_[i];
      result.params = std::move(params);
      return result;
    }
    result.allowedMethods.push_back(routes_[i].method);
  }
  return result;
}

}  // namespace wxb
