#include "bridge/routes/message_params.h"

#include "bridge/routes/responses.h"
#include "notify/template_spec.h"

namespace wxb {

std::variant<MessageParams, ApiResponse> parseMessageParams(const nlohmann::json& body) {
  MessageParams params;
  auto found = body.find("params");
  if (found == body.end() || found->is_null()) return params;
  if (!found->is_object() || found->size() > 50) {
    return invalidField("params", "must be an object of at most 50 string values");
  }
  for (const auto& [name, value] : found->items()) {
    if (!isValidFieldKey(name))
      return invalidField("params." + name, "names are 1-32 of A-Z a-z 0-9 _");
    // Numbers are refused: their JSON text is not kept, so 1.50 or 1e300 could not be shown
    // as sent. Text is shown exactly as sent.
    if (!value.is_string()) {
      const char* hint =
          value.is_number() ? "; send it as text, e.g. \"1.50\", to show it as sent" : "";
      return invalidField("params." + name,
                          std::string("must be a string, got ") + value.type_name() + hint);
    }
    params[name] = value.get<std::string>();
  }
  return params;
}

}  // namespace wxb
