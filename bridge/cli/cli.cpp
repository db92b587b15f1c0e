#include "bridge/cli/cli.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <ostream>

#include "bridge/cli/commands.h"
#include "bridge/config/logging.h"
#include "store/store.h"

namespace wxb {

namespace {

void printHelp(std::ostream& out) {
  out << "usage: wxbridge [--config FILE] [--set key=value ...] COMMAND [ARGS]\n\n"
         "Bridges a WeChat mini program to its official account: access_token service,\n"
         "unionid -> OA openid map, notifications as template messages.\n\ncommands:\n";
  for (const auto& c : commands()) {
    std::string usage = c.usage;
    out << "  " << usage << std::string(usage.size() < 34 ? 34 - usage.size() : 1, ' ') << c.summary
        << "\n";
  }
  out << "\noptions:\n"
         "  --config FILE     properties file (see etc/wxbridge.properties)\n"
         "  --set key=value   override one key (repeatable); WXBRIDGE_* variables override\n"
         "                    the file too, e.g. WXBRIDGE_STORE_PASSWORD\n"
         "  --help            this text; `wxbridge COMMAND --help` explains one command\n\n"
         "exit codes: 0 success, 1 failure, 2 usage or configuration error\n";
}

void printCommandHelp(const CommandInfo& command, std::ostream& out) {
  out << "usage: wxbridge [--config FILE] [--set key=value ...] " << command.usage << "\n"
      << command.summary << "\n\n"
      << command.details;
}

// Whether the command's arguments ask for help: `--help` or `-h` before any `--`.
bool asksForHelp(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "--") return false;
    if (a == "--help" || a == "-h") return true;
  }
  return false;
}

// The arguments without the first `--`, which only stops `--help` being read as help.
std::vector<std::string> withoutSeparator(std::vector<std::string> args) {
  auto separator = std::find(args.begin(), args.end(), "--");
  if (separator != args.end()) args.erase(separator);
  return args;
}

const CommandInfo* findCommand(const std::string& name) {
  for (const auto& c : commands()) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

int runWithConfig(const CliArgs& cli, const CommandInfo& command, std::ostream& out,
                  std::ostream& err) {
  auto config = loadConfig(cli.sources);
  if (!config) {
    err << "wxbridge: configuration error: " << config.error().describe() << "\n";
    return 2;
  }
  if (auto logging = configureLogging(**config); !logging) {
    err << "wxbridge: configuration error: " << logging.error().describe() << "\n";
    return 2;
  }
  auto settings = readSettings(**config);
  if (!settings) {
    err << "wxbridge: configuration error: " << settings.error().describe() << "\n";
    return 2;
  }
  SystemClock clock;
  CommandContext ctx{*settings, **config, clock, out, err};
  try {
    return command.run(ctx, cli.args);
  } catch (const std::exception&) {
    return reportFailure(command.name, err);
  }
}

}  // namespace

int reportFailure(std::string_view command, std::ostream& err) {
  try {
    throw;
  } catch (const StoreConfigError& e) {
    err << "wxbridge: configuration error: " << e.key() << ": " << e.what() << "\n";
    return 2;
  } catch (const StoreUnavailable& e) {
    err << "wxbridge " << command << ": store unavailable: " << e.what() << "\n";
  } catch (const std::exception& e) {
    err << "wxbridge " << command << ": " << e.what() << "\n";
  }
  return 1;
}

std::expected<CliArgs, std::string> parseCli(const std::vector<std::string>& argv) {
  CliArgs cli;
  size_t i = 1;
  for (; i < argv.size() && cli.command.empty(); ++i) {
    const std::string& a = argv[i];
    if (a == "--help" || a == "-h") {
      cli.help = true;
    } else if (a == "--config" || a == "--set") {
      if (i + 1 >= argv.size()) return std::unexpected(a + " needs a value");
      const std::string& value = argv[++i];
      if (a == "--config") {
        cli.sources.file = value;
        continue;
      }
      size_t eq = value.find('=');
      if (eq == std::string::npos || eq == 0) return std::unexpected("--set needs key=value");
      cli.sources.sets.emplace_back(value.substr(0, eq), value.substr(eq + 1));
    } else if (a.rfind("--", 0) == 0) {
      return std::unexpected("unknown option " + a);
    } else {
      cli.command = a;
    }
  }
  cli.args.assign(argv.begin() + static_cast<long>(i), argv.end());
  cli.sources.environment = wxbridgeEnvironment();
  return cli;
}

int runCli(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
  auto cli = parseCli(argv);
  if (!cli) {
    err << "wxbridge: " << cli.error() << " (see wxbridge --help)\n";
    return 2;
  }
  if (cli->help || cli->command.empty()) {
    printHelp(cli->help ? out : err);
    return cli->help ? 0 : 2;
  }
  const CommandInfo* command = findCommand(cli->command);
  if (!command) {
    err << "wxbridge: unknown command '" << cli->command << "' (see wxbridge --help)\n";
    return 2;
  }
  if (asksForHelp(cli->args)) {
    printCommandHelp(*command, out);
    return 0;
  }
  cli->args = withoutSeparator(std::move(cli->args));
  return runWithConfig(*cli, *command, out, err);
}

}  // namespace wxb
