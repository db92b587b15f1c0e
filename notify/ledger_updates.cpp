#include "notify/ledger_updates.h"

#include <type_traits>

namespace wxb {

namespace {

GrantEntry entryOf(const GrantRecord& r) {
  return GrantEntry{r.grants, parseSubscribeAnswer(r.lastAnswer), r.lastAnswerAtMs};
}

void store(GrantRecord& r, const GrantEntry& e) {
  r.grants = e.grants;
  r.lastAnswer = e.lastAnswer ? std::string(subscribeAnswerName(*e.lastAnswer)) : "";
  r.lastAnswerAtMs = e.lastAnswerAtMs;
}

GrantUpdate answerUpdate(const std::string& book, const std::string& openid,
                         const std::string& templateId, SubscribeAnswer answer, GrantSource from,
                         GrantSource counted, int64_t atMs) {
  return GrantUpdate{book, openid, templateId, [=](GrantRecord& r) {
                       store(r, applyAnswer(entryOf(r), answer, from, counted, atMs));
                     }};
}

// One list entry of an event: its meaning for the ledger, as updates.
void addEntry(std::vector<GrantUpdate>& out, const PushEvent& push, const std::string& book,
              GrantSource counted, const std::string& templateId, const EventAnswer& meaning) {
  const std::string& openid = push.header.fromUser;
  if (meaning.zero) {
    out.push_back(GrantUpdate{book, openid, templateId, [](GrantRecord& r) { r.grants = 0; }});
  }
  if (meaning.answer) {
    out.push_back(answerUpdate(book, openid, templateId, *meaning.answer, GrantSource::Events,
                               counted, push.header.createTime * 1000));
  }
}

}  // namespace

std::string recordReport(
    Subscriptions& ledger, GrantSource counted, const std::string& mpOpenid,
    const std::string& reportId, const std::vector<TemplateAnswer>& answers,
    const std::function<std::string(const std::vector<GrantRecord>&)>& answerOf, int64_t nowMs) {
  std::vector<GrantUpdate> updates;
  for (const auto& a : answers) {
    updates.push_back(answerUpdate(kMpBook, mpOpenid, a.templateId, a.answer, GrantSource::Client,
                                   counted, nowMs));
  }
  return ledger.applyReport(mpOpenid, reportId, updates, answerOf, nowMs);
}

bool isGrantEvent(const PushEvent& push) {
  return std::holds_alternative<SubscribePopupEvent>(push.body) ||
         std::holds_alternative<SubscribeChangeEvent>(push.body) ||
         std::holds_alternative<SubscribeSentEvent>(push.body);
}

std::vector<GrantUpdate> grantUpdatesOf(const PushEvent& push, const std::string& book,
                                        GrantSource counted) {
  std::vector<GrantUpdate> out;
  const std::string event = pushKindName(push);
  if (const auto* popup = std::get_if<SubscribePopupEvent>(&push.body)) {
    for (const auto& c : popup->choices) {
      addEntry(out, push, book, counted, c.templateId, eventAnswer(event, c.status, 0));
    }
  } else if (const auto* change = std::get_if<SubscribeChangeEvent>(&push.body)) {
    for (const auto& c : change->changes) {
      addEntry(out, push, book, counted, c.templateId, eventAnswer(event, c.status, 0));
    }
  } else if (const auto* sent = std::get_if<SubscribeSentEvent>(&push.body)) {
    for (const auto& r : sent->results) {
      addEntry(out, push, book, counted, r.templateId,
               eventAnswer(event, r.errorStatus, r.errorCode));
    }
  }
  return out;
}

}  // namespace wxb
