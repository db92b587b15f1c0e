#include "support/store_fixture.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "store/db/mysql_db.h"
#include "store/open_store.h"

namespace wxb::test {

StoreFixture::StoreFixture() {
  BOOST_TEST_MESSAGE("store backend: " << backendName);
  store = openStore(settings, wallClock());
  store->migrate();
}

bool runInProcesses(int n, const std::function<int(int)>& body) {
  std::vector<pid_t> children;
  for (int i = 0; i < n; ++i) {
    pid_t pid = fork();
    if (pid == 0) {
      int code = 1;
      try {
        code = body(i);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "child %d: %s\n", i, e.what());
        code = 3;
      }
      _exit(code);
    }
    children.push_back(pid);
  }
  bool allOk = true;
  for (pid_t pid : children) {
    int status = 0;
    waitpid(pid, &status, 0);
    allOk = allOk && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
  return allOk;
}

bool whileAnInsertIsOpen(const StoreSettings& settings, const std::string& insert,
                         const std::function<void()>& work) {
  if (settings.kind != StoreSettings::Kind::Mysql) {
    work();
    return true;
  }
  std::atomic<bool> inserted{false}, done{false};
  bool releasedByTheWork = false;
  MysqlDb other(settings, wallClock());
  std::thread holder([&] {
    other.transaction([&](Session& s) {
      s.executeScript(insert);
      inserted = true;
      const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (!done && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      releasedByTheWork = done;
    });
  });
  while (!inserted) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  work();
  done = true;
  holder.join();
  return releasedByTheWork;
}

std::map<std::string, int64_t> heldCountedNow(Store& store, std::span<const NewMessage> messages) {
  std::map<std::string, int64_t> counted;
  for (const auto& m : messages) {
    if (auto unread = store.notifications().unreadSummary(m.unionid)) {
      counted[m.unionid] = unread->heldUpToId;
    }
  }
  return counted;
}

}  // namespace wxb::test
