// Subscriptions: what a mini program reports after `wx.requestSubscribeMessage` (POST
// /v1/subscriptions), checked and turned into ledger answers (notify/grant_ledger.h). The
// success callback's result maps each template id to "accept", "reject", "ban" or "filter" and
// also carries "errMsg"; a backend may post it as it came, so "errMsg" is skipped, and the
// accept variants newer clients report for voice or alert reminders ("acceptWithAudio",
// "acceptWithAlert") count as accept. Called by the /v1/subscriptions route. Pure: thread-safe.
#pragma once

#include <expected>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "notify/grant_ledger.h"
#include "notify/template_render.h"

namespace wxb {

inline constexpr size_t kMaxReportTemplates = 50;

// A platform template id as configured and reported: 1-128 of [A-Za-z0-9_-].
bool isValidTemplateId(std::string_view id);

struct TemplateAnswer {
  std::string templateId;
  SubscribeAnswer answer = SubscribeAnswer::Reject;
};

// The answers in `results` (template id -> the popup's word), in template id order; a
// FieldProblem naming "results" or "results.ID" when the report cannot be taken: no answers,
// more than kMaxReportTemplates, a malformed id, or a word that is none of the above.
std::expected<std::vector<TemplateAnswer>, FieldProblem> readAnswers(
    const std::map<std::string, std::string>& results);

}  // namespace wxb
