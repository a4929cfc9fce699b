#include "normalize/scim_dialect.h"

namespace dirbridge {

ScimDialect DialectFor(ConnectionKind kind) {
  ScimDialect d;
  d.patch.coerce_boolean_strings = true;
  if (kind == ConnectionKind::kEntra) {
    d.patch = scim::PatchOptions::EntraId();
    d.user_patch_no_content = true;
  }
  if (kind == ConnectionKind::kOneLogin) d.accepts_scim11_shapes = true;
  return d;
}

}  // namespace dirbridge
