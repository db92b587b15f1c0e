#include "notify/channels.h"

#include <algorithm>
#include <array>
#include <utility>

namespace wxb {

namespace {

constexpr std::array<std::pair<Channel, std::string_view>, 3> kNames = {{
    {Channel::OaTemplate, "oa_template"},
    {Channel::MpSubscribe, "mp_subscribe"},
    {Channel::OaSubscribe, "oa_subscribe"},
}};

}  // namespace

std::string_view channelName(Channel channel) {
  for (const auto& [value, name] : kNames) {
    if (value == channel) return name;
  }
  return "unknown";
}

std::optional<Channel> parseChannel(std::string_view name) {
  for (const auto& [value, known] : kNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

std::vector<Channel> candidateChannels(std::optional<Channel> requested,
                                       const std::set<Channel>& templateHas,
                                       const std::vector<Channel>& order) {
  if (requested) {
    if (templateHas.contains(*requested)) return {*requested};
    return {};
  }
  std::vector<Channel> out;
  for (Channel channel : order) {
    const bool repeated = std::find(out.begin(), out.end(), channel) != out.end();
    if (templateHas.contains(channel) && !repeated) out.push_back(channel);
  }
  return out;
}

std::optional<std::string> unreachableBecause(Channel channel, const Recipient& r) {
  switch (channel) {
    case Channel::OaTemplate:
      if (!r.hasOaOpenid) return "no OA openid is known";
      if (!r.followsOa) return "does not follow the OA";
      if (r.refusesTemplates) {
        return "blocked the OA's template messages (a failed:user block receipt); reachable "
               "again after the next follow";
      }
      return std::nullopt;
    case Channel::MpSubscribe:
      if (!r.hasMpOpenid) return "no MP openid is known";
      if (r.mpGrants <= 0) return "holds no grant for the template";
      return std::nullopt;
    case Channel::OaSubscribe:
      if (!r.hasOaOpenid) return "no OA openid is known";
      if (!r.oaLongTerm && r.oaGrants <= 0) return "holds no grant for the template";
      return std::nullopt;
  }
  return "unknown channel";
}

ChannelChoice chooseChannel(const std::vector<Channel>& candidates, const Recipient& recipient,
                            const std::map<Channel, int64_t>& closedUntilMs) {
  ChannelChoice choice;
  std::optional<ChannelChoice> wait;  // the closed channel that reopens first
  for (Channel channel : candidates) {
    if (auto why = unreachableBecause(channel, recipient)) {
      choice.reason +=
          (choice.reason.empty() ? "" : "; ") + std::string(channelName(channel)) + ": " + *why;
      continue;
    }
    if (auto closed = closedUntilMs.find(channel); closed != closedUntilMs.end()) {
      if (!wait || closed->second < wait->waitUntilMs) {
        wait = ChannelChoice{ChannelChoice::Kind::Wait, channel, closed->second, ""};
      }
      continue;
    }
    return ChannelChoice{ChannelChoice::Kind::Send, channel, 0, ""};
  }
  if (wait) return *wait;
  if (candidates.empty()) choice.reason = "the template has none of the channels asked for";
  return choice;
}

}  // namespace wxb
