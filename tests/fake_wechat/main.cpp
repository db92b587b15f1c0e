// fake-wechat: a fake of the WeChat platform for wxbridge's tests and benchmarks.
// Usage and behaviour: docs/fake-wechat.md; `fake-wechat --help`.
#include <Poco/Crypto/Crypto.h>
#include <Poco/Exception.h>

#include <csignal>
#include <iostream>

#include "fake_wechat/options.h"
#include "fake_wechat/platform.h"
#include "fake_wechat/server.h"

namespace {

// Blocks SIGINT/SIGTERM in every thread (call before any starts) so sigwait() receives them.
sigset_t blockTerminationSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  return signals;
}

int serve(const wxb::fake::Options& options) {
  sigset_t signals = blockTerminationSignals();
  Poco::Crypto::initializeCrypto();
  wxb::fake::Platform platform(options);
  wxb::fake::FakeServer server(platform, options);
  server.start();
  std::cout << "listening on 127.0.0.1:" << server.port() << std::endl;
  int received = 0;
  sigwait(&signals, &received);
  server.stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto parsed = wxb::fake::parseOptions(std::vector<std::string>(argv + 1, argv + argc));
  if (std::holds_alternative<wxb::fake::HelpRequested>(parsed)) {
    std::cout << wxb::fake::usage();
    return 0;
  }
  if (const auto* error = std::get_if<std::string>(&parsed)) {
    std::cerr << "fake-wechat: " << *error << "\n"
              << "try 'fake-wechat --help'\n";
    return 2;
  }
  try {
    return serve(std::get<wxb::fake::Options>(parsed));
  } catch (const Poco::Exception& error) {
    std::cerr << "fake-wechat: " << error.displayText() << "\n";
    return 1;
  } catch (const std::exception& error) {
    std::cerr << "fake-wechat: " << error.what() << "\n";
    return 1;
  }
}
