#include "notify/subscriptions.h"

#include <algorithm>

namespace wxb {

namespace {

// What the success result carries beside the template ids.
constexpr std::string_view kErrMsgKey = "errMsg";

// The phone answers "accept" or, undocumented, a variant "acceptWith" + a capitalised word
// (acceptWithAudio, acceptWithAlert, acceptWithForcePush; new ones appear without notice, so the
// shape is checked, not a list): each is an accept. Any other word starting with "accept"
// ("acceptfoo") is refused, not counted as a grant (usertest4 F7).
bool isAcceptVariant(std::string_view word) {
  constexpr std::string_view kPrefix = "acceptWith";
  if (!word.starts_with(kPrefix) || word.size() == kPrefix.size() || word.size() > 64) return false;
  auto rest = word.substr(kPrefix.size());
  return rest[0] >= 'A' && rest[0] <= 'Z' && std::all_of(rest.begin(), rest.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
         });
}

std::optional<SubscribeAnswer> answerOf(std::string_view word) {
  if (isAcceptVariant(word)) return SubscribeAnswer::Accept;
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
