#include "bridge/config/config_reader.h"

#include <Poco/NumberParser.h>
#include <Poco/String.h>

#include <charconv>
#include <iomanip>
#include <sstream>

namespace wxb {

namespace {

// 100000 -> "100000", 0.5 -> "0.5": numbers as an operator writes them.
std::string plainNumber(double value) {
  std::ostringstream out;
  out << std::setprecision(15) << value;
  return out.str();
}

}  // namespace

std::string ConfigReader::string(const std::string& key, const std::string& fallback) {
  return Poco::trim(config_.getString(key, fallback));
}

std::string ConfigReader::required(const std::string& key) {
  std::string value = string(key);
  if (value.empty()) fail(key, config_.has(key) ? "is empty; it must be set" : "must be set");
  return value;
}

std::optional<std::string> ConfigReader::typedText(const std::string& key,
                                                   const std::string& expected,
                                                   const std::string& fallback) {
  if (!config_.has(key)) return std::nullopt;
  std::string text = string(key);
  if (!text.empty()) return text;
  fail(key,
       "is empty; give " + expected + ", or leave the key out for the default (" + fallback + ")");
  return std::nullopt;
}

int64_t ConfigReader::integer(const std::string& key, int64_t fallback, int64_t min, int64_t max) {
  const std::string range = std::to_string(min) + "-" + std::to_string(max);
  auto text = typedText(key, "a whole number " + range, std::to_string(fallback));
  if (!text) return fallback;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size()) {
    fail(key, "'" + *text + "' is not a whole number");
    return fallback;
  }
  if (value < min || value > max) {
    fail(key, std::to_string(value) + " is out of range " + range);
    return fallback;
  }
  return value;
}

double ConfigReader::number(const std::string& key, double fallback, double min, double max) {
  const std::string range = plainNumber(min) + "-" + plainNumber(max);
  auto text = typedText(key, "a number " + range, plainNumber(fallback));
  if (!text) return fallback;
  double value = 0;
  if (!Poco::NumberParser::tryParseFloat(*text, value) || value < min || value > max) {
    fail(key, "'" + *text + "' is not a number in range " + range);
    return fallback;
  }
  return value;
}

bool ConfigReader::boolean(const std::string& key, bool fallback) {
  auto given = typedText(key, "true or false", fallback ? "true" : "false");
  if (!given) return fallback;
  std::string text = Poco::toLower(*given);
  if (text == "true" || text == "yes" || text == "on" || text == "1") return true;
  if (text == "false" || text == "no" || text == "off" || text == "0") return false;
  fail(key, "'" + text + "' is not true or false");
  return fallback;
}

std::string ConfigReader::choice(const std::string& key, const std::string& fallback,
                                 const std::vector<std::string>& choices) {
  std::string list;
  for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
  auto value = typedText(key, "one of " + list, fallback);
  if (!value) return fallback;
  for (const auto& c : choices) {
    if (*value == c) return *value;
  }
  fail(key, "'" + *value + "' is not one of " + list);
  return fallback;
}

std::vector<std::string> ConfigReader::children(const std::string& key) const {
  Poco::Util::AbstractConfiguration::Keys names;
  config_.keys(key, names);
  return names;
}

void ConfigReader::fail(const std::string& key, const std::string& problem) {
  if (!error_) error_ = ConfigError{key, problem};
}

}  // namespace wxb
