#include "scim/patch_operations.h"

#include <string>
#include <utility>

#include "core/ascii.h"
#include "model/json_fields.h"
#include "scim/patch_errors.h"
#include "scim/patch_limits.h"

namespace dirbridge::scim {
namespace {

using json = nlohmann::json;
using Op = PatchOperation::Op;
using patch_internal::Describe;
using patch_internal::NoTargetError;
using patch_internal::OpName;

Result<Op> ParseOpName(const json& o, const std::string& where) {
  const json* name = json_fields::Find(o, "op");
  if (name == nullptr || !name->is_string()) {
    return InvalidInput(where + ".op must be \"add\", \"replace\" or \"remove\"", "invalidSyntax");
  }
  const auto& n = name->get_ref<const std::string&>();
  if (EqualsIgnoreCase(n, "add")) return Op::kAdd;
  if (EqualsIgnoreCase(n, "replace")) return Op::kReplace;
  if (EqualsIgnoreCase(n, "remove")) return Op::kRemove;
  return InvalidInput(where + ".op must be \"add\", \"replace\" or \"remove\", got \"" + n + "\"", "invalidSyntax");
}

Result<PatchOperation> ParseOperation(const json& o, std::size_t index) {
  const std::string where = "Operations[" + std::to_string(index) + "]";
  if (!o.is_object()) return InvalidInput(where + " must be an object, got " + Describe(o), "invalidSyntax");
  PatchOperation op;
  op.index = index;
  DB_ASSIGN_OR_RETURN(op.op, ParseOpName(o, where));
  if (const json* path = json_fields::Find(o, "path"); path != nullptr && !path->is_null()) {
    if (!path->is_string()) {
      return InvalidInput(where + ".path must be a string, got " + Describe(*path), "invalidPath");
    }
    auto parsed = ParsePatchPath(path->get_ref<const std::string&>());
    if (!parsed.ok()) {
      Error e = parsed.error();
      e.detail = where + ".path: " + e.detail;
      return e;
    }
    op.path = std::move(parsed).value();
  }
  if (const json* value = json_fields::Find(o, "value")) {
    op.has_value = true;
    op.value = *value;
  }
  if (op.op == Op::kRemove && !op.path) {
    return NoTargetError(where + ": a remove operation needs a \"path\"");
  }
  if (op.op != Op::kRemove && !op.has_value) {
    return InvalidInput(where + ": an " + std::string(OpName(op.op)) + " operation needs a \"value\"", "invalidSyntax");
  }
  return op;
}

}  // namespace

Result<std::vector<PatchOperation>> ParsePatchOperations(const json& operations) {
  if (!operations.is_array()) {
    return InvalidInput("\"Operations\" must be an array of operations, got " + Describe(operations), "invalidSyntax");
  }
  if (operations.size() > kMaxPatchOperations) {
    return TooManyError("the PATCH has", operations.size(), "operations", kMaxPatchOperations);
  }
  std::vector<PatchOperation> out;
  out.reserve(operations.size());
  for (std::size_t i = 0; i < operations.size(); ++i) {
    DB_ASSIGN_OR_RETURN(PatchOperation op, ParseOperation(operations[i], i));
    out.push_back(std::move(op));
  }
  return out;
}

Result<std::vector<PatchOperation>> ParsePatchRequest(const json& body) {
  if (!body.is_object()) return InvalidInput("a PATCH body must be a JSON object (a PatchOp message)", "invalidSyntax");
  if (const json* schemas = json_fields::Find(body, "schemas")) {
    bool ok = false;
    if (schemas->is_array()) {
      for (const auto& s : *schemas) {
        ok = ok || (s.is_string() && EqualsIgnoreCase(s.get<std::string>(), kPatchOpSchemaUrn));
      }
    }
    if (!ok) {
      return InvalidInput("a PATCH body's \"schemas\" must contain \"" + std::string(kPatchOpSchemaUrn) + "\"",
                          "invalidSyntax");
    }
  }
  const json* operations = json_fields::Find(body, "Operations");
  if (operations == nullptr) return InvalidInput("a PATCH body needs \"Operations\"", "invalidSyntax");
  return ParsePatchOperations(*operations);
}

}  // namespace dirbridge::scim
