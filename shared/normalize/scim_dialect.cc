#include "normalize/scim_dialect.h"

namespace dirbridge {

ScimDialect DialectFor(std::string_view kind) {
  ScimDialect d;
  d.patch.coerce_boolean_strings = true;
  if (kind == "entra") {
    d.patch = scim::PatchOptions::EntraId();
    d.user_patch_no_content = true;
  }
  return d;
}

}  // namespace dirbridge
