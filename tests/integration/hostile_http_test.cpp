// `wxbridge serve` against hostile and odd HTTP: the cases H1-H13 of
// shared/cases/hostile-http.md, one test each, sent as raw bytes over loopback to a real serve.
// The rule for all of them: exactly one response per request, a JSON error naming the cause,
// never a 500, and the server keeps answering others meanwhile. Then the limits on
// connections: half-open connections, connections per peer address, peers outside http.allow.
#include <signal.h>
#include <sys/wait.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "store/open_store.h"
#include "support/raw_http_client.h"
#include "support/test_store.h"
#include "support/wxbridge_process.h"

namespace wxb::test {

namespace {

const std::string kAuth = std::string("Authorization: Bearer ") + kTestApiKey;

// A serve over a SQLite store that knows unAlice.
struct HostileFixture {
  StoreSettings db = freshStoreSettings("sqlite");
  HostileFixture() {
    auto store = openStore(db, wallClock());
    store->migrate();
    store->accounts().upsertFollowers({{"oaAlice", "unAlice", true}}, 1'700'000'000'000);
  }
  std::unique_ptr<WxbridgeServe> serve(std::vector<std::string> sets = {}) const {
    sets.push_back("store.url=sqlite:" + db.sqlitePath);
    return std::make_unique<WxbridgeServe>(sets);
  }
};

std::string errorCode(const RawResponse& response) {
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_discarded() || !body.contains("error"))
    return "(no JSON error: " + response.body + ")";
  return body["error"]["code"].get<std::string>();
}

// The one response to what was sent on `c`, after which the server must close the connection
// without another response. A failed check names what came instead.
RawResponse onlyResponseThenClose(RawHttpConnection& c) {
  auto response = c.readResponse();
  BOOST_REQUIRE_MESSAGE(response, "no response");
  auto rest = c.readUntilClosed(3000);
  BOOST_TEST_REQUIRE(rest.has_value(), "the connection stayed open after " << response->status);
  auto more = parseResponses(*rest);
  BOOST_TEST(more.empty(), "a second response: " << (more.empty() ? 0 : more[0].status));
  return *response;
}

// The one response to what was sent on `c`: afterwards the server either closes the connection
// or sends nothing more for a second.
RawResponse onlyResponse(RawHttpConnection& c) {
  auto response = c.readResponse();
  BOOST_REQUIRE_MESSAGE(response, "no response");
  auto second = c.readResponse(1000);
  BOOST_TEST(!second.has_value(), "a second response: " << (second ? second->status : 0));
  return *response;
}

std::string eventJson(const std::string& eventId) {
  return nlohmann::json{{"event_id", eventId},
                        {"unionid", "unAlice"},
                        {"type", "chat"},
                        {"actor", "Bob"},
                        {"text", "hi"}}
      .dump();
}

int64_t nowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

// How long a fresh /healthz over its own connection takes, in ms; -1 when it got no 200.
int64_t healthzMs(int port, const std::string& sourceIp = "") {
  int64_t started = nowMs();
  RawHttpConnection c(port, sourceIp);
  c.send(rawRequest("GET", "/healthz"));
  auto response = c.readResponse(15000);
  if (!response || response->status != 200) return -1;
  return nowMs() - started;
}

// `count` connections that each send the start of a head and stop (H6).
std::vector<std::unique_ptr<RawHttpConnection>> sendHalfRequests(int port, int count) {
  std::vector<std::unique_ptr<RawHttpConnection>> connections;
  for (int i = 0; i < count; ++i) {
    connections.push_back(std::make_unique<RawHttpConnection>(port));
    connections.back()->send("GET /healthz HTTP/1.1\r\nHost: a\r\n");
  }
  return connections;
}

// The counter's value in the /metrics text for the line that starts with `prefix`; 0 if none.
double metricValue(const std::string& metrics, const std::string& prefix) {
  std::istringstream lines(metrics);
  std::string line;
  double sum = 0;
  while (std::getline(lines, line)) {
    if (line.rfind(prefix, 0) == 0) sum += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return sum;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(hostile_http, HostileFixture)

BOOST_AUTO_TEST_CASE(h1_a_request_smuggled_in_the_body_of_a_404_is_never_answered) {
  auto s = serve();
  RawHttpConnection c(s->port());
  c.send(rawRequest("POST", "/v1/nothing", {kAuth}, rawRequest("GET", "/readyz")));
  BOOST_TEST(onlyResponse(c).status == 404);
}

BOOST_AUTO_TEST_CASE(h2_an_event_smuggled_behind_a_wrong_key_is_refused_and_never_stored) {
  auto s = serve();
  std::string smuggled = rawRequest("POST", "/v1/events", {kAuth}, eventJson("smuggled-1"));
  RawHttpConnection c(s->port());
  c.send(rawRequest("POST", "/v1/events", {"Authorization: Bearer wrong"}, smuggled));
  auto refused = onlyResponse(c);
  BOOST_TEST(refused.status == 401);
  BOOST_TEST(errorCode(refused) == "unauthorized");
  // Stored before, the same event_id would now be a duplicate (200), not new (202).
  BOOST_TEST(s->call("POST", "/v1/events", eventJson("smuggled-1")).status == 202);
}

BOOST_AUTO_TEST_CASE(h3_a_request_in_the_body_of_a_405_is_never_answered) {
  auto s = serve();
  RawHttpConnection c(s->port());
  c.send(rawRequest("PUT", "/healthz", {}, rawRequest("GET", "/healthz")));
  auto response = onlyResponse(c);
  BOOST_TEST(response.status == 405);
  BOOST_TEST(response.header("allow").find("GET") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(h4_no_length_and_no_transfer_encoding_is_an_empty_body_answered_at_once) {
  auto s = serve();
  RawHttpConnection c(s->port());
  c.send(rawRequest("POST", "/v1/sync:run", {kAuth}));
  // The request timeout is 10 s: an answer within 3 s was not waiting for a body.
  auto response = c.readResponse(3000);
  BOOST_TEST_REQUIRE(response.has_value());
  BOOST_TEST(errorCode(*response) == "app_not_configured");  // the route ran, with no body
}

BOOST_AUTO_TEST_CASE(h5_a_request_after_a_bodiless_post_on_the_same_connection_is_answered) {
  auto s = serve();
  RawHttpConnection c(s->port());
  c.send(rawRequest("POST", "/v1/sync:run", {kAuth}) + rawRequest("GET", "/healthz"));
  auto first = c.readResponse(3000);
  BOOST_TEST_REQUIRE(first.has_value());
  BOOST_TEST(first->status == 404);
  auto second = c.readResponse(3000);
  BOOST_TEST_REQUIRE(second.has_value());
  BOOST_TEST(second->status == 200);
  BOOST_TEST(second->body.find("\"ok\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(h6_half_sent_requests_neither_starve_others_nor_stay_open) {
  auto s = serve({"http.header_timeout_ms=500"});
  auto halfOpen = sendHalfRequests(s->port(), 16);
  int64_t took = healthzMs(s->port());
  BOOST_TEST(took >= 0);
  BOOST_TEST(took < 1000);
  for (auto& c : halfOpen) {
    // Dropped after the header timeout: a 408 or nothing, then the close.
    auto rest = c->readUntilClosed(5000);
    BOOST_TEST_REQUIRE(rest.has_value());
    for (const auto& response : parseResponses(*rest)) BOOST_TEST(response.status == 408);
  }
}

BOOST_AUTO_TEST_CASE(h7_repeated_forwarded_for_lines_are_one_list_right_most_untrusted_counts) {
  auto s = serve({"http.trusted_proxies=127.0.0.1/32", "http.allow=10.0.0.0/8"});
  RawHttpConnection one(s->port());
  one.send(rawRequest("GET", "/metrics", {"X-Forwarded-For: 10.1.2.3"}));
  BOOST_TEST(onlyResponse(one).status == 200);  // the control: one line from an allowed client
  RawHttpConnection two(s->port());
  two.send(
      rawRequest("GET", "/metrics", {"X-Forwarded-For: 10.1.2.3", "X-Forwarded-For: 1.2.3.4"}));
  auto refused = onlyResponse(two);
  BOOST_TEST(refused.status == 403);
  BOOST_TEST(refused.body.find("1.2.3.4") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(h8_two_different_content_lengths_get_400_and_a_close) {
  auto s = serve();
  RawHttpConnection c(s->port());
  c.send(rawRequest("POST", "/v1/events", {kAuth, "Content-Length: 5", "Content-Length: 100"}, "") +
         "hello");
  auto response = onlyResponseThenClose(c);
  BOOST_TEST(response.status == 400);
  BOOST_TEST(errorCode(response) == "bad_request");
  BOOST_TEST(response.body.find("Content-Length") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(h9_a_transfer_encoding_not_ending_in_chunked_gets_400_and_a_close) {
  auto s = serve();
  for (std::string coding : {"gzip", "chunked, gzip"}) {
    BOOST_TEST_CONTEXT(coding) {
      RawHttpConnection c(s->port());
      std::string body = eventJson("te-" + std::to_string(coding.size()));
      c.send(rawRequest("POST", "/v1/events", {kAuth, "Transfer-Encoding: " + coding}, body));
      auto response = onlyResponseThenClose(c);
      BOOST_TEST(response.status == 400);
      BOOST_TEST(response.body.find("Transfer-Encoding") != std::string::npos);
    }
  }
  // The control: a chunked body is read as one.
  RawHttpConnection chunked(s->port());
  std::string body = eventJson("te-chunked");
  std::ostringstream size;
  size << std::hex << body.size();
  chunked.send(rawRequest("POST", "/v1/events", {kAuth, "Transfer-Encoding: chunked"}) +
               size.str() + "\r\n" + body + "\r\n0\r\n\r\n");
  BOOST_TEST(onlyResponse(chunked).status == 202);
}

BOOST_AUTO_TEST_CASE(h10_a_bad_version_gets_400_and_an_unknown_one_505) {
  auto s = serve();
  RawHttpConnection bad(s->port());
  bad.send("GET /healthz FOO\r\nHost: a\r\n\r\n");
  auto malformed = onlyResponseThenClose(bad);
  BOOST_TEST(malformed.status == 400);
  BOOST_TEST(errorCode(malformed) == "bad_request");
  RawHttpConnection unknown(s->port());
  unknown.send("GET /healthz HTTP/2.0\r\nHost: a\r\n\r\n");
  auto unsupported = onlyResponseThenClose(unknown);
  BOOST_TEST(unsupported.status == 505);
  BOOST_TEST(errorCode(unsupported) == "http_version_not_supported");
}

BOOST_AUTO_TEST_CASE(h11_oversized_heads_get_431_or_414_logged_and_counted) {
  std::string log = db.sqlitePath + ".log";
  auto s = serve({"logging.channels.file.class=FileChannel", "logging.channels.file.path=" + log,
                  "logging.loggers.root.channel=file"});
  std::vector<std::string> many;
  for (int i = 0; i < 100; ++i) many.push_back("X-Extra-" + std::to_string(i) + ": a");
  std::vector<std::pair<std::string, int>> cases = {
      {rawRequest("GET", "/healthz", many), 431},
      {rawRequest("GET", "/healthz", {"X-Big: " + std::string(100 * 1024, 'b')}), 431},
      {rawRequest("GET", "/healthz?q=" + std::string(20 * 1024, 'u')), 414}};
  for (const auto& [request, status] : cases) {
    RawHttpConnection c(s->port());
    c.send(request);
    auto response = onlyResponseThenClose(c);
    BOOST_TEST(response.status == status);
    BOOST_TEST(!errorCode(response).starts_with("(no JSON"));
  }
  std::string metrics = s->request("GET", "/metrics").body;
  BOOST_TEST(metricValue(metrics,
                         "wxbridge_http_requests_total{route=\"-\",method=\"GET\","
                         "status=\"431\"}") == 2);
  BOOST_TEST(metricValue(metrics,
                         "wxbridge_http_requests_total{route=\"-\",method=\"GET\","
                         "status=\"414\"}") == 1);
  BOOST_TEST(metricValue(metrics, "wxbridge_http_rejected_total{reason=\"headers_too_large\"}") ==
             2);
  s.reset();  // flushes and closes the log
  std::string lines = readFile(log);
  BOOST_TEST(lines.find("431") != std::string::npos);
  BOOST_TEST(lines.find("414") != std::string::npos);
  BOOST_TEST(lines.find("bbbbbbbb") == std::string::npos);  // never the raw bytes
  BOOST_TEST(lines.find("uuuuuuuu") == std::string::npos);
  std::filesystem::remove(log);
}

BOOST_AUTO_TEST_CASE(h12_head_is_answered_as_get_without_a_body) {
  auto s = serve();
  RawHttpConnection c(s->port());
  c.send(rawRequest("HEAD", "/healthz") + rawRequest("GET", "/healthz"));
  auto head = c.readResponse(5000, true);
  BOOST_TEST_REQUIRE(head.has_value());
  BOOST_TEST(head->status == 200);
  auto get = c.readResponse();  // parses only if the HEAD response carried no body bytes
  BOOST_TEST_REQUIRE(get.has_value());
  BOOST_TEST(get->status == 200);
  BOOST_TEST(head->header("content-length") == get->header("content-length"));
  c.send(rawRequest("HEAD", "/v1/accounts/unAlice", {kAuth}) + rawRequest("GET", "/healthz"));
  auto account = c.readResponse(5000, true);
  BOOST_TEST_REQUIRE(account.has_value());
  BOOST_TEST(account->status == 200);
  BOOST_TEST(account->header("content-type") == "application/json");
  BOOST_TEST(std::stoul(account->header("content-length")) > 10u);
  auto after = c.readResponse();
  BOOST_TEST_REQUIRE(after.has_value());
  BOOST_TEST(after->status == 200);
}

BOOST_AUTO_TEST_CASE(h13_two_authorization_headers_get_400_in_either_order) {
  auto s = serve();
  for (bool validFirst : {true, false}) {
    BOOST_TEST_CONTEXT("valid first: " << validFirst) {
      std::vector<std::string> headers = {kAuth, "Authorization: Bearer wrong"};
      if (!validFirst) std::swap(headers[0], headers[1]);
      RawHttpConnection c(s->port());
      c.send(rawRequest("GET", "/v1/accounts/unAlice", headers));
      auto response = onlyResponse(c);
      BOOST_TEST(response.status == 400);
      BOOST_TEST(response.body.find("Authorization") != std::string::npos);
    }
  }
}

// A chunked body is held on the wire until it is whole: its framing is bounded like its data, so
// one data byte a chunk behind 4 KB of extension cannot make a 1 KB body hold megabytes.
BOOST_AUTO_TEST_CASE(chunked_framing_far_larger_than_its_data_gets_413_at_once) {
  auto s = serve({"http.max_body_bytes=1024"});
  std::string request = rawRequest("POST", "/v1/events", {kAuth, "Transfer-Encoding: chunked"});
  for (int i = 0; i < 20; ++i) request += "1;" + std::string(4000, 'x') + "\r\na\r\n";
  RawHttpConnection c(s->port());
  c.send(request);  // and no last chunk: only the framing can end this request early
  auto response = onlyResponseThenClose(c);
  BOOST_TEST(response.status == 413);
  BOOST_TEST(errorCode(response) == "body_too_large");
}

BOOST_AUTO_TEST_CASE(two_hundred_half_open_connections_do_not_delay_healthz_by_a_second) {
  auto s = serve({"http.max_connections_per_ip=300"});
  auto halfOpen = sendHalfRequests(s->port(), 200);  // held open while /healthz is asked
  int64_t took = healthzMs(s->port());
  BOOST_TEST(took >= 0);
  BOOST_TEST(took < 1000);
}

BOOST_AUTO_TEST_CASE(connections_beyond_the_cap_per_peer_address_are_refused) {
  auto s = serve({"http.max_connections_per_ip=4"});
  std::vector<std::unique_ptr<RawHttpConnection>> held;
  for (int i = 0; i < 4; ++i) held.push_back(std::make_unique<RawHttpConnection>(s->port()));
  RawHttpConnection fifth(s->port());
  fifth.send(rawRequest("GET", "/healthz"));
  auto refused = onlyResponseThenClose(fifth);
  BOOST_TEST(refused.status == 503);
  BOOST_TEST(errorCode(refused) == "too_many_connections");
  BOOST_TEST(healthzMs(s->port(), "127.0.0.2") >= 0);  // another peer address is still served
  held.pop_back();
  // The freed slot is usable once the server has seen the close.
  bool served = false;
  for (int attempt = 0; attempt < 50 && !served; ++attempt) {
    RawHttpConnection again(s->port());
    again.send(rawRequest("GET", "/healthz"));
    auto response = again.readResponse();
    served = response && response->status == 200;
    if (!served) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  BOOST_TEST(served);
}

BOOST_AUTO_TEST_CASE(peers_outside_the_allowlist_are_refused_before_their_body_is_read) {
  auto s = serve({"http.allow=10.0.0.0/8"});
  RawHttpConnection c(s->port());
  // The head promises a body that never comes: the 403 must not wait for it.
  c.send("POST /v1/events HTTP/1.1\r\nHost: a\r\n" + kAuth + "\r\nContent-Length: 1000\r\n\r\n");
  auto refused = c.readResponse(2000);
  BOOST_TEST_REQUIRE(refused.has_value());
  BOOST_TEST(refused->status == 403);
  BOOST_TEST(c.readUntilClosed(3000).has_value());
  BOOST_TEST(healthzMs(s->port()) >= 0);  // public routes stay open to everyone
}

BOOST_AUTO_TEST_CASE(a_request_in_flight_at_sigterm_is_answered_and_idle_ones_do_not_delay_exit) {
  auto s = serve();
  RawHttpConnection idle(s->port());
  BOOST_TEST(idle.send(rawRequest("GET", "/healthz")));
  BOOST_TEST_REQUIRE(idle.readResponse().has_value());  // now an idle keep-alive connection
  std::string body = eventJson("in-flight-1");
  std::string request = rawRequest("POST", "/v1/events", {kAuth}, body);
  RawHttpConnection inFlight(s->port());
  inFlight.send(request.substr(0, request.size() - 10));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  int64_t stopping = nowMs();
  kill(s->pid(), SIGTERM);
  BOOST_TEST(idle.readUntilClosed(3000).has_value());  // closed at once, not after 15 s
  inFlight.send(request.substr(request.size() - 10));
  auto answer = inFlight.readResponse();
  BOOST_TEST_REQUIRE(answer.has_value());
  BOOST_TEST(answer->status == 202);
  BOOST_TEST(answer->header("connection") == "close");
  int status = s->stop(10000);
  BOOST_TEST(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 0);
  BOOST_TEST(nowMs() - stopping < 5000);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wxb::test
