#include "integration/notify_env.h"

#include "store/notifications/notifications.h"
#include "store/open_store.h"
#include "support/eventually.h"
#include "support/test_store.h"
#include "support/wechat_client_fixtures.h"

namespace wxb::test {

namespace {

std::vector<std::string> fakeArgsWith(int followers, std::vector<std::string> extra) {
  std::vector<std::string> args = {"--followers", std::to_string(followers), "--unionid-ratio",
                                   "1"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

}  // namespace

NotifyEnv::NotifyEnv(const std::string& backend, int followers, std::vector<std::string> fakeArgs)
    : fake_(fakeArgsWith(followers, std::move(fakeArgs))),
      storeSettings_(freshStoreSettings(backend)),
      store_(openStore(storeSettings_, wallClock())) {
  store_->migrate();
  std::vector<FollowerRecord> records;
  for (const auto& line : fake_.getNdjson("/__fake/followers")) {
    followers_.push_back({line.at("openid"), line.value("unionid", "")});
    records.push_back({followers_.back().openid, followers_.back().unionid, true});
  }
  store_->accounts().upsertFollowers(records, 1'000);
}

void NotifyEnv::addEvents(size_t from, size_t to, int chats) {
  Notifications& notify = store_->notifications();
  for (size_t i = from; i < to; ++i) {
    const std::string& u = followers_.at(i).unionid;
    for (int c = 0; c < chats; ++c) {
      notify.addEvent({"c" + std::to_string(c) + "-" + u, u, "chat", "Ann", "hello", 1'000});
    }
    notify.addEvent({"i-" + u, u, "invitation", "Bob", "join the trip", 2'000});
  }
}

std::vector<std::string> NotifyEnv::sets(const std::vector<std::string>& extra) const {
  std::vector<std::string> out = {"store.url=" + storeUrl(storeSettings_),
                                  "wechat.api_base=" + fake_.baseUrl(),
                                  "wechat.oa.appid=wxfakeoa",
                                  "wechat.mp.appid=wxfakemp",
                                  "notify.digest.template=daily",
                                  "notify.types.chat.label=chats",
                                  "notify.types.invitation.label=invites",
                                  "templates.daily.template_id=TPL_DAILY",
                                  "templates.daily.miniprogram.pagepath=pages/inbox/index",
                                  "templates.daily.data.keyword1=MyApp",
                                  "templates.daily.data.keyword2={{summary}}",
                                  "templates.daily.data.keyword3={{actor}}: {{text}}",
                                  "templates.note.template_id=TPL_NOTE",
                                  "templates.note.miniprogram.pagepath=pages/order/detail",
                                  "templates.note.data.thing1={{params.title}}",
                                  "templates.note.data.number2={{total}}"};
  out.insert(out.end(), extra.begin(), extra.end());
  return out;
}

std::vector<std::string> NotifyEnv::commandArgs(const std::vector<std::string>& command,
                                                const std::vector<std::string>& extraSets) const {
  std::vector<std::string> args;
  for (const auto& s : sets(extraSets)) {
    args.push_back("--set");
    args.push_back(s);
  }
  args.insert(args.end(), command.begin(), command.end());
  return args;
}

std::map<std::string, std::string> NotifyEnv::secrets() const {
  return {{"WXBRIDGE_WECHAT_OA_SECRET", "oasecret"},
          {"WXBRIDGE_WECHAT_MP_SECRET", "mpsecret"},
          {"WXBRIDGE_STORE_PASSWORD", storeSettings_.password}};
}

std::vector<nlohmann::json> NotifyEnv::deliveries(const std::string& api) const {
  std::vector<nlohmann::json> out;
  for (auto& line : fake_.getNdjson("/__fake/messages")) {
    if (line.value("api", "") == api) out.push_back(std::move(line));
  }
  return out;
}

void NotifyEnv::waitForDeliveries(size_t n, int timeoutMs) const {
  waitUntil([&] { return deliveries().size() >= n; }, timeoutMs,
            std::to_string(n) + " deliveries at the fake", 50);
}

InProcessSender::InProcessSender(NotifyEnv& env, SenderSettings settings)
    : wx(env.store(), fakeCredentials(env.fake().baseUrl(), 10, 50), clock),
      sender(env.store().notifications(), env.store().accounts(), env.store().subscriptions(),
             env.store().leases(), wx.platform, clock, std::move(settings)) {}

std::map<std::string, int> deliveriesByUser(const std::vector<nlohmann::json>& deliveries) {
  std::map<std::string, int> byUser;
  for (const auto& d : deliveries) ++byUser[d.at("body").at("touser").get<std::string>()];
  return byUser;
}

}  // namespace wxb::test
