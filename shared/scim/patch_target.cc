#include "scim/patch_target.h"

#include <utility>

#include "scim/patch_errors.h"

namespace dirbridge::scim::patch_internal {

Target WholeExtensionTarget(const SchemaDef& ext, std::string shown) {
  Target t;
  t.whole_extension = &ext;
  t.container_urn = ext.id;
  t.shown = std::move(shown);
  return t;
}

Result<Target> ResolveTarget(std::string_view urn, std::string_view attribute, std::string_view sub,
                             FilterPtr filter, const ResourceSchema& schema, std::string shown) {
  if (!urn.empty() && filter == nullptr && sub.empty()) {
    const std::string full = std::string(urn) + ":" + std::string(attribute);
    if (const SchemaDef* ext = schema.FindExtension(full)) return WholeExtensionTarget(*ext, std::move(shown));
  }
  Target t;
  t.shown = std::move(shown);
  if (!urn.empty() && !schema.KnowsSchemaUrn(urn)) {
    return PathError("path " + Quote(t.shown) + " names schema " + Quote(urn) + ", which " + schema.name +
                     " resources do not have");
  }
  auto resolved = schema.Resolve(urn, attribute, {});
  if (!resolved) {
    return PathError("attribute " + Quote(attribute) + " in path " + Quote(t.shown) + " is not defined for " +
                     schema.name + " resources");
  }
  t.attribute = resolved->attribute;
  t.container_urn = resolved->extension_urn;
  if (!sub.empty()) {
    t.sub = t.attribute->FindSubAttribute(sub);
    if (t.sub == nullptr) {
      return PathError("attribute " + Quote(t.attribute->name) + " has no sub-attribute " + Quote(sub) +
                       " (path " + Quote(t.shown) + ")");
    }
  }
  if (filter != nullptr && !t.attribute->multi_valued) {
    return PathError("a value filter applies only to multi-valued attributes; " + Quote(t.attribute->name) +
                     " is single-valued (path " + Quote(t.shown) + ")");
  }
  t.filter = std::move(filter);
  return t;
}

}  // namespace dirbridge::scim::patch_internal
