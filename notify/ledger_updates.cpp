#include "notify/ledger_updates.h"

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

GrantRecord apply(Subscriptions& ledger, const std::string& book, const std::string& openid,
                  const std::string& templateId, SubscribeAnswer answer, GrantSource from,
                  GrantSource counted, int64_t atMs, int64_t nowMs) {
  return ledger.change(
      book, openid, templateId,
      [&](GrantRecord& r) { store(r, applyAnswer(entryOf(r), answer, from, counted, atMs)); },
      nowMs);
}

}  // namespace

std::vector<GrantRecord> recordReport(Subscriptions& ledger, GrantSource counted,
                                      const std::string& mpOpenid,
                                      const std::vector<TemplateAnswer>& answers, int64_t nowMs) {
  std::vector<GrantRecord> out;
  for (const auto& a : answers) {
    out.push_back(apply(ledger, "mp", mpOpenid, a.templateId, a.answer, GrantSource::Client,
                        counted, nowMs, nowMs));
  }
  return out;
}

void recordEvent(Subscriptions& ledger, GrantSource counted, const std::string& book,
                 const SubscribeEvent& event, int64_t nowMs) {
  for (const auto& entry : event.entries) {
    EventAnswer meaning = eventAnswer(event.event, entry.status, entry.errorCode);
    if (meaning.zero) ledger.zero(book, event.openid, entry.templateId, nowMs);
    if (meaning.answer) {
      apply(ledger, book, event.openid, entry.templateId, *meaning.answer, GrantSource::Events,
            counted, event.createTimeMs, nowMs);
    }
  }
}

}  // namespace wxb
