// Channels: the three ways wxbridge can deliver a message, and which one a message takes.
//   oa_template   OA template message (cgi-bin/message/template/send): reaches OA followers,
//                 any number of times.
//   mp_subscribe  MP subscribe message (cgi-bin/message/subscribe/send, MP token): reaches any
//                 mini-program user who holds a one-time grant for the template.
//   oa_subscribe  OA subscribe notification (cgi-bin/message/subscribe/bizsend, OA token):
//                 reaches an OA openid holding a grant (followers in the chat, others in 服务通知),
//                 or anyone with an OA openid for a long-term template.
// A template is for one channel (templates.NAME.channel) and may carry variants for others;
// a message asks for one channel or for "auto", which tries the template's channels in the
// order of notify.channels and takes the first that can reach the user now and is open for the
// message's send class (notify/send_priority.h). The choice is made when the message is claimed
// for sending, from what the store knows at that moment. Pure functions: thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace wxb {

enum class Channel { OaTemplate, MpSubscribe, OaSubscribe };

// Every channel, in the enum's order (index = static_cast<size_t>(channel)).
inline constexpr std::array<Channel, 3> kChannels = {Channel::OaTemplate, Channel::MpSubscribe,
                                                     Channel::OaSubscribe};

// "oa_template", "mp_subscribe", "oa_subscribe": the configured, stored and printed name.
std::string_view channelName(Channel channel);
// The channel called `name`; nullopt for anything else ("auto" included).
std::optional<Channel> parseChannel(std::string_view name);

// notify.channels when it is not set.
inline const std::vector<Channel> kDefaultChannelOrder = {Channel::OaTemplate,
                                                          Channel::MpSubscribe};

// The channels a message may be sent on, in the order they are tried: the requested one when
// the template has it (nothing when it has not), or for "auto" (requested nullopt) every
// channel of `order` the template has. Empty means the message cannot be sent at all (the
// intake refuses it).
std::vector<Channel> candidateChannels(std::optional<Channel> requested,
                                       const std::set<Channel>& templateHas,
                                       const std::vector<Channel>& order);

// What the store knows about one recipient when its message is claimed.
struct Recipient {
  bool hasOaOpenid = false;
  bool followsOa = false;  // the OA openid is a current follower
  bool hasMpOpenid = false;
  int64_t mpGrants = 0;     // usable grants of the mp_subscribe variant's template_id
  int64_t oaGrants = 0;     // usable grants of the oa_subscribe variant's template_id
  bool oaLongTerm = false;  // the oa_subscribe variant is a long-term template: no grant
  // The follower blocked the OA's template messages (a TEMPLATESENDJOBFINISH "failed:user
  // block" receipt, docs/callback.md) and has not followed again since: no oa_template.
  bool refusesTemplates = false;
};

// Why `channel` cannot reach `recipient` now ("does not follow the OA", "blocked the OA's
// template messages", "holds no grant for the template"), or nullopt when it can.
std::optional<std::string> unreachableBecause(Channel channel, const Recipient& recipient);

struct ChannelChoice {
  enum class Kind {
    Send,       // send on `channel` now
    Wait,       // `channel` could reach the user but is closed for this class until waitUntilMs
    NoChannel,  // no candidate can reach the user: the message fails as no_channel
  };
  Kind kind = Kind::NoChannel;
  Channel channel = Channel::OaTemplate;
  int64_t waitUntilMs = 0;
  std::string reason;  // NoChannel: each candidate and why it cannot reach the user
};

// The first of `candidates` that can reach `recipient` and is open now. `closedUntilMs` holds
// the channels closed for the message's class (paused, or their budget kept for higher classes)
// with the time they open again; absent means open. A channel that could reach the user but is
// closed makes the message wait (until the earliest reopening) when no open one can reach it.
ChannelChoice chooseChannel(const std::vector<Channel>& candidates, const Recipient& recipient,
                            const std::map<Channel, int64_t>& closedUntilMs);

}  // namespace wxb
