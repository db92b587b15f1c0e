// Metrics: the Prometheus text a scraper reads. Expected pages are written out in full, so a
// change to the format (ordering, number style, escaping, cumulative buckets) shows up here.
#include "bridge/metrics/metrics.h"

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using wxb::Labels;
using wxb::Metrics;

namespace {

// The rendered line for `series` (e.g. "g{a=\"1\"}"), or "" when the page has none.
std::string lineOf(const std::string& page, const std::string& series) {
  size_t at = page.find("\n" + series + " ");
  if (at == std::string::npos) return "";
  size_t end = page.find('\n', at + 1);
  return page.substr(at + 1, end - at - 1);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(metrics)

BOOST_AUTO_TEST_CASE(counter_renders_help_type_and_series_sorted_by_labels) {
  Metrics metrics;
  metrics.describe("wxb_http_requests_total", Metrics::Type::Counter, "HTTP requests served.");
  metrics.increment("wxb_http_requests_total", {{"route", "/v1/events"}, {"status", "202"}});
  metrics.increment("wxb_http_requests_total", {{"route", "/v1/accounts"}, {"status", "404"}}, 2);
  metrics.increment("wxb_http_requests_total", {{"route", "/v1/events"}, {"status", "202"}});
  BOOST_TEST(metrics.render() ==
             "# HELP wxb_http_requests_total HTTP requests served.\n"
             "# TYPE wxb_http_requests_total counter\n"
             "wxb_http_requests_total{route=\"/v1/accounts\",status=\"404\"} 2\n"
             "wxb_http_requests_total{route=\"/v1/events\",status=\"202\"} 2\n");
}

BOOST_AUTO_TEST_CASE(series_without_labels_has_no_braces) {
  Metrics metrics;
  metrics.describe("wxb_up", Metrics::Type::Gauge, "1 while serving.");
  metrics.set("wxb_up", {}, 1);
  BOOST_TEST(metrics.render() == "# HELP wxb_up 1 while serving.\n# TYPE wxb_up gauge\nwxb_up 1\n");
}

BOOST_AUTO_TEST_CASE(families_render_in_name_order) {
  Metrics metrics;
  metrics.set("zeta", {}, 1);
  metrics.set("alpha", {}, 2);
  std::string page = metrics.render();
  BOOST_TEST(page == "# TYPE alpha gauge\nalpha 2\n# TYPE zeta gauge\nzeta 1\n");
}

BOOST_AUTO_TEST_CASE(histogram_buckets_are_cumulative_and_end_with_inf_sum_and_count) {
  Metrics metrics;
  metrics.describe("wxb_latency_seconds", Metrics::Type::Histogram, "Latency.", {0.5, 1, 1.5});
  Labels route{{"route", "/v1/events"}};
  for (double seconds : {0.25, 0.5, 0.75, 4.0})
    metrics.observe("wxb_latency_seconds", route, seconds);
  // 0.5 sits exactly on a bound and counts in it ("le" is less-or-equal).
  BOOST_TEST(metrics.render() ==
             "# HELP wxb_latency_seconds Latency.\n"
             "# TYPE wxb_latency_seconds histogram\n"
             "wxb_latency_seconds_bucket{route=\"/v1/events\",le=\"0.5\"} 2\n"
             "wxb_latency_seconds_bucket{route=\"/v1/events\",le=\"1\"} 3\n"
             "wxb_latency_seconds_bucket{route=\"/v1/events\",le=\"1.5\"} 3\n"
             "wxb_latency_seconds_bucket{route=\"/v1/events\",le=\"+Inf\"} 4\n"
             "wxb_latency_seconds_sum{route=\"/v1/events\"} 5.5\n"
             "wxb_latency_seconds_count{route=\"/v1/events\"} 4\n");
  BOOST_TEST(metrics.value("wxb_latency_seconds", route) == 4);
}

BOOST_AUTO_TEST_CASE(histogram_without_labels_puts_le_alone_in_braces) {
  Metrics metrics;
  metrics.describe("h", Metrics::Type::Histogram, "", {1});
  metrics.observe("h", {}, 7);
  BOOST_TEST(metrics.render() ==
             "# TYPE h histogram\nh_bucket{le=\"1\"} 0\nh_bucket{le=\"+Inf\"} 1\nh_sum 7\n"
             "h_count 1\n");
}

BOOST_AUTO_TEST_CASE(undescribed_metrics_take_their_type_from_the_first_call) {
  Metrics metrics;
  metrics.increment("events_total", {});
  metrics.set("outbox_depth", {{"state", "pending"}}, 12);
  metrics.observe("call_seconds", {}, 0.003);
  std::string page = metrics.render();
  BOOST_TEST(page.find("# TYPE events_total counter\n") != std::string::npos);
  BOOST_TEST(page.find("# TYPE outbox_depth gauge\n") != std::string::npos);
  BOOST_TEST(page.find("# TYPE call_seconds histogram\n") != std::string::npos);
  BOOST_TEST(page.find("# HELP") == std::string::npos);
  // Default buckets: 0.003 falls between 0.0025 and 0.005.
  BOOST_TEST(lineOf(page, "call_seconds_bucket{le=\"0.001\"}") ==
             "call_seconds_bucket{le=\"0.001\"} 0");
  BOOST_TEST(lineOf(page, "call_seconds_bucket{le=\"0.0025\"}") ==
             "call_seconds_bucket{le=\"0.0025\"} 0");
  BOOST_TEST(lineOf(page, "call_seconds_bucket{le=\"0.005\"}") ==
             "call_seconds_bucket{le=\"0.005\"} 1");
  BOOST_TEST(lineOf(page, "call_seconds_bucket{le=\"10\"}") == "call_seconds_bucket{le=\"10\"} 1");
  size_t buckets = 0;
  for (size_t at = page.find("call_seconds_bucket"); at != std::string::npos;
       at = page.find("call_seconds_bucket", at + 1)) {
    ++buckets;
  }
  BOOST_TEST(buckets == Metrics::kDefaultBuckets.size() + 1);
  BOOST_TEST(Metrics::kDefaultBuckets.size() == 13u);
}

BOOST_AUTO_TEST_CASE(numbers_print_integers_plainly_and_fractions_in_shortest_round_trip_form) {
  Metrics metrics;
  metrics.set("g", {{"v", "int"}}, 3);
  metrics.set("g", {{"v", "negative"}}, -2);
  metrics.set("g", {{"v", "tenth"}}, 0.1);
  metrics.set("g", {{"v", "sum"}}, 0.1 + 0.2);
  metrics.set("g", {{"v", "large"}}, 1e20);
  metrics.set("g", {{"v", "big_int"}}, 123456789012);
  metrics.set("g", {{"v", "nan"}}, std::numeric_limits<double>::quiet_NaN());
  metrics.set("g", {{"v", "inf"}}, std::numeric_limits<double>::infinity());
  metrics.set("g", {{"v", "minus_inf"}}, -std::numeric_limits<double>::infinity());
  std::string page = metrics.render();
  BOOST_TEST(lineOf(page, "g{v=\"int\"}") == "g{v=\"int\"} 3");
  BOOST_TEST(lineOf(page, "g{v=\"negative\"}") == "g{v=\"negative\"} -2");
  BOOST_TEST(lineOf(page, "g{v=\"tenth\"}") == "g{v=\"tenth\"} 0.1");
  BOOST_TEST(lineOf(page, "g{v=\"sum\"}") == "g{v=\"sum\"} 0.30000000000000004");
  BOOST_TEST(lineOf(page, "g{v=\"large\"}") == "g{v=\"large\"} 1e+20");
  BOOST_TEST(lineOf(page, "g{v=\"big_int\"}") == "g{v=\"big_int\"} 123456789012");
  BOOST_TEST(lineOf(page, "g{v=\"nan\"}") == "g{v=\"nan\"} NaN");
  BOOST_TEST(lineOf(page, "g{v=\"inf\"}") == "g{v=\"inf\"} +Inf");
  BOOST_TEST(lineOf(page, "g{v=\"minus_inf\"}") == "g{v=\"minus_inf\"} -Inf");
}

BOOST_AUTO_TEST_CASE(label_values_and_help_text_are_escaped) {
  Metrics metrics;
  metrics.describe("g", Metrics::Type::Gauge, "Path \\ and\nnext line \"quoted\".");
  metrics.set("g", {{"path", "C:\\dir \"x\"\nend"}}, 1);
  BOOST_TEST(metrics.render() ==
             "# HELP g Path \\\\ and\\nnext line \"quoted\".\n"
             "# TYPE g gauge\n"
             "g{path=\"C:\\\\dir \\\"x\\\"\\nend\"} 1\n");
}

BOOST_AUTO_TEST_CASE(value_reads_counters_and_gauges_and_is_zero_when_absent) {
  Metrics metrics;
  metrics.increment("c_total", {{"api", "send"}}, 2.5);
  metrics.increment("c_total", {{"api", "send"}});
  metrics.set("g", {}, 7);
  metrics.increment("g", {}, -3);  // gauges may go down
  BOOST_TEST(metrics.value("c_total", {{"api", "send"}}) == 3.5);
  BOOST_TEST(metrics.value("c_total", {{"api", "other"}}) == 0);
  BOOST_TEST(metrics.value("missing", {}) == 0);
  BOOST_TEST(metrics.value("g", {}) == 4);
}

BOOST_AUTO_TEST_CASE(collectors_run_at_each_render_and_may_set_gauges) {
  Metrics metrics;
  int runs = 0;
  metrics.addCollector([&runs](Metrics& m) {
    m.set("outbox_depth", {{"state", "pending"}}, ++runs * 10);
  });
  BOOST_TEST(runs == 0);
  BOOST_TEST(lineOf(metrics.render(), "outbox_depth{state=\"pending\"}") ==
             "outbox_depth{state=\"pending\"} 10");
  BOOST_TEST(lineOf(metrics.render(), "outbox_depth{state=\"pending\"}") ==
             "outbox_depth{state=\"pending\"} 20");
  BOOST_TEST(runs == 2);
}

BOOST_AUTO_TEST_CASE(a_failing_collector_leaves_the_rest_of_the_page) {
  Metrics metrics;
  metrics.set("before", {}, 1);
  metrics.addCollector([](Metrics&) { throw std::runtime_error("store down"); });
  metrics.addCollector([](Metrics& m) { m.set("after", {}, 2); });
  std::string page = metrics.render();
  BOOST_TEST(lineOf(page, "before") == "before 1");
  BOOST_TEST(lineOf(page, "after") == "after 2");
}

BOOST_AUTO_TEST_CASE(describe_after_first_use_adds_help_and_keeps_the_series) {
  Metrics metrics;
  metrics.increment("jobs_total", {}, 5);
  metrics.describe("jobs_total", Metrics::Type::Counter, "Jobs run.");
  BOOST_TEST(metrics.render() ==
             "# HELP jobs_total Jobs run.\n# TYPE jobs_total counter\njobs_total 5\n");
  BOOST_CHECK_THROW(metrics.describe("jobs_total", Metrics::Type::Gauge, "x"), std::logic_error);
}

BOOST_AUTO_TEST_CASE(bad_metric_and_label_names_are_rejected_and_create_nothing) {
  Metrics metrics;
  BOOST_CHECK_THROW(metrics.describe("1st", Metrics::Type::Counter, ""), std::invalid_argument);
  BOOST_CHECK_THROW(metrics.increment("has-dash", {}), std::invalid_argument);
  BOOST_CHECK_THROW(metrics.increment("", {}), std::invalid_argument);
  BOOST_CHECK_THROW(metrics.increment("ok_total", {{"bad-name", "x"}}), std::invalid_argument);
  BOOST_CHECK_THROW(metrics.increment("ok_total", {{"9lives", "x"}}), std::invalid_argument);
  BOOST_CHECK_THROW(metrics.increment("ok_total", {{"__name__", "x"}}), std::invalid_argument);
  BOOST_CHECK_THROW(metrics.increment("ok_total", {{"a", "1"}, {"a", "2"}}), std::invalid_argument);
  BOOST_CHECK_THROW(metrics.observe("h", {{"le", "1"}}, 1), std::invalid_argument);
  BOOST_TEST(metrics.render().find("ok_total{") == std::string::npos);
  // Colons are allowed in metric names (recording rules use them), not in label names.
  metrics.increment("job:calls:rate5m", {{"api_name", "x"}});
  BOOST_TEST(metrics.value("job:calls:rate5m", {{"api_name", "x"}}) == 1);
}

BOOST_AUTO_TEST_CASE(bad_bucket_lists_are_rejected_and_a_trailing_inf_is_implied) {
  Metrics metrics;
  BOOST_CHECK_THROW(metrics.describe("h", Metrics::Type::Histogram, "", {1, 0.5}),
                    std::invalid_argument);
  BOOST_CHECK_THROW(metrics.describe("h", Metrics::Type::Histogram, "", {1, 1}),
                    std::invalid_argument);
  BOOST_CHECK_THROW(metrics.describe("c", Metrics::Type::Counter, "", {1}), std::invalid_argument);
  metrics.describe("h", Metrics::Type::Histogram, "", {1, std::numeric_limits<double>::infinity()});
  metrics.observe("h", {}, 0.5);
  BOOST_TEST(metrics.render() ==
             "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\nh_sum 0.5\n"
             "h_count 1\n");
}

BOOST_AUTO_TEST_CASE(calls_the_metric_type_does_not_allow_throw) {
  Metrics metrics;
  metrics.increment("c_total", {});
  metrics.observe("h", {}, 1);
  BOOST_CHECK_THROW(metrics.observe("c_total", {}, 1), std::logic_error);
  BOOST_CHECK_THROW(metrics.increment("h", {}), std::logic_error);
  BOOST_CHECK_THROW(metrics.set("h", {}, 1), std::logic_error);
  BOOST_CHECK_THROW(metrics.increment("c_total", {}, -1), std::invalid_argument);
  BOOST_TEST(metrics.value("c_total", {}) == 1);
}

BOOST_AUTO_TEST_CASE(concurrent_increments_are_all_counted) {
  Metrics metrics;
  constexpr int kThreads = 4;
  constexpr int kEach = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&metrics, t] {
      for (int i = 0; i < kEach; ++i) {
        metrics.increment("hits_total", {{"route", "/r"}});
        metrics.observe("lat", {{"thread", std::to_string(t)}}, 0.01);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  BOOST_TEST(metrics.value("hits_total", {{"route", "/r"}}) == kThreads * kEach);
  BOOST_TEST(metrics.value("lat", {{"thread", "3"}}) == kEach);
}

BOOST_AUTO_TEST_SUITE_END()
