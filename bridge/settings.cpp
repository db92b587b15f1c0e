#include "bridge/settings.h"

#include <date/tz.h>

#include "bridge/config_reader.h"

namespace wxb {

namespace {

void readStore(ConfigReader& in, StoreSettings& store) {
  std::string url = in.required("store.url");
  if (auto problem = parseStoreUrl(url, store)) in.fail("store.url", *problem);
  store.password = in.string("store.password");
  store.poolSize = static_cast<int>(in.integer("store.pool_size", 8, 1, 256));
  store.connectTimeoutMs =
      static_cast<int>(in.integer("store.connect_timeout_ms", 3000, 100, 60000));
  store.readTimeoutMs = static_cast<int>(in.integer("store.read_timeout_ms", 30000, 1000, 600000));
}

void readTimezone(ConfigReader& in, std::string& zone) {
  zone = in.string("timezone", "Asia/Shanghai");
  try {
    date::locate_zone(zone);
  } catch (const std::exception&) {
    in.fail("timezone", "'" + zone + "' is not an IANA time zone (e.g. Asia/Shanghai)");
  }
}

}  // namespace

std::expected<Settings, ConfigError> readSettings(
    const Poco::Util::AbstractConfiguration& config) {
  ConfigReader in(config);
  Settings settings;
  readStore(in, settings.store);
  readTimezone(in, settings.timezone);
  if (in.error()) return std::unexpected(*in.error());
  return settings;
}

}  // namespace wxb
