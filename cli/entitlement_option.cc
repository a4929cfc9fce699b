#include "entitlement_option.h"

#include <string>

#include "core/printable.h"

namespace dirbridge::cli {

Result<nlohmann::json> EntitlementFromOption(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
    return InvalidInput("--entitlement takes TYPE:NAME (role:Developers, policy:MFA, sharedFolder:Keys), not '" +
                            Printable(text, 80) + "'",
                        "");
  }
  return nlohmann::json{{"type", std::string(text.substr(0, colon))}, {"name", std::string(text.substr(colon + 1))}};
}

}  // namespace dirbridge::cli
