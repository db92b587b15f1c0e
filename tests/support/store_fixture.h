// The fixture of the store contract suite: a fresh migrated store on the backend of this run
// (WXB_TEST_BACKEND), plus a helper that runs a function in several child processes.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>

#include "support/test_store.h"

namespace wxb::test {

struct StoreFixture {
  std::string backendName = backend();
  StoreSettings settings = freshStoreSettings(backendName);
  std::unique_ptr<Store> store;

  StoreFixture();
};

// Forks `n` children that each run body(index) and exit with its return value; returns true
// when every child exited 0. Children open their own store connections.
bool runInProcesses(int n, const std::function<int(int)>& body);

// Holds `insert` (one SQL statement) uncommitted on a connection of its own while work() runs,
// released by work's end or after 10 s; returns whether work ended first. MariaDB only: on
// SQLite (one writer at a time) it runs work() alone and returns true.
bool whileAnInsertIsOpen(const StoreSettings& settings, const std::string& insert,
                         const std::function<void()>& work);

// What a digest reading now counts for the users of `messages`, as Notices::enqueueDigest takes
// it: unionid -> UnreadSummary::heldUpToId (users with nothing unread left out).
std::map<std::string, int64_t> heldCountedNow(Store& store, std::span<const NewMessage> messages);

}  // namespace wxb::test
