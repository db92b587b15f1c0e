// Metrics: a small registry of counters, gauges and histograms, rendered in the Prometheus text
// exposition format (version 0.0.4) for GET /metrics. Series are identified by a metric name
// plus label pairs (in the order given: callers pass them in one fixed order per metric); HELP
// and TYPE lines come from describe(). A metric used before describe() is described by the call
// (increment: counter, set: gauge, observe: histogram with the default buckets). Misuse is a
// programming error and throws: std::invalid_argument for a bad metric or label name, bucket
// list or counter decrement, std::logic_error for a call the metric's type does not allow.
// Thread-safe; counting is cheap enough for every request (one short critical section).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace wxb {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Metrics {
 public:
  enum class Type { Counter, Gauge, Histogram };

  // The buckets a histogram gets when none are given: request latencies in seconds.
  static const std::vector<double> kDefaultBuckets;

  // Declares a metric; `buckets` (upper bounds, ascending) only for histograms, empty for the
  // defaults (a trailing +Inf is implied and may be omitted). Re-describing keeps the series
  // unless it changes the type or buckets of a metric that already has series (logic_error).
  void describe(const std::string& name, Type type, const std::string& help,
                std::vector<double> buckets = {});
  // Counters and gauges; a counter's delta must not be negative.
  void increment(const std::string& name, const Labels& labels, double delta = 1);
  // Gauges, and counters whose total is kept elsewhere (set by a collector).
  void set(const std::string& name, const Labels& labels, double value);
  // Histograms only.
  void observe(const std::string& name, const Labels& labels, double value);
  // Called at render time to refresh gauges that are read from elsewhere (e.g. outbox depth).
  void addCollector(std::function<void(Metrics&)> collector);

  // The whole registry as Prometheus text: HELP, TYPE, then the series sorted by labels;
  // histograms as _bucket{le=...} (cumulative, +Inf last), _sum and _count. Label values are
  // escaped (backslash, double quote, newline). Runs the collectors first, outside the lock
  // (they call set()); a collector that throws is logged and skipped.
  std::string render();

  // Current value of a counter or gauge series, the observation count of a histogram series
  // (0 when absent); for tests and summaries.
  double value(const std::string& name, const Labels& labels);

 private:
  struct Series {
    double value = 0;
    std::vector<uint64_t> bucketCounts;  // histograms: per bucket, not cumulative
    double sum = 0;
    uint64_t count = 0;
  };
  struct Family {
    Type type = Type::Counter;
    std::string help;
    std::vector<double> buckets;
    std::map<std::string, Series> series;  // key: rendered label set, e.g. {a="1",b="2"}
  };
  // The family of `name`, described as `typeIfNew` on first use. Caller holds mutex_.
  Family& family(const std::string& name, Type typeIfNew);
  // The series for `key`, created (after validating `labels`) on first use. Caller holds mutex_.
  static Series& series(Family& family, const std::string& key, const Labels& labels);
  static void renderFamily(std::string& out, const std::string& name, const Family& family);
  void runCollectors();

  std::mutex mutex_;
  std::map<std::string, Family> families_;
  std::vector<std::function<void(Metrics&)>> collectors_;
};

}  // namespace wxb
