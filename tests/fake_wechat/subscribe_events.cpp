#include "fake_wechat/subscribe_events.h"

#include "fake_wechat/control_routes.h"

namespace wxb::fake {

namespace {

constexpr std::size_t kMaxEntries = 100;

std::optional<std::string> readStatus(const nlohmann::json& item, const std::string& event,
                                      SubscribeEventEntry& entry) {
  auto status = stringMember(item, "status");
  if (event == "subscribe_msg_popup_event") {
    entry.status = status.value_or("accept");
    if (entry.status != "accept" && entry.status != "reject") {
      return "a popup status must be accept or reject";
    }
  } else if (event == "subscribe_msg_change_event") {
    entry.status = status.value_or("reject");
  }
  return std::nullopt;
}

// An integer member of a list entry, when present.
std::optional<std::string> readNumber(const nlohmann::json& item, const char* key,
                                      std::optional<int64_t>& out) {
  auto found = item.find(key);
  if (found == item.end() || found->is_null()) return std::nullopt;
  if (!found->is_number_integer()) return std::string(key) + " must be an integer";
  out = found->get<int64_t>();
  return std::nullopt;
}

std::variant<SubscribeEventEntry, std::string> readEntry(const nlohmann::json& item,
                                                         const std::string& event) {
  if (!item.is_object()) return std::string("list entries must be objects");
  SubscribeEventEntry entry;
  auto templateId = stringMember(item, "template_id");
  if (!templateId || templateId->empty()) return std::string("a list entry needs a template_id");
  entry.templateId = *templateId;
  for (auto problem :
       {readStatus(item, event, entry), readNumber(item, "popup_scene", entry.popupScene),
        readNumber(item, "msgid", entry.msgId), readNumber(item, "error_code", entry.errorCode)}) {
    if (problem) return *problem;
  }
  if (event == "subscribe_msg_sent_event") {
    entry.errorCode = entry.errorCode.value_or(0);
    entry.status = stringMember(item, "error_status")
                       .value_or(*entry.errorCode == 0 ? "success" : "fail:user refuse");
  }
  return entry;
}

}  // namespace

std::variant<std::vector<SubscribeEventEntry>, Reply> readSubscribeList(const nlohmann::json& body,
                                                                        const std::string& event) {
  auto list = body.find("list");
  if (list == body.end() || !list->is_array() || list->empty() || list->size() > kMaxEntries) {
    return controlError(400, event + " needs a list of 1 to 100 entries");
  }
  std::vector<SubscribeEventEntry> entries;
  for (const auto& item : *list) {
    auto entry = readEntry(item, event);
    if (auto* problem = std::get_if<std::string>(&entry)) return controlError(400, *problem);
    entries.push_back(std::move(std::get<SubscribeEventEntry>(entry)));
  }
  return entries;
}

void applySubscribeEvent(SubscribeGrants& grants, const EventSpec& event) {
  for (const auto& entry : event.list) {
    if (event.event == "subscribe_msg_popup_event" && entry.status == "accept") {
      grants.add(event.fromUser, entry.templateId, 1);
    } else if (event.event == "subscribe_msg_change_event" && entry.status == "reject") {
      grants.revoke(event.fromUser, entry.templateId);
    }
  }
}

}  // namespace wxb::fake
