#include "notify/template_message.h"

namespace wxb {

std::string clientMsgIdFor(int64_t outboxId, int64_t createdAtMs) {
  return "wxb-" + std::to_string(outboxId) + "-" + std::to_string(createdAtMs);
}

}  // namespace wxb
