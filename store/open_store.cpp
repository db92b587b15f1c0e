#include "store/open_store.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <regex>

#include "store/db/mysql_db.h"
#include "store/db/sqlite_db.h"

namespace wxb {

std::optional<std::string> parseStoreUrl(const std::string& url, StoreSettings& out) {
  if (url.rfind("sqlite:", 0) == 0) {
    std::string path = url.substr(7);
    if (path.empty()) return "sqlite: needs a path, e.g. sqlite:var/wxbridge.db";
    out.kind = StoreSettings::Kind::Sqlite;
    // Absolute, so that `serve --daemon` (which changes to /) still finds the file.
    out.sqlitePath = path == ":memory:" ? path : std::filesystem::absolute(path).string();
    return std::nullopt;
  }
  static const std::regex kMysql(
      R"(^mysql://([A-Za-z0-9_.\-]{1,80})@([A-Za-z0-9_.\-]{1,253}|\[[0-9A-Fa-f:.]+\])(?::([0-9]{1,5}))?/([A-Za-z0-9_$]{1,64})$)");
  std::smatch m;
  if (!std::regex_match(url, m, kMysql)) {
    size_t at = url.find('@');
    bool hasPassword = url.rfind("mysql://", 0) == 0 && at != std::string::npos &&
                       url.substr(8, at - 8).find(':') != std::string::npos;
    if (hasPassword) return "must not hold a password: set store.password instead";
    return "expected sqlite:PATH or mysql://USER@HOST:PORT/DB";
  }
  int port = m[3].matched ? std::stoi(m[3].str()) : 3306;
  if (port < 1 || port > 65535) return "port must be 1-65535";
  out.kind = StoreSettings::Kind::Mysql;
  out.user = m[1].str();
  out.host = m[2].str();
  out.port = port;
  out.database = m[4].str();
  return std::nullopt;
}

std::optional<std::string> sqlitePathProblem(const std::string& path) {
  if (path == ":memory:") return std::nullopt;
  namespace fs = std::filesystem;
  const fs::path folder = fs::path(path).parent_path();
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) return "cannot create the folder " + folder.string() + ": " + ec.message();
  if (fs::is_directory(path, ec)) return path + " is a folder, not a database file";
  // SQLite keeps its -wal and -shm files beside the database, so the folder must be writable
  // even when the file exists.
  if (access(folder.c_str(), W_OK | X_OK) != 0) {
    return "cannot write in the folder " + folder.string() + ": " + std::strerror(errno);
  }
  if (fs::exists(path, ec) && access(path.c_str(), R_OK | W_OK) != 0) {
    return "cannot read and write " + path + ": " + std::strerror(errno);
  }
  return std::nullopt;
}

std::unique_ptr<Store> openStore(const StoreSettings& settings, const Clock& clock) {
  if (settings.kind == StoreSettings::Kind::Mysql) {
    return std::make_unique<Store>(std::make_unique<MysqlDb>(settings, clock));
  }
  if (auto problem = sqlitePathProblem(settings.sqlitePath)) {
    throw StoreConfigError("store.url", "sqlite:" + settings.sqlitePath + ": " + *problem);
  }
  return std::make_unique<Store>(std::make_unique<SqliteDb>(settings.sqlitePath, clock));
}

}  // namespace wxb
