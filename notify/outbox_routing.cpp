// OutboxSender: the channel of each claimed message (notify/outbox_sender.h, notify/channels.h).
#include <Poco/Logger.h>

#include <algorithm>

#include "notify/outbox_sender.h"

namespace wxb {

namespace {

// A grant another instance spent between our read and our take: choose again this many times.
constexpr int kChoiceTries = 3;

Poco::Logger& logger() { return Poco::Logger::get("wxb.notify"); }

bool fixedTemplate(const OutboxMessage& m) { return m.channel == "oa_template"; }

// The openid `channel` addresses: the account's as read now, or the follower the message was
// enqueued for when it was not looked up.
std::string addressee(Channel channel, const OutboxMessage& m, const std::optional<Account>& a) {
  if (channel == Channel::MpSubscribe) return a ? a->mpOpenid : "";
  return a ? a->oaOpenid : m.touser;
}

}  // namespace

// A message enqueued for oa_template alone is addressed to the follower known then (touser);
// any other is looked up now, with the grants of its subscribe forms. Every message reads the
// account now, so a block that arrived after it was enqueued keeps it off oa_template.
Recipient OutboxSender::recipientOf(const OutboxMessage& m, const OutboxPayload& payload,
                                    const std::optional<Account>& a) {
  Recipient r;
  const std::string oaOpenid = addressee(Channel::OaTemplate, m, a);
  const std::string mpOpenid = addressee(Channel::MpSubscribe, m, a);
  r.hasOaOpenid = !oaOpenid.empty();
  r.followsOa = r.hasOaOpenid && (!a || a->subscribed);
  r.refusesTemplates = a && a->refusesTemplatesSinceMs != 0;
  r.hasMpOpenid = !mpOpenid.empty();
  if (const ChannelForm* mp = payload.form(Channel::MpSubscribe); mp && r.hasMpOpenid) {
    r.mpGrants = subscriptions_.grants(kMpBook, mpOpenid, mp->templateId);
  }
  if (const ChannelForm* oa = payload.form(Channel::OaSubscribe); oa && r.hasOaOpenid) {
    r.oaLongTerm = oa->longTerm;
    if (!oa->longTerm) r.oaGrants = subscriptions_.grants(kOaBook, oaOpenid, oa->templateId);
  }
  return r;
}

std::optional<SendRoute> OutboxSender::route(const OutboxMessage& m, const OutboxPayload& payload) {
  const bool fixed = fixedTemplate(m);
  std::vector<Channel> candidates = fixed ? std::vector{Channel::OaTemplate} : payload.channels();
  std::optional<Account> account = accounts_.findByUnionid(m.unionid);
  Recipient recipient = recipientOf(m, payload, account);
  const auto sendClass = static_cast<SendClass>(std::clamp(m.sendClass, 0, 3));
  const auto closed = budgets_.closedFor(sendClass, clock_.nowMs());
  for (int tries = 0; tries < kChoiceTries; ++tries) {
    ChannelChoice choice = chooseChannel(candidates, recipient, closed);
    if (choice.kind == ChannelChoice::Kind::NoChannel) {
      noChannel(m, choice.reason);
      return std::nullopt;
    }
    if (choice.kind == ChannelChoice::Kind::Wait) {
      wait(m, choice);
      return std::nullopt;
    }
    SendRoute route{choice.channel, payload.form(choice.channel),
                    addressee(choice.channel, m, account)};
    if (takeGrant(m, route)) return route;
    (choice.channel == Channel::MpSubscribe ? recipient.mpGrants : recipient.oaGrants) = 0;
  }
  notifications_.retryLater(
      m.id, owner_,
      SendRetry{clock_.nowMs(), 0, "the grants it could use were spent by others", false, true},
      clock_.nowMs());
  return std::nullopt;
}

// Spends the grant a subscribe send needs and records the channel and addressee, in one
// transaction; a template send or a long-term notification only records the channel and
// addressee (unless the row holds them already).
bool OutboxSender::takeGrant(const OutboxMessage& m, const SendRoute& route) {
  const std::string name(channelName(route.channel));
  const int64_t now = clock_.nowMs();
  if (route.channel == Channel::OaTemplate || route.form->longTerm) {
    return (m.channel == name && m.touser == route.touser) ||
           notifications_.setChannel(m.id, owner_, name, route.touser, now);
  }
  const char* book = route.channel == Channel::MpSubscribe ? kMpBook : kOaBook;
  return subscriptions_.take(GrantKey{book, route.touser, route.form->templateId}, m.id, owner_,
                             name, now);
}

void OutboxSender::wait(const OutboxMessage& m, const ChannelChoice& choice) {
  const std::string why = std::string(channelName(choice.channel)) +
                          " is paused or its daily budget is kept for higher send classes";
  notifications_.retryLater(m.id, owner_, SendRetry{choice.waitUntilMs, 0, why, false, true},
                            clock_.nowMs());
  std::lock_guard lock(mutex_);
  ++stats_.waited;
}

void OutboxSender::noChannel(const OutboxMessage& m, const std::string& reason) {
  notifications_.markNoChannel(m.id, owner_, reason, clock_.nowMs());
  logger().information("outbox message %?d: no channel can reach the user (%s)", m.id, reason);
  std::lock_guard lock(mutex_);
  ++stats_.noChannel;
}

}  // namespace wxb
