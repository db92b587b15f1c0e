#include "notify/schedules/schedule.h"

namespace wxb {

const char* scheduleStateName(ScheduleState state) {
  switch (state) {
    case ScheduleState::Active:
      return "active";
    case ScheduleState::Paused:
      return "paused";
    case ScheduleState::Finished:
      return "finished";
  }
  return "finished";
}

std::optional<ScheduleState> parseScheduleState(std::string_view name) {
  for (auto state : {ScheduleState::Active, ScheduleState::Paused, ScheduleState::Finished}) {
    if (name == scheduleStateName(state)) return state;
  }
  return std::nullopt;
}

std::string scheduleFireKey(int64_t id, int64_t fireMs) {
  return "schedule:" + std::to_string(id) + ":" + std::to_string(fireMs);
}

}  // namespace wxb
