#include "normalize/scim_dialect.h"

namespace dirbridge {

ScimDialect DialectFor(std::string_view kind) {
  ScimDialect d;
  d.patch.coerce_boolean_strings = true;
  if (kind == "entra") {
    d.patch = scim::PatchOptions::EntraId();
  }
  return d;
}

}  // namespace dirbridge
