// `wxbridge COMMAND --help`: every command explains itself and exits 0, without reading the
// configuration or touching the store; `--` lets an argument that looks like --help through.
#include <boost/test/unit_test.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "bridge/cli/cli.h"
#include "bridge/cli/commands.h"

namespace {

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome run(std::vector<std::string> words) {
  words.insert(words.begin(), "wxbridge");
  std::ostringstream out, err;
  int code = wxb::runCli(words, out, err);
  return {code, out.str(), err.str()};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_help)

BOOST_AUTO_TEST_CASE(every_command_answers_help_with_its_usage_and_exit_0) {
  for (const auto& command : wxb::commands()) {
    for (const char* flag : {"--help", "-h"}) {
      BOOST_TEST_CONTEXT(command.name << " " << flag) {
        // A configuration that could not be used: help must not need one.
        auto r = run({"--set", "http.port=nope", command.name, flag});
        BOOST_TEST(r.code == 0);
        BOOST_TEST(r.out.starts_with("usage: wxbridge [--config FILE] [--set key=value ...] " +
                                     std::string(command.usage) + "\n"));
        BOOST_TEST(r.out.find(command.summary) != std::string::npos);
        BOOST_TEST(r.out.size() > std::string(command.usage).size() + 80);  // details follow
        BOOST_TEST(r.err == "");
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(help_after_other_arguments_is_still_help) {
  auto lookup = run({"lookup", "oUnion123", "--help"});
  BOOST_TEST(lookup.code == 0);
  BOOST_TEST(lookup.out.find("UNIONID") != std::string::npos);
  auto cron = run({"cron", "*/5 * * * *", "--count", "2", "-h"});
  BOOST_TEST(cron.code == 0);
  BOOST_TEST(cron.out.find("--from") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(after_a_double_dash_help_is_an_argument) {
  // `cron -- --help` hands "--help" to cron, which refuses it as an option it does not know.
  auto r = run({"cron", "--", "--help"});
  BOOST_TEST(r.code == 2);
  BOOST_TEST(r.err.find("unknown option '--help'") != std::string::npos, r.err);
  BOOST_TEST(r.out == "");
}

BOOST_AUTO_TEST_SUITE_END()
