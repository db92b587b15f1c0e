#include "bridge/routes/schedule_json.h"

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "bridge/routes/message_params.h"
#include "bridge/routes/responses.h"
#include "cron/iso_time.h"
#include "wechat/wechat_types.h"

namespace wxb {

namespace {

using Json = nlohmann::json;
using Refusal = std::optional<ApiResponse>;
constexpr size_t kMaxTextChars = 128;  // cron, timezone, template, channel: never longer

Refusal readText(const Json& v, const std::string& name, std::string& out) {
  if (!v.is_string()) return invalidField(name, "must be a string");
  out = v.get<std::string>();
  if (out.size() > kMaxTextChars) {
    return invalidField(name, "must be at most " + std::to_string(kMaxTextChars) + " characters");
  }
  return std::nullopt;
}

// An ISO 8601 time with its offset ("2027-01-04T09:00:00+08:00", "...Z"), as Unix ms.
Refusal readTime(const Json& v, const std::string& name, int64_t& out) {
  std::string text;
  if (auto refusal = readText(v, name, text)) return refusal;
  if (text.size() <= 10 ||
      (text.back() != 'Z' && text.find_first_of("+-", 10) == std::string::npos)) {
    return invalidField(name,
                        "must be an ISO 8601 time with an offset, e.g. 2027-01-04T09:00:00+08:00");
  }
  auto ms = parseIsoTime(text, nullptr);
  if (!ms) return invalidField(name, ms.error());
  out = *ms;
  return std::nullopt;
}

Refusal readCount(const Json& v, const std::string& name, int64_t& out) {
  if (!v.is_number_integer()) return invalidField(name, "must be an integer");
  out = v.get<int64_t>();
  return std::nullopt;
}

// A member that may be null (PATCH: remove the bound).
template <typename Read>
Refusal readNullable(const Json& v, const std::string& name, std::optional<int64_t>& out,
                     Read read) {
  if (v.is_null()) {
    out.reset();
    return std::nullopt;
  }
  int64_t value = 0;
  if (auto refusal = read(v, name, value)) return refusal;
  out = value;
  return std::nullopt;
}

Refusal readParams(const Json& body, MessageParams& out) {
  auto params = parseMessageParams(body);
  if (auto* refusal = std::get_if<ApiResponse>(&params)) return *refusal;
  out = std::move(std::get<MessageParams>(params));
  return std::nullopt;
}

Refusal readBool(const Json& v, const std::string& name, bool& out) {
  if (!v.is_boolean()) return invalidField(name, "must be true or false");
  out = v.get<bool>();
  return std::nullopt;
}

// A PATCH's null for a member it cannot remove.
Refusal cannotBeNull(const std::string& name) {
  return invalidField(name,
                      "cannot be null in a PATCH: leave it out to keep it (null removes only "
                      "starts_at, ends_at, max_fires and channel)");
}

// A reader per member name (params aside: parseMessageParams reads it from the body).
using Readers = std::map<std::string, std::function<Refusal(const Json&)>>;

// Reads each member of `body` that has a reader (parseJsonObject has refused any other member);
// a null member is left out when `nullIsAbsent` (a POST), else its reader judges it (a PATCH).
Refusal readAll(const Json& body, const Readers& readers, bool nullIsAbsent) {
  for (const auto& [name, read] : readers) {
    auto value = body.find(name);
    if (value == body.end() || (nullIsAbsent && value->is_null())) continue;
    if (auto refusal = read(*value)) return refusal;
  }
  return std::nullopt;
}

Json timeOrNull(const std::optional<int64_t>& ms) { return ms ? Json(formatIsoUtc(*ms)) : Json(); }

Json textOrNull(const std::string& text) { return text.empty() ? Json() : Json(text); }

}  // namespace

std::variant<Schedule, ApiResponse> parseNewSchedule(const Json& body) {
  Schedule s;
  auto unionid = body.find("unionid");
  if (unionid == body.end() || !unionid->is_string()) {
    return invalidField("unionid", "must be a string");
  }
  s.unionid = unionid->get<std::string>();
  if (!isValidWechatId(s.unionid)) return invalidId("unionid");
  Readers r{
      {"cron", [&](const Json& v) { return readText(v, "cron", s.cron); }},
      {"at", [&](const Json& v) { return readNullable(v, "at", s.atMs, readTime); }},
      {"timezone", [&](const Json& v) { return readText(v, "timezone", s.timezone); }},
      {"template", [&](const Json& v) { return readText(v, "template", s.templateName); }},
      {"channel", [&](const Json& v) { return readText(v, "channel", s.channel); }},
      {"starts_at",
       [&](const Json& v) { return readNullable(v, "starts_at", s.startsAtMs, readTime); }},
      {"ends_at", [&](const Json& v) { return readNullable(v, "ends_at", s.endsAtMs, readTime); }},
      {"max_fires",
       [&](const Json& v) { return readNullable(v, "max_fires", s.maxFires, readCount); }},
      {"paused", [&](const Json& v) { return readBool(v, "paused", s.paused); }}};
  if (auto refusal = readAll(body, r, true)) return *refusal;
  if (auto refusal = readParams(body, s.params)) return *refusal;
  return s;
}

std::variant<SchedulePatch, ApiResponse> parseSchedulePatch(const Json& body) {
  SchedulePatch p;
  if (body.contains("unionid")) {
    return invalidField("unionid", "cannot be changed: delete the schedule and create another");
  }
  auto nullable = [](const char* name, std::optional<std::optional<int64_t>>& out, auto read) {
    return [name, &out, read](const Json& v) {
      out.emplace();
      return readNullable(v, name, *out, read);
    };
  };
  auto text = [](const char* name, std::optional<std::string>& out) {
    return [name, &out](const Json& v) {
      return v.is_null() ? cannotBeNull(name) : readText(v, name, out.emplace());
    };
  };
  auto channel = [&](const Json& v) -> Refusal {
    if (!v.is_null()) return readText(v, "channel", p.channel.emplace());
    p.channel.emplace();  // null: back to the template's own channel
    return std::nullopt;
  };
  auto at = [&](const Json& v) {
    return v.is_null() ? cannotBeNull("at") : readTime(v, "at", p.atMs.emplace());
  };
  auto paused = [&](const Json& v) {
    return v.is_null() ? cannotBeNull("paused") : readBool(v, "paused", p.paused.emplace());
  };
  Readers r{{"cron", text("cron", p.cron)},
            {"at", at},
            {"timezone", text("timezone", p.timezone)},
            {"template", text("template", p.templateName)},
            {"channel", channel},
            {"starts_at", nullable("starts_at", p.startsAtMs, readTime)},
            {"ends_at", nullable("ends_at", p.endsAtMs, readTime)},
            {"max_fires", nullable("max_fires", p.maxFires, readCount)},
            {"paused", paused}};
  if (auto refusal = readAll(body, r, false)) return *refusal;
  if (auto params = body.find("params"); params != body.end() && params->is_null()) {
    return *cannotBeNull("params");
  }
  if (body.contains("params")) {
    if (auto refusal = readParams(body, p.params.emplace())) return *refusal;
  }
  return p;
}

Json scheduleJson(const Schedule& s) {
  return {{"id", s.id},
          {"unionid", s.unionid},
          {"cron", textOrNull(s.cron)},
          {"at", timeOrNull(s.atMs)},
          {"timezone", textOrNull(s.timezone)},
          {"template", s.templateName},
          {"params", s.params},
          {"channel", textOrNull(s.channel)},
          {"starts_at", timeOrNull(s.startsAtMs)},
          {"ends_at", timeOrNull(s.endsAtMs)},
          {"max_fires", s.maxFires ? Json(*s.maxFires) : Json()},
          {"paused", s.paused},
          {"state", scheduleStateName(s.state)},
          {"next_fire_at", timeOrNull(s.nextFireMs)},
          {"last_fire_at", timeOrNull(s.lastFireMs)},
          {"fires", s.fires},
          {"misfires", s.misfires},
          {"unreachable", s.unreachable},
          {"created_at", formatIsoUtc(s.createdAtMs)},
          {"updated_at", formatIsoUtc(s.updatedAtMs)}};
}

}  // namespace wxb
