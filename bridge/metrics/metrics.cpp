#include "bridge/metrics/metrics.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <exception>
#include <stdexcept>

namespace wxb {

const std::vector<double> Metrics::kDefaultBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                      0.25,  0.5,    1,     2.5,  5,     10};

namespace {

Poco::Logger& logger() { return Poco::Logger::get("wxb.metrics"); }

bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }

bool validMetricName(const std::string& name) {
  if (name.empty() || !(isAlpha(name[0]) || name[0] == ':')) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return isAlpha(c) || isDigit(c) || c == ':'; });
}

// Names starting "__" are reserved for Prometheus itself; "le" is the bucket bound of a histogram.
void checkLabels(const Labels& labels, bool histogram) {
  for (size_t i = 0; i < labels.size(); ++i) {
    const std::string& name = labels[i].first;
    bool valid =
        !name.empty() && isAlpha(name[0]) && name.rfind("__", 0) != 0 &&
        std::all_of(name.begin(), name.end(), [](char c) { return isAlpha(c) || isDigit(c); });
    if (!valid || (histogram && name == "le")) {
      throw std::invalid_argument("invalid label name '" + name + "'");
    }
    for (size_t j = 0; j < i; ++j) {
      if (labels[j].first == name) throw std::invalid_argument("duplicate label '" + name + "'");
    }
  }
}

void appendEscaped(std::string& out, const std::string& text, bool quotes) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quotes) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

// {a="1",b="2"}, or "" without labels: the series key and, as is, its text in the output.
std::string labelKey(const Labels& labels) {
  if (labels.empty()) return {};
  std::string key;
  key.reserve(64);
  key += '{';
  for (const auto& [name, value] : labels) {
    if (key.size() > 1) key += ',';
    key += name;
    key += "=\"";
    appendEscaped(key, value, true);
    key += '"';
  }
  key += '}';
  return key;
}

// Integral values print as integers ("3", not "3.0" or "3e+00"); the rest in the shortest form
// that reads back to the same double.
std::string formatNumber(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  std::to_chars_result result;
  if (value == std::trunc(value) && std::fabs(value) < 1e15) {
    result = std::to_chars(buffer, buffer + sizeof buffer, static_cast<int64_t>(value));
  } else {
    result = std::to_chars(buffer, buffer + sizeof buffer, value);
  }
  return std::string(buffer, result.ptr);
}

std::string withLe(const std::string& key, const std::string& bound) {
  if (key.empty()) return "{le=\"" + bound + "\"}";
  return key.substr(0, key.size() - 1) + ",le=\"" + bound + "\"}";
}

std::vector<double> checkedBuckets(const std::string& name, std::vector<double> buckets) {
  if (buckets.empty()) return Metrics::kDefaultBuckets;
  if (std::isinf(buckets.back()) && buckets.back() > 0) buckets.pop_back();
  for (size_t i = 0; i < buckets.size(); ++i) {
    if (!std::isfinite(buckets[i]) || (i > 0 && !(buckets[i - 1] < buckets[i]))) {
      throw std::invalid_argument("histogram '" + name +
                                  "': buckets must be finite and strictly ascending");
    }
  }
  return buckets;
}

const char* typeName(Metrics::Type type) {
  switch (type) {
    case Metrics::Type::Counter:
      return "counter";
    case Metrics::Type::Gauge:
      return "gauge";
    case Metrics::Type::Histogram:
      return "histogram";
  }
  return "untyped";
}

}  // namespace

void Metrics::describe(const std::string& name, Type type, const std::string& help,
                       std::vector<double> buckets) {
  if (!validMetricName(name)) throw std::invalid_argument("invalid metric name '" + name + "'");
  if (type == Type::Histogram) {
    buckets = checkedBuckets(name, std::move(buckets));
  } else if (!buckets.empty()) {
    throw std::invalid_argument("metric '" + name + "': buckets are only for histograms");
  }
  std::lock_guard lock(mutex_);
  auto [it, inserted] = families_.try_emplace(name);
  Family& family = it->second;
  if (!inserted && !family.series.empty() && (family.type != type || family.buckets != buckets)) {
    throw std::logic_error("metric '" + name + "' already has series of another type or buckets");
  }
  family.type = type;
  family.help = help;
  family.buckets = std::move(buckets);
}

void Metrics::increment(const std::string& name, const Labels& labels, double delta) {
  std::string key = labelKey(labels);
  std::lock_guard lock(mutex_);
  Family& family = this->family(name, Type::Counter);
  if (family.type == Type::Histogram) {
    throw std::logic_error("metric '" + name + "' is a histogram: use observe()");
  }
  if (family.type == Type::Counter && !(delta >= 0)) {
    throw std::invalid_argument("counter '" + name + "' cannot decrease");
  }
  series(family, key, labels).value += delta;
}

