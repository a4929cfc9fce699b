// Fuzzes SCIM PATCH (scim/patch.h): ParsePatchRequest, ApplyPatch on users and a
// group, and PlanMemberChanges, each with the RFC's options and with Entra ID's
// (scim::PatchOptions::EntraId()).
//
// Input: a PatchOp request body (the JSON text of a PATCH request), applied to the
// fixed resources of fuzz_resources.h; or "<resource JSON>\0<PatchOp body>", when
// the resource is read as a user and as a group through the model
// (UserFromJson / GroupFromJson, then scim::RenderUser / RenderGroup, as the SCIM
// module renders a stored record before patching it).
//
// Properties, besides no crash and no sanitizer report:
//   - every error is InvalidInput with a scimType of RFC 7644 §3.12 (a 400);
//   - a patched resource keeps its id and meta (readOnly) and never holds a
//     password (writeOnly: dropped wherever it appears, the zero-knowledge rule);
//   - a member plan never lists "members" in its group, and its add and remove
//     lists never share an id; a replace_all plan removes nothing and adds each id once.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/json_input.h"
#include "fuzz_check.h"
#include "fuzz_resources.h"
#include "model/group.h"
#include "model/json_fields.h"
#include "model/user.h"
#include "scim/patch.h"
#include "scim/rendering.h"
#include "scim/schema.h"

namespace {

using nlohmann::json;
namespace scim = dirbridge::scim;

constexpr std::string_view kBaseUrl = "https://dirbridge.example/t/acme/scim/v2";

std::string Show(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

void CheckError(const dirbridge::Error& e, const std::string& context) {
  static const std::set<std::string> kScimTypes = {"invalidFilter", "tooMany",     "uniqueness", "mutability",
                                                   "invalidSyntax", "invalidPath", "noTarget",   "invalidValue",
                                                   "invalidVers",   "sensitive"};
  FUZZ_CHECK(e.kind == dirbridge::ErrorKind::kInvalidInput && kScimTypes.count(e.scim_type) == 1,
             context + "\nerror: kind " + std::to_string(static_cast<int>(e.kind)) + " scimType '" + e.scim_type +
                 "': " + e.detail);
}

// What holds for every resource ApplyPatch returns.
void CheckPatched(const json& before, const json& after, const std::string& context) {
  FUZZ_CHECK(after.is_object(), context + "\nresult: " + Show(after));
  FUZZ_CHECK(after.value("id", json()) == before.value("id", json()),
             context + "\nid changed: " + Show(before.value("id", json())) + " -> " + Show(after.value("id", json())));
  FUZZ_CHECK(
      after.value("meta", json()) == before.value("meta", json()),
      context + "\nmeta changed: " + Show(before.value("meta", json())) + " -> " + Show(after.value("meta", json())));
  FUZZ_CHECK(dirbridge::json_fields::Find(after, "password") == nullptr, context + "\nresult: " + Show(after));
  const json* core = dirbridge::json_fields::Find(after, "urn:ietf:params:scim:schemas:core:2.0:User");
  FUZZ_CHECK(core == nullptr || !core->is_object() || dirbridge::json_fields::Find(*core, "password") == nullptr,
             context + "\nresult: " + Show(after));
}

void CheckPlan(const json& group, const scim::MemberPlan& plan, const std::string& context) {
  const auto& m = plan.membership;
  FUZZ_CHECK(plan.group.is_object() && dirbridge::json_fields::Find(plan.group, "members") == nullptr,
             context + "\nplanned group: " + Show(plan.group));
  FUZZ_CHECK(plan.group.value("id", json()) == group.value("id", json()),
             context + "\nplanned group: " + Show(plan.group));
  std::set<std::string> added;
  bool duplicate = false;
  for (const auto& ref : m.add) duplicate = !added.insert(ref.user_id).second || duplicate;
  if (m.replace_all) {
    FUZZ_CHECK(m.remove.empty(), context + "\na replace_all plan also removes " + std::to_string(m.remove.size()));
    FUZZ_CHECK(!duplicate, context + "\na replace_all plan adds an id twice");
  }
  for (const auto& id : m.remove) {
    FUZZ_CHECK(added.count(id) == 0, context + "\nthe plan adds and removes '" + id + "'");
  }
}

struct Resources {
  std::vector<json> users;
  json group;         // with members, for ApplyPatch
  json group_record;  // as the module renders a stored group (no members), for PlanMemberChanges
};

const Resources& FixedResources() {
  static const Resources kFixed = [] {
    Resources r;
    for (const auto& u : dirbridge::fuzz::FixedUsers()) {
      auto user = dirbridge::UserFromJson(u);
      if (!user.ok()) __builtin_trap();  // the fixtures are valid users
      r.users.push_back(scim::RenderUser(*user, kBaseUrl));
    }
    r.group = dirbridge::fuzz::FixedGroup();
    auto group = dirbridge::GroupFromJson(r.group);
    if (!group.ok()) __builtin_trap();
    r.group_record = scim::RenderGroup(*group, kBaseUrl);
    return r;
  }();
  return kFixed;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  Resources given;
  const Resources* resources = &FixedResources();
  std::string_view body_text = input;
  if (auto nul = input.find('\0'); nul != std::string_view::npos) {
    body_text = input.substr(nul + 1);
    auto doc = dirbridge::ParseJson(input.substr(0, nul));
    if (!doc.ok() || !doc->is_object()) return 0;
    if (auto user = dirbridge::UserFromJson(*doc); user.ok()) given.users.push_back(scim::RenderUser(*user, kBaseUrl));
    if (auto group = dirbridge::GroupFromJson(*doc); group.ok()) {
      given.group_record = scim::RenderGroup(*group, kBaseUrl);
      given.group = given.group_record;
      if (const json* members = dirbridge::json_fields::Find(*doc, "members")) given.group["members"] = *members;
    }
    resources = &given;
  }

  auto body = dirbridge::ParseJson(body_text);
  if (!body.ok()) return 0;
  const std::string context = "body: " + Show(*body);
  auto operations = scim::ParsePatchRequest(*body);
  if (!operations.ok()) {
    CheckError(operations.error(), context);
    return 0;
  }

  for (const scim::PatchOptions& options : {scim::PatchOptions(), scim::PatchOptions::EntraId()}) {
    const std::string where = context + (options.unmatched_filter_adds_value ? "\n(Entra ID options)" : "");
    for (const auto& user : resources->users) {
      auto patched = scim::ApplyPatch(user, *operations, scim::UserResource(), options);
      if (!patched.ok()) {
        CheckError(patched.error(), where + "\nuser: " + Show(user));
        continue;
      }
      CheckPatched(user, *patched, where + "\nuser: " + Show(user));
    }
    if (resources->group.is_object()) {
      auto patched = scim::ApplyPatch(resources->group, *operations, scim::GroupResource(), options);
      if (!patched.ok()) {
        CheckError(patched.error(), where + "\ngroup: " + Show(resources->group));
      } else {
        CheckPatched(resources->group, *patched, where + "\ngroup: " + Show(resources->group));
      }
      auto plan = scim::PlanMemberChanges(resources->group_record, *operations, options);
      if (!plan.ok()) {
        CheckError(plan.error(), where + "\nmember plan for: " + Show(resources->group_record));
      } else {
        CheckPlan(resources->group_record, *plan, where + "\nmember plan for: " + Show(resources->group_record));
      }
    }
  }
  return 0;
}
