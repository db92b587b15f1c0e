// The subscribe-message events POST /__fake/push can send (subscribe_msg_popup_event,
// subscribe_msg_change_event, subscribe_msg_sent_event): their List as the control body gives
// it, and what the user's action behind each does to the platform's grants before the push -
// a popup accept adds one grant, a settings change to reject takes the template's grants away,
// a sent event changes nothing. Used by control_push.cpp. Thread-safety: pure functions apart
// from the grant books, which guard themselves.
#pragma once

#include <nlohmann/json.hpp>
#include <variant>
#include <vector>

#include "fake_wechat/callback_push.h"
#include "fake_wechat/exchange.h"
#include "fake_wechat/subscribe_grants.h"

namespace wxb::fake {

// The "list" member: a non-empty array of {"template_id", "status"?, "popup_scene"?, "msgid"?,
// "error_code"?, "error_status"?}. status defaults to accept (popup), reject (change);
// error_code to 0 and error_status to success (sent) or "fail:user refuse" when error_code is
// not 0. A 400 reply names what is wrong.
std::variant<std::vector<SubscribeEventEntry>, Reply> readSubscribeList(const nlohmann::json& body,
                                                                        const std::string& event);

// Applies what the user did to `grants` (the app's book) for `openid`.
void applySubscribeEvent(SubscribeGrants& grants, const EventSpec& event);

}  // namespace wxb::fake