void Metrics::set(const std::string& name, const Labels& labels, double value) {
  std::string key = labelKey(labels);
  std::lock_guard lock(mutex_);
  Family& family = this->family(name, Type::Gauge);
  if (family.type == Type::Histogram) {
    throw std::logic_error("metric '" + name + "' is a histogram: use observe()");
  }
  series(family, key, labels).value = value;
}

void Metrics::observe(const std::string& name, const Labels& labels, double value) {
  std::string key = labelKey(labels);
  std::lock_guard lock(mutex_);
  Family& family = this->family(name, Type::Histogram);
  if (family.type != Type::Histogram) {
    throw std::logic_error("metric '" + name + "' is not a histogram");
  }
  Series& series = Metrics::series(family, key, labels);
  // First bucket whose bound is >= value (the "le" rule); NaN lands in +Inf only.
  auto bucket = std::partition_point(family.buckets.begin(), family.buckets.end(),
                                     [value](double bound) { return !(value <= bound); });
  if (bucket != family.buckets.end()) ++series.bucketCounts[bucket - family.buckets.begin()];
  series.sum += value;
  ++series.count;
}

void Metrics::addCollector(std::function<void(Metrics&)> collector) {
  std::lock_guard lock(mutex_);
  collectors_.push_back(std::move(collector));
}

std::string Metrics::render() {
  runCollectors();
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, family] : families_) renderFamily(out, name, family);
  return out;
}

double Metrics::value(const std::string& name, const Labels& labels) {
  std::string key = labelKey(labels);
  std::lock_guard lock(mutex_);
  auto family = families_.find(name);
  if (family == families_.end()) return 0;
  auto series = family->second.series.find(key);
  if (series == family->second.series.end()) return 0;
  if (family->second.type == Type::Histogram) return static_cast<double>(series->second.count);
  return series->second.value;
}

Metrics::Family& Metrics::family(const std::string& name, Type typeIfNew) {
  auto it = families_.lower_bound(name);
  if (it != families_.end() && it->first == name) return it->second;
  if (!validMetricName(name)) throw std::invalid_argument("invalid metric name '" + name + "'");
  Family family;
  family.type = typeIfNew;
  if (typeIfNew == Type::Histogram) family.buckets = kDefaultBuckets;
  return families_.emplace_hint(it, name, std::move(family))->second;
}

Metrics::Series& Metrics::series(Family& family, const std::string& key, const Labels& labels) {
  auto it = family.series.lower_bound(key);
  if (it != family.series.end() && it->first == key) return it->second;
  checkLabels(labels, family.type == Type::Histogram);
  Series series;
  series.bucketCounts.assign(family.buckets.size(), 0);
  return family.series.emplace_hint(it, key, std::move(series))->second;
}

void Metrics::renderFamily(std::string& out, const std::string& name, const Family& family) {
  if (!family.help.empty()) {
    out += "# HELP " + name + ' ';
    appendEscaped(out, family.help, false);
    out += '\n';
  }
  out += "# TYPE " + name + ' ' + typeName(family.type) + '\n';
  for (const auto& [key, series] : family.series) {
    if (family.type != Type::Histogram) {
      out += name + key + ' ' + formatNumber(series.value) + '\n';
      continue;
    }
    uint64_t cumulative = 0;
    for (size_t i = 0; i < family.buckets.size(); ++i) {
      cumulative += series.bucketCounts[i];
      out += name + "_bucket" + withLe(key, formatNumber(family.buckets[i])) + ' ' +
             std::to_string(cumulative) + '\n';
    }
    out += name + "_bucket" + withLe(key, "+Inf") + ' ' + std::to_string(series.count) + '\n';
    out += name + "_sum" + key + ' ' + formatNumber(series.sum) + '\n';
    out += name + "_count" + key + ' ' + std::to_string(series.count) + '\n';
  }
}

// Outside the lock: collectors call set(). A failing collector (say the store is down while
// reading the outbox depth) must not blank the page an operator needs most at that moment.
void Metrics::runCollectors() {
  std::vector<std::function<void(Metrics&)>> collectors;
  {
    std::lock_guard lock(mutex_);
    collectors = collectors_;
  }
  for (const auto& collector : collectors) {
    try {
      collector(*this);
    } catch (const std::exception& e) {
      logger().warning("metrics collector failed: %s", std::string(e.what()));
    }
  }
}

}  // namespace wxb
