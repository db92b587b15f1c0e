#include "notify/grant_ledger.h"

#include <algorithm>
#include <array>
#include <utility>

namespace wxb {

namespace {

constexpr int kNoGrant = 43101;

constexpr std::array<std::pair<SubscribeAnswer, std::string_view>, 4> kAnswers = {{
    {SubscribeAnswer::Accept, "accept"},
    {SubscribeAnswer::Reject, "reject"},
    {SubscribeAnswer::Ban, "ban"},
    {SubscribeAnswer::Filter, "filter"},
}};

// No answer reached the platform's decision, the answer is unreadable, or a gateway answered
// 5xx (the backend may have taken the call): it may have been delivered.
bool mayHaveDelivered(const WechatError& e) {
  return e.kind == WechatError::Kind::Transport || e.kind == WechatError::Kind::BadResponse ||
         (e.kind == WechatError::Kind::Http && e.httpStatus >= 500);
}

}  // namespace

std::string_view subscribeAnswerName(SubscribeAnswer answer) {
  for (const auto& [value, name] : kAnswers) {
    if (value == answer) return name;
  }
  return "unknown";
}

std::optional<SubscribeAnswer> parseSubscribeAnswer(std::string_view name) {
  for (const auto& [value, known] : kAnswers) {
    if (known == name) return value;
  }
  return std::nullopt;
}

std::string_view grantSourceName(GrantSource source) {
  return source == GrantSource::Client ? "client" : "events";
}

std::optional<GrantSource> parseGrantSource(std::string_view name) {
  if (name == "client") return GrantSource::Client;
  if (name == "events") return GrantSource::Events;
  return std::nullopt;
}

GrantEntry applyAnswer(GrantEntry entry, SubscribeAnswer answer, GrantSource from,
                       GrantSource counted, int64_t atMs) {
  const bool latest = !entry.lastAnswer || atMs >= entry.lastAnswerAtMs;
  if (answer == SubscribeAnswer::Accept && from == counted) {
    entry.grants = std::min(entry.grants + 1, kMaxGrantsPerTemplate);
  }
  if (!latest) return entry;
  if (answer == SubscribeAnswer::Ban) entry.grants = 0;
  entry.lastAnswer = answer;
  entry.lastAnswerAtMs = atMs;
  return entry;
}

EventAnswer eventAnswer(std::string_view event, std::string_view status, int64_t errorCode) {
  if (event == "subscribe_msg_popup_event") {
    if (status == "accept") return {SubscribeAnswer::Accept, false};
    if (status == "reject") return {SubscribeAnswer::Reject, false};
    return {};
  }
  if (event == "subscribe_msg_change_event") {
    if (status == "reject") return {SubscribeAnswer::Ban, false};
    return {};
  }
  if (event == "subscribe_msg_sent_event" && errorCode != 0) {
    const bool refused =
        status.starts_with("fail:user refuse") || status.starts_with("fail:user block");
    return {std::nullopt, refused};
  }
  return {};
}

GrantAfterSend grantAfterSend(const WechatResult<int64_t>& result) {
  if (result) return GrantAfterSend::Spent;
  if (result.error().errcode == kNoGrant) return GrantAfterSend::Zero;
  if (mayHaveDelivered(result.error())) return GrantAfterSend::Spent;
  return GrantAfterSend::Refund;
}

}  // namespace wxb
