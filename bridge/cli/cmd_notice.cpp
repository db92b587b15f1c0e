// `wxbridge notice --dry-run UNIONID`: what the real-time notice rules would do for one user
// now, and why - the window, the held events, the preferences in force, the message it would
// send (as the platform would receive it) or what holds the events and until when. Writes
// nothing. Prints one JSON line.
#include <nlohmann/json.hpp>
#include <ostream>

#include "bridge/app/services.h"
#include "bridge/cli/commands.h"
#include "bridge/routes/account_json.h"
#include "cron/iso_time.h"

namespace wxb {

namespace {

nlohmann::json timeOrNull(std::optional<int64_t> ms, const date::time_zone* zone) {
  return ms ? nlohmann::json(formatIsoTime(*ms, zone)) : nlohmann::json();
}

const char* heldByName(HeldBy by) {
  switch (by) {
    case HeldBy::Window:
      return "window";
    case HeldBy::QuietHours:
      return "quiet_hours";
    case HeldBy::Nothing:
      break;
  }
  return "nothing";
}

// Why the plan sends what it sends, in a sentence.
std::string reason(const NoticePreview& p) {
  if (!p.plan.notice) {
    if (p.plan.heldBy == HeldBy::Window) return "events are held: a window is open";
    if (p.plan.heldBy == HeldBy::QuietHours) return "events are held: the user's quiet hours";
    return "nothing is held";
  }
  const Notice& n = *p.plan.notice;
  if (!p.follows) return "a notice is due but the user follows no OA: nothing can be sent";
  if (n.kind == NoticeKind::Single) return "first event with no window open: sent at once";
  if (n.caughtUp) return "notices fell due more than a window apart: merged into one";
  if (n.quietHoursEnded) return "quiet hours ended: what they held is merged into one";
  return "the window closed: what it held is merged into one";
}

nlohmann::json noticeJson(const NoticePreview& p) {
  if (!p.plan.notice) return nullptr;
  const Notice& n = *p.plan.notice;
  nlohmann::json out = {{"kind", n.kind == NoticeKind::Single ? "single" : "many"},
                        {"number", n.number},
                        {"events", n.eventIds.size()},
                        {"due_at", formatIsoTime(n.dueAtMs, p.prefs.zone)}};
  if (p.message) {
    out["message"] = {{"touser", p.message->touser},
                      {"template_id", p.message->templateId},
                      {"data", p.message->data}};
  }
  return out;
}

nlohmann::json previewJson(const NoticePreview& p) {
  const date::time_zone* zone = p.prefs.zone;
  return {{"dry_run", true},
          {"unionid", p.user.unionid},
          {"timezone", p.prefs.timezone},
          {"quiet_hours", formatQuietHours(p.prefs.quietHours)},
          {"window_open_until",
           p.user.window.endMs > 0 ? timeOrNull(p.user.window.endMs, zone) : nlohmann::json()},
          {"notices_sent", p.user.window.notices},
          {"held", p.user.held.size()},
          {"follows", p.follows},
          {"would_send", noticeJson(p)},
          {"why", reason(p)},
          {"dropped_read", p.plan.droppedIds.size()},
          {"still_held", p.plan.heldEvents},
          {"held_by", heldByName(p.plan.heldBy)},
          {"next_decision_at", timeOrNull(p.plan.nextDecisionAtMs, zone)}};
}

}  // namespace

int runNoticeCommand(const CommandContext& ctx, const CommandArgs& args) {
  if (args.size() != 2 || args[0] != "--dry-run" || !isValidWechatId(args[1])) {
    ctx.err << "wxbridge notice: usage: notice --dry-run UNIONID\n";
    return 2;
  }
  if (!ctx.settings.notify.realtime.enabled()) {
    ctx.err << "wxbridge: configuration error: notify.realtime.single: must name the template "
               "of real-time notices (with notify.realtime.many)\n";
    return 2;
  }
  auto services = Services::open(ctx.settings, ctx.clock);
  ctx.out << previewJson(services->notices->preview(args[1])).dump() << std::endl;
  return 0;
}

}  // namespace wxb
