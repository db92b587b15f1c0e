#include "wechat/strict_json.h"

#include <set>
#include <vector>

#include "wechat/utf8.h"

namespace wxb {

namespace {

// A parser callback that records the first name given twice in one object.
class RepeatedNames {
 public:
  bool operator()(int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    if (event == Event::object_start) open_.emplace_back();
    if (event == Event::object_end && !open_.empty()) open_.pop_back();
    if (event == Event::key && !open_.empty()) {
      std::string name = parsed.get<std::string>();
      if (!open_.back().insert(name).second && first_.empty()) first_ = std::move(name);
    }
    return true;
  }
  const std::string& first() const { return first_; }

 private:
  std::vector<std::set<std::string>> open_;  // the names of each object being read
  std::string first_;                        // the first name seen twice in one object
};

}  // namespace

std::expected<nlohmann::json, JsonRefusal> parseJsonNoRepeats(std::string_view text) {
  RepeatedNames repeated;
  nlohmann::json root = nlohmann::json::parse(
      text.begin(), text.end(),
      [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
        return repeated(depth, event, parsed);
      },
      false);
  if (root.is_discarded()) return std::unexpected(JsonRefusal{});
  if (!repeated.first().empty()) return std::unexpected(JsonRefusal{repeated.first()});
  return root;
}

std::string shownJsonName(const std::string& name) {
  constexpr std::size_t kShownChars = 64;
  const std::string_view cut = cutToChars(name, kShownChars);
  std::string shown = nlohmann::json(std::string(cut)).dump(-1, ' ', true);
  return cut.size() < name.size() ? shown + "..." : shown;
}

}  // namespace wxb
