#include "scim/patch_errors.h"

#include <utility>

namespace dirbridge::scim::patch_internal {

Error PathError(std::string detail) { return InvalidInput(std::move(detail), "invalidPath"); }
Error ValueError(std::string detail) { return InvalidInput(std::move(detail), "invalidValue"); }
Error MutabilityError(std::string detail) { return InvalidInput(std::move(detail), "mutability"); }
Error NoTargetError(std::string detail) { return InvalidInput(std::move(detail), "noTarget"); }

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string Describe(const nlohmann::json& v) {
  std::string d = v.dump();
  if (d.size() > 60) d = d.substr(0, 57) + "...";
  return std::string(v.type_name()) + " " + d;
}

std::string_view OpName(PatchOperation::Op op) {
  switch (op) {
    case PatchOperation::Op::kAdd: return "add";
    case PatchOperation::Op::kReplace: return "replace";
    case PatchOperation::Op::kRemove: return "remove";
  }
  return "add";
}

Error WithOperation(const Error& e, const PatchOperation& op) {
  Error out = e;
  std::string where = "Operations[" + std::to_string(op.index) + "] (" + std::string(OpName(op.op));
  if (op.path) where += " " + op.path->text;
  out.detail = where + "): " + e.detail;
  return out;
}

}  // namespace dirbridge::scim::patch_internal
