// Fuzz target: the JSON intake of every /v1 route, through the same path a request takes in
// `serve` - the head parsed (parseRequestHead), admitted (RequestPipeline::admit: route, access,
// size) and run by the route's own handler (the route groups of ServeRoutes, built as serve
// builds them) over a real in-memory SQLite store (holding one schedule for the routes of
// /v1/schedules/{id}). Platform calls go to a closed loopback port and fail at once. Input: a
// route byte, then the path parameter or query on the first line (routes that take one), then
// the body (routes that take one). Properties: never a 500 or 503; every answer is JSON; every
// refusal is
// {"error":{"code","message"}} with both filled; no answer holds the mini program's appsecret
// or the API key.
#include <Poco/Logger.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "bridge/app/serve_routes.h"
#include "bridge/app/services.h"
#include "bridge/config/config.h"
#include "bridge/http/request_pipeline.h"
#include "cron/clock.h"
#include "fuzz/fuzz_input.h"

namespace {

constexpr const char* kApiKey = "fuzz-api-key-5b2e0c9d";
constexpr const char* kMpSecret = "fuzz-mp-secret-7f3a91c4";

// What `serve` builds before it listens (bridge/cli/cmd_serve.cpp), without the listener.
struct Serve {
  wxb::SystemClock clock;
  wxb::Settings settings;
  std::unique_ptr<wxb::Services> services;
  std::unique_ptr<wxb::ServeRoutes> routes;
  std::unique_ptr<wxb::RequestPipeline> pipeline;

  Serve() {
    Poco::Logger::setLevel("", Poco::Message::PRIO_FATAL);  // routes log refusals; not here
    auto config = wxb::loadConfig({"", sets(), {}});
    FUZZ_CHECK(config, "the fuzz configuration loads");
    auto read = wxb::readSettings(**config);
    if (!read) std::fprintf(stderr, "%s\n", read.error().describe().c_str());
    FUZZ_CHECK(read, "the fuzz configuration is valid");
    settings = *read;
    services = wxb::Services::open(settings, clock);
    routes = std::make_unique<wxb::ServeRoutes>(*services);
    pipeline =
        std::make_unique<wxb::RequestPipeline>(settings.http, routes->router(), services->metrics);
  }

  static std::vector<std::pair<std::string, std::string>> sets() {
    return {{"store.url", "sqlite::memory:"},
            {"wechat.api_base", "http://127.0.0.1:9"},  // discard port: refused at once
            {"wechat.max_attempts", "1"},
            {"wechat.mp.appid", "wxfuzzmp0000000001"},
            {"wechat.mp.secret", kMpSecret},
            {"http.api_keys_sha256", wxb::ApiKeys::sha256Hex(kApiKey)},
            {"templates.order.template_id", "fuzz_template_order"},
            {"templates.order.data.first", "{{params.title}}"},
            {"templates.order.data.keyword1", "{{summary}} {{actor}}: {{text}}"},
            {"templates.reminder.template_id", "fuzz_template_reminder"},
            {"templates.reminder.data.first", "{{params.title}}"}};
  }
};

struct Target {
  const char* method;
  const char* path;  // with a parameter, the input's first line is appended
  bool parameter;
  bool body;
};

const Target kTargets[] = {
    {"POST", "/v1/accounts:lookup", false, true},
    {"POST", "/v1/mp/sessions", false, true},
    {"POST", "/v1/tokens/mp:refresh", false, true},
    {"POST", "/v1/sync:run", false, true},
    {"POST", "/v1/events", false, true},
    {"POST", "/v1/events:read", false, true},
    {"POST", "/v1/messages", false, true},
    {"GET", "/v1/accounts/", true, false},
    {"GET", "/v1/messages/", true, false},
    {"POST", "/v1/schedules", false, true},
    {"GET", "/v1/schedules?", true, false},
    {"GET", "/v1/schedules/", true, false},
    {"PATCH", "/v1/schedules/", true, true},
    {"DELETE", "/v1/schedules/", true, false},
};

void checkAnswer(const wxb::ApiResponse& answer) {
  FUZZ_CHECK(answer.status != 500 && answer.status != 503, "bad input is never a 5xx of ours");
  auto body = nlohmann::json::parse(answer.body, nullptr, false);
  FUZZ_CHECK(!body.is_discarded(), "every answer is JSON");
  if (answer.status >= 400) {
    const auto& error = body.value("error", nlohmann::json::object());
    FUZZ_CHECK(error.value("code", "") != "" && error.value("message", "") != "",
               "a refusal says what and why");
  }
  FUZZ_CHECK(answer.body.find(kMpSecret) == std::string::npos &&
                 answer.body.find(kApiKey) == std::string::npos,
             "no secret in an answer");
}

// The answer of `serve` to one request with the API key.
std::optional<wxb::ApiResponse> answer(Serve& serve, const std::string& method,
                                       const std::string& path, const std::string& body) {
  std::string head = method + " " + path + " HTTP/1.1\r\nHost: fuzz\r\n" +
                     "Authorization: Bearer " + kApiKey +
                     "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  auto parsed = wxb::parseRequestHead(head);
  if (!parsed) return std::nullopt;  // refused before any route: http_head's
  wxb::Admission admission = serve.pipeline->admit(*parsed, "127.0.0.1");
  if (admission.early) return *admission.early;
  admission.request.body = body;
  return serve.pipeline->run(admission);
}

// Schedule 1, so that GET, PATCH and DELETE of /v1/schedules/{id} find one to read and check.
bool createSchedule(Serve& serve) {
  auto created = answer(serve, "POST", "/v1/schedules",
                        R"({"unionid":"oUNIONfuzz1","cron":"0 9 * * *","timezone":"Asia/Shanghai",)"
                        R"("template":"reminder","params":{"title":"Stand-up"}})");
  FUZZ_CHECK(created && created->status == 201, "the first schedule is created");
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Serve serve;
  [[maybe_unused]] static const bool scheduled = createSchedule(serve);
  wxb::fuzz::FuzzInput in(data, size);
  const Target& target = kTargets[in.choice(std::size(kTargets))];
  std::string path = target.path;
  if (target.parameter) path += in.line();
  std::string body = target.body ? std::string(in.rest()) : "";
  if (auto response = answer(serve, target.method, path, body)) checkAnswer(*response);
  return 0;
}
