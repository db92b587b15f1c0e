// The integration test binary's entry point: tests that talk to real processes over loopback
// (fake-wechat, wxbridge, MariaDB). A broken connection must fail a test, not kill the binary,
// so SIGPIPE is ignored for the whole run.
#define BOOST_TEST_MODULE wxbridge_integration
#include <boost/test/unit_test.hpp>
#include <csignal>

namespace {

struct IgnoreSigpipe {
  IgnoreSigpipe() { std::signal(SIGPIPE, SIG_IGN); }
};

}  // namespace

BOOST_TEST_GLOBAL_FIXTURE(IgnoreSigpipe);
