// NotifyEnv: the world of a notification integration test - a real fake-wechat, a fresh
// migrated store on one backend seeded with the fake's followers, and the `--set` arguments and
// environment that point a wxbridge child (`digest`, `serve`) at both, with a digest template
// configured. Used by notify_test.cpp and notify_crash_test.cpp; one per test.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "cron/clock.h"
#include "notify/outbox_sender.h"
#include "store/store.h"
#include "store/store_settings.h"
#include "support/fake_wechat_process.h"
#include "support/platform_clients.h"

namespace wxb::test {

struct Follower {
  std::string openid;
  std::string unionid;
};

class NotifyEnv {
 public:
  // `fakeArgs` are added to --followers N --unionid-ratio 1.
  NotifyEnv(const std::string& backend, int followers, std::vector<std::string> fakeArgs = {});

  FakeWechatProcess& fake() { return fake_; }
  Store& store() { return *store_; }
  const StoreSettings& storeSettings() const { return storeSettings_; }
  const std::vector<Follower>& followers() const { return followers_; }

  // Unread events for followers [from, to): `chats` chat events and one invitation each.
  void addEvents(size_t from, size_t to, int chats = 2);

  // --set pairs (without "--set") for wxbridge, `extra` appended.
  std::vector<std::string> sets(const std::vector<std::string>& extra = {}) const;
  // `wxbridge --set ... COMMAND...` arguments.
  std::vector<std::string> commandArgs(const std::vector<std::string>& command,
                                       const std::vector<std::string>& extraSets = {}) const;
  // Secrets for the child's environment.
  std::map<std::string, std::string> secrets() const;

  // Deliveries the fake recorded of one api ("template", "subscribe", "bizsend"), oldest first.
  std::vector<nlohmann::json> deliveries(const std::string& api = "template") const;
  // Waits until the fake recorded at least n deliveries (throws after timeoutMs).
  void waitForDeliveries(size_t n, int timeoutMs = 15000) const;

 private:
  FakeWechatProcess fake_;
  StoreSettings storeSettings_;
  std::unique_ptr<Store> store_;
  std::vector<Follower> followers_;
};

// 2026-11-21 15:00 in Shanghai: far from midnight, so a 45009 pauses until the next one.
constexpr int64_t kAfternoonMs = 1'795'244'400'000;

// An outbox sender inside the test process, on a clock the test drives.
struct InProcessSender {
  ManualClock clock{kAfternoonMs};
  PlatformClients wx;
  OutboxSender sender;

  InProcessSender(NotifyEnv& env, SenderSettings settings);
};

// touser -> deliveries to it.
std::map<std::string, int> deliveriesByUser(const std::vector<nlohmann::json>& deliveries);

}  // namespace wxb::test
