// Stores that cannot be used: an SQLite path that cannot hold a database makes every command
// that opens the store exit 2 at once naming store.url and the operating system's reason; a
// start-up that waits on the store still ends at once on SIGTERM; a store that cannot take
// writes is refused at serve's start, and one that stops taking writes while serve runs gives
// 503 store_unavailable on writes and on /readyz, not 500; a MariaDB whose binary log is in
// statement format (it refuses writes at READ COMMITTED) makes them exit 2 naming the setting.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "store/open_store.h"
#include "support/command_process.h"
#include "support/run_command.h"
#include "support/test_store.h"
#include "support/wxbridge_process.h"

namespace wxb::test {

namespace {

namespace fs = std::filesystem;

// Every command that opens the store, with what it needs besides the store.
const std::vector<std::vector<std::string>> kStoreCommands = {
    {"migrate"}, {"lookup", "oUnionAbc"}, {"serve"},
    {"sync"},    {"token", "oa"},         {"digest", "--dry-run"},
};

std::vector<std::string> withConfig(const std::string& storeUrl,
                                    const std::vector<std::string>& command) {
  std::vector<std::string> args = {
      "--set", "store.url=" + storeUrl,           "--set", "http.port=0",
      "--set", "wechat.oa.appid=wxfakeoa",        "--set", "notify.digest.template=daily",
      "--set", "templates.daily.template_id=TPL", "--set", "templates.daily.data.thing1=x"};
  args.insert(args.end(), command.begin(), command.end());
  return args;
}

// Runs wxbridge as a user the file permissions apply to: as root (which ignores them) through
// setpriv as nobody; otherwise as the test's own user.
std::unique_ptr<CommandProcess> startUnprivileged(const std::vector<std::string>& args) {
  const std::map<std::string, std::string> env = {{"WXBRIDGE_WECHAT_OA_SECRET", "oasecret"}};
  if (geteuid() != 0) return std::make_unique<CommandProcess>(WxbridgeServe::binary(), args, env);
  std::vector<std::string> asNobody = {"--reuid=65534", "--regid=65534", "--clear-groups",
                                       WxbridgeServe::binary()};
  asNobody.insert(asNobody.end(), args.begin(), args.end());
  return std::make_unique<CommandProcess>("/usr/bin/setpriv", asNobody, env);
}

// A fresh folder that the unprivileged user can enter.
fs::path freshFolder() {
  fs::path dir = fs::path(freshStoreSettings("sqlite").sqlitePath).parent_path();
  fs::permissions(dir, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                           fs::perms::others_read | fs::perms::others_exec);
  return dir;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A throwaway MariaDB of the test's own (scripts/mariadb) started with extra mariadbd options,
// stopped and deleted at the end (also when it failed to start); its root answers on the socket,
// user wxb (password wxbtestpw) on TCP.
class OwnMariadb {
 public:
  explicit OwnMariadb(const std::vector<std::string>& options)
      : dir_(fs::temp_directory_path() / ("wxb-mariadb-" + std::to_string(getpid()))) {
    const char* scripts = std::getenv("WXB_SCRIPTS_DIR");
    if (!scripts) {
      problem_ = "run through scripts/test (WXB_SCRIPTS_DIR)";
      return;
    }
    script_ = std::string(scripts) + "/mariadb";
    std::vector<std::string> args = {"start", dir_.string()};
    args.insert(args.end(), options.begin(), options.end());
    auto started = runCommand(script_, args);
    if (started.exitCode != 0) problem_ = "scripts/mariadb start: " + started.err;
    std::ifstream(dir_ / "port") >> port_;
  }
  ~OwnMariadb() {
    if (script_.empty()) return;
    runCommand(script_, {"stop", dir_.string()});
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  OwnMariadb(const OwnMariadb&) = delete;
  OwnMariadb& operator=(const OwnMariadb&) = delete;

  const std::string& problem() const { return problem_; }  // "" when it runs
  std::string url() const { return "mysql://wxb@127.0.0.1:" + std::to_string(port_) + "/wxbridge"; }
  // Runs `sql` as root; returns the client's exit code.
  int asRoot(const std::string& sql) const {
    const std::string socket = "--socket=" + (dir_ / "mysqld.sock").string();
    return runCommand("/usr/bin/mariadb", {"--no-defaults", socket, "-uroot", "-e", sql}).exitCode;
  }

 private:
  fs::path dir_;
  std::string script_;
  std::string problem_;
  int port_ = 0;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(store_open)

BOOST_AUTO_TEST_CASE(an_sqlite_path_that_cannot_hold_a_database_exits_2_at_once_naming_store_url) {
  fs::path folder = freshFolder();
  // A database file the unprivileged user may read but not write, in a folder it may write.
  fs::path writableFolder = freshFolder();
  fs::permissions(writableFolder, geteuid() == 0 ? fs::perms::all : fs::perms::owner_all);
  fs::path readOnlyFile = writableFolder / "ro.db";
  StoreSettings existing;
  existing.sqlitePath = readOnlyFile.string();
  openStore(existing, wallClock())->migrate();
  fs::permissions(readOnlyFile,
                  fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  // A folder the unprivileged user may enter but not write.
  fs::path lockedFolder = freshFolder();
  if (geteuid() != 0) fs::permissions(lockedFolder, fs::perms::owner_read | fs::perms::owner_exec);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {folder.string(), "is a folder, not a database file"},
      {"/proc/nope/x.db", "cannot create the folder /proc/nope"},
      {(lockedFolder / "x.db").string(), "cannot write in the folder"},
      {readOnlyFile.string(), "cannot read and write"},
  };
  for (const auto& [path, reason] : cases) {
    for (const auto& command : kStoreCommands) {
      BOOST_TEST_CONTEXT("sqlite:" << path << " with " << command[0]) {
        auto started = std::chrono::steady_clock::now();
        auto process = startUnprivileged(withConfig("sqlite:" + path, command));
        int code = process->wait(10'000);
        auto tookMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - started)
                          .count();
        BOOST_TEST(code == 2);
        BOOST_TEST(contains(process->err(), "configuration error: store.url: sqlite:" + path),
                   process->err());
        BOOST_TEST(contains(process->err(), reason), process->err());
        BOOST_TEST(tookMs < 5'000);
      }
    }
  }
  BOOST_TEST(!fs::exists(lockedFolder / "x.db"));
}

BOOST_AUTO_TEST_CASE(sigterm_ends_serve_at_once_while_start_up_waits_on_the_store) {
  // A "MySQL server" that accepts connections and never says a word.
  int silent = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  BOOST_REQUIRE(bind(silent, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  BOOST_REQUIRE(listen(silent, 16) == 0);
  socklen_t length = sizeof address;
  getsockname(silent, reinterpret_cast<sockaddr*>(&address), &length);
  const std::string url =
      "mysql://wxb@127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/wxbridge";
  CommandProcess serve(WxbridgeServe::binary(),
                       {"--set", "store.url=" + url, "--set", "store.connect_timeout_ms=60000",
                        "--set", "store.read_timeout_ms=600000", "--set", "http.port=0", "serve"});
  // Waiting for the store once it has connected (its stop signals are set up before): a fixed
  // sleep was too short for an ASan build's start-up on a loaded machine.
  pollfd connecting{silent, POLLIN, 0};
  BOOST_REQUIRE(poll(&connecting, 1, 60'000) == 1);
  int connection = accept(silent, nullptr, nullptr);
  BOOST_REQUIRE(connection >= 0);
  BOOST_REQUIRE(serve.running());  // still waiting for the store
  auto stopped = std::chrono::steady_clock::now();
  serve.signal(SIGTERM);
  BOOST_TEST(serve.wait(5'000) == 0);
  auto tookMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - stopped)
                    .count();
  BOOST_TEST(tookMs < 2'000);
  BOOST_TEST(contains(serve.err(), "during start-up: exiting now"), serve.err());
  close(connection);
  close(silent);
}

BOOST_AUTO_TEST_CASE(serve_refuses_to_start_on_a_store_that_cannot_take_writes) {
  StoreSettings db = freshStoreSettings("mysql");
  openStore(db, wallClock())->migrate();
  StoreSettings readOnly = mysqlUserFor(db, false);
  CommandProcess serve(WxbridgeServe::binary(),
                       {"--set",
                        "store.url=mysql://" + readOnly.user + "@" + readOnly.host + ":" +
                            std::to_string(readOnly.port) + "/" + readOnly.database,
                        "--set", "http.port=0", "serve"},
                       {{"WXBRIDGE_STORE_PASSWORD", readOnly.password}});
  BOOST_TEST(serve.wait(15'000) == 1);
  BOOST_TEST(contains(serve.err(), "store unavailable"), serve.err());
  BOOST_TEST(contains(serve.err(), "cannot take writes"), serve.err());
  BOOST_TEST(!contains(serve.err(), readOnly.password));
}

BOOST_AUTO_TEST_CASE(a_store_that_stops_taking_writes_answers_503_and_is_not_ready) {
  StoreSettings db = freshStoreSettings("mysql");
  openStore(db, wallClock())->migrate();
  StoreSettings user = mysqlUserFor(db, true);
  setenv("WXBRIDGE_STORE_PASSWORD", user.password.c_str(), 1);
  WxbridgeServe serve({"store.url=mysql://" + user.user + "@" + user.host + ":" +
                       std::to_string(user.port) + "/" + user.database});
  unsetenv("WXBRIDGE_STORE_PASSWORD");
  const std::string event = R"({"event_id":"e1","unionid":"uA","type":"chat","text":"hi"})";
  BOOST_TEST(serve.call("POST", "/v1/events", event).status == 202);
  BOOST_TEST(serve.request("GET", "/readyz").status == 200);
  revokeWrites(user);
  auto refused = serve.call("POST", "/v1/events",
                            R"({"event_id":"e2","unionid":"uA","type":"chat","text":"hi"})");
  BOOST_TEST(refused.status == 503, refused.body);
  BOOST_TEST(contains(refused.body, "\"store_unavailable\""), refused.body);
  auto ready = serve.request("GET", "/readyz");
  BOOST_TEST(ready.status == 503);
  BOOST_TEST(contains(ready.body, "cannot take writes"), ready.body);
  BOOST_TEST(serve.call("GET", "/v1/accounts/uA").status == 404);  // reads still answer
  BOOST_TEST(serve.request("GET", "/healthz").status == 200);
}

// With the binary log on in statement format, InnoDB refuses writes at READ COMMITTED (error
// 1665), the level of the real-time intake, notice decisions, digest and outbox claim: every
// command that opens the store refuses such a server at once, exit 2 naming the setting,
// instead of failing those writes later with 500s. log_bin cannot be switched on at run time,
// and the shared test server keeps no binary log (SET GLOBAL there would reach every test
// running at once), so this test starts a MariaDB of its own with --log-bin. Once the server
// logs MIXED (the default), the same commands run.
BOOST_AUTO_TEST_CASE(a_mariadb_logging_statements_is_refused_at_start_naming_binlog_format) {
  OwnMariadb server({"--log-bin", "--binlog-format=STATEMENT", "--innodb-buffer-pool-size=64M",
                     "--innodb-log-file-size=48M"});
  BOOST_REQUIRE_MESSAGE(server.problem().empty(), server.problem());
  // The premise: a write at READ COMMITTED fails on this server.
  BOOST_REQUIRE(server.asRoot("CREATE TABLE wxbridge.probe(i INT) ENGINE=InnoDB") == 0);
  BOOST_TEST(server.asRoot("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED; "
                           "INSERT INTO wxbridge.probe VALUES(1)") != 0);
  const std::map<std::string, std::string> env = {{"WXBRIDGE_STORE_PASSWORD", "wxbtestpw"},
                                                  {"WXBRIDGE_WECHAT_OA_SECRET", "oasecret"}};
  for (const auto& command : {kStoreCommands[0], kStoreCommands[2]}) {  // migrate, serve
    BOOST_TEST_CONTEXT(command[0]) {
      CommandProcess refused(WxbridgeServe::binary(), withConfig(server.url(), command), env);
      BOOST_TEST(refused.wait(30'000) == 2);  // throws when serve runs on instead
      BOOST_TEST(contains(refused.err(), "configuration error: store.url: " + server.url() + ": "),
                 refused.err());
      BOOST_TEST(contains(refused.err(), "binlog_format=STATEMENT"), refused.err());
      BOOST_TEST(contains(refused.err(), "MIXED or ROW"), refused.err());
      BOOST_TEST(!contains(refused.err(), "wxbtestpw"));
    }
  }
  BOOST_REQUIRE(server.asRoot("SET GLOBAL binlog_format = 'MIXED'") == 0);
  CommandProcess migrated(WxbridgeServe::binary(), withConfig(server.url(), {"migrate"}), env);
  BOOST_TEST(migrated.wait(30'000) == 0, migrated.err());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
