// Who may take over a store lease at once: only a lease whose owner is an exited process of
// this host and PID namespace; a live owner, another host or a foreign name waits for expiry.
#include "store/leases/lease_owner.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>

using namespace wxb;

namespace {

// newLeaseOwner() with its pid field replaced.
std::string ownerWithPid(pid_t pid) {
  std::string owner = newLeaseOwner();
  const size_t from = owner.find(':') + 1;
  const size_t to = owner.find(':', from);
  return owner.substr(0, from) + std::to_string(pid) + owner.substr(to);
}

pid_t exitedChild() {
  pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  return child;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lease_owner)

BOOST_AUTO_TEST_CASE(owners_name_host_pid_namespace_and_a_random_part) {
  std::string a = newLeaseOwner(), b = newLeaseOwner();
  BOOST_TEST(a != b);
  BOOST_TEST(std::count(a.begin(), a.end(), ':') == 3);
  BOOST_TEST(a.find(":" + std::to_string(getpid()) + ":") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_exited_local_process_is_dead) {
  BOOST_TEST(isDeadLocalOwner(ownerWithPid(exitedChild())));
}

BOOST_AUTO_TEST_CASE(this_process_and_live_ones_are_not) {
  BOOST_TEST(!isDeadLocalOwner(newLeaseOwner()));
  BOOST_TEST(!isDeadLocalOwner(ownerWithPid(getppid())));
}

BOOST_AUTO_TEST_CASE(other_hosts_and_foreign_names_are_never_taken_over) {
  std::string dead = ownerWithPid(exitedChild());
  BOOST_TEST(!isDeadLocalOwner("elsewhere" + dead.substr(dead.find(':'))));
  BOOST_TEST(!isDeadLocalOwner("some-other-instance"));
  BOOST_TEST(!isDeadLocalOwner(""));
  BOOST_TEST(!isDeadLocalOwner(dead + ":extra"));
}

BOOST_AUTO_TEST_SUITE_END()
