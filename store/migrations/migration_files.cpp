#include <algorithm>
#include <cctype>

#include "store/migrations/migrations.h"

namespace wxb {

std::vector<EmbeddedMigration> migrationsFor(std::string_view dialect) {
  std::vector<EmbeddedMigration> out;
  for (const auto& m : embeddedMigrations()) {
    if (dialect == m.dialect) out.push_back(m);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::string_view(a.name) < std::string_view(b.name);
  });
  return out;
}

namespace {

bool isBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isspace((unsigned char)c); });
}

std::string_view trimRight(std::string_view s) {
  while (!s.empty() && std::isspace((unsigned char)s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

std::vector<std::string> splitStatements(std::string_view sql) {
  std::vector<std::string> out;
  std::string current;
  size_t pos = 0;
  while (pos < sql.size()) {
    size_t end = sql.find('\n', pos);
    if (end == std::string_view::npos) end = sql.size();
    std::string_view line = sql.substr(pos, end - pos);
    pos = end + 1;
    std::string_view trimmed = trimRight(line);
    size_t first = trimmed.find_first_not_of(" \t");
    if (first != std::string_view::npos && trimmed.substr(first, 2) == "--") continue;
    bool ends = !trimmed.empty() && trimmed.back() == ';';
    if (ends) trimmed.remove_suffix(1);
    current.append(trimmed).push_back('\n');
    if (ends) {
      if (!isBlank(current)) out.push_back(current);
      current.clear();
    }
  }
  if (!isBlank(current)) out.push_back(current);
  return out;
}

}  // namespace wxb
