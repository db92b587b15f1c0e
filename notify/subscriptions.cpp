#include "notify/subscriptions.h"

#include <algorithm>

namespace wxb {

namespace {

// What the success result carries beside the template ids.
constexpr std::string_view kErrMsgKey = "errMsg";

std::optional<SubscribeAnswer> answerOf(std::string_view word) {
  if (word.starts_with("accept")) return SubscribeAnswer::Accept;  // acceptWithAudio, ...
  return parseSubscribeAnswer(word);
}

}  // namespace

bool isValidTemplateId(std::string_view id) {
  return !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

std::expected<std::vector<TemplateAnswer>, FieldProblem> readAnswers(
    const std::map<std::string, std::string>& results) {
  std::vector<TemplateAnswer> answers;
  for (const auto& [id, word] : results) {
    if (id == kErrMsgKey) continue;
    if (!isValidTemplateId(id)) {
      return std::unexpected(
          FieldProblem{"results", "template ids are 1-128 characters of A-Z a-z 0-9 _ -"});
    }
    auto answer = answerOf(word);
    if (!answer) {
      return std::unexpected(
          FieldProblem{"results." + id, "must be accept, reject, ban or filter"});
    }
    answers.push_back({id, *answer});
  }
  if (answers.empty() || answers.size() > kMaxReportTemplates) {
    return std::unexpected(
        FieldProblem{"results", "must hold 1 to 50 template ids with their answers"});
  }
  return answers;
}

}  // namespace wxb
