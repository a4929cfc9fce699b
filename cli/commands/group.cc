// groups list [--name N]               GET .../groups?displayName=N&after=C  (paged)
// group show ID|NAME                   GET .../groups/{id}
// group members ID|NAME                GET .../groups/{id}/members?after=C   (paged)
//
// Groups are read only here: they change through their sources (SCIM, hooks, push).
// A group named by its displayName (any case) is looked up first; a name several
// groups share is refused (give the id).
#include "admin_client.h"
#include "commands/commands.h"
#include "core/ascii.h"
#include "listing.h"
#include "model/json_fields.h"
#include "pager.h"
#include "provision/resource_ids.h"
#include "session.h"
#include "table.h"

namespace dirbridge::cli {
namespace {

using nlohmann::json;

std::vector<std::string> GroupRow(const json& g) {
  return {CellAt(g, "id"), CellAt(g, "displayName"), CellAt(g, "externalId"), CellAt(g, "lastModified")};
}

// The id of the group `arg` names (an id as is, else the one group with that
// displayName); nullopt when it was reported (not found, ambiguous, an error).
std::optional<std::string> ResolveGroup(Session& s, const std::string& arg, ExitCode* code) {
  if (IsResourceId(arg)) return arg;
  auto a = s.CallJson("GET", WithQuery(s.TenantPath("/groups"), {{"displayName", arg}, {"limit", "2"}}));
  if (!a.ok()) {
    *code = a.code;
    return std::nullopt;
  }
  const json* groups = ArrayMember(a.body, "groups");
  if (!groups) {
    *code = s.BadAnswer("no 'groups' array");
    return std::nullopt;
  }
  std::vector<std::string> ids;
  for (const auto& g : *groups) {
    if (EqualsIgnoreCase(json_fields::StringAt(g, "displayName"), arg)) ids.push_back(json_fields::StringAt(g, "id"));
  }
  if (ids.size() == 1 && !ids[0].empty()) return ids[0];
  if (ids.empty()) {
    s.err() << "dirbridge: not found: no group named '" << CellText(arg, 200) << "'\n";
    *code = ExitCode::kNotFound;
  } else {
    *code = s.UsageError("several groups are named '" + CellText(arg, 200) + "'; give the id (groups list --name)");
  }
  return std::nullopt;
}

ExitCode List(Session& s) {
  PageSpec spec;
  spec.path = s.TenantPath("/groups");
  spec.query = {{"displayName", s.inv().Option("name").value_or("")}};
  spec.items_key = "groups";
  spec.what = "groups";
  Listing listing(s, {"ID", "DISPLAYNAME", "EXTERNALID", "LASTMODIFIED"}, GroupRow, "no groups");
  return listing.Finish(PageThrough(s, spec, "", [&](const json& g) { listing.Add(g); }));
}

ExitCode Show(Session& s) {
  ExitCode code = ExitCode::kOk;
  auto id = ResolveGroup(s, s.Arg(0), &code);
  if (!id) return code;
  return s.CallAndPrint("GET", s.TenantPath("/groups/" + Segment(*id)), std::nullopt, [&](const JsonAnswer& a) {
    s.out() << RenderFields({{"id", CellAt(a.body, "id")},
                             {"displayName", CellAt(a.body, "displayName")},
                             {"externalId", CellAt(a.body, "externalId")},
                             {"version", CellAt(a.body, "version")},
                             {"created", CellAt(a.body, "created")},
                             {"lastModified", CellAt(a.body, "lastModified")}});
  });
}

ExitCode Members(Session& s) {
  ExitCode code = ExitCode::kOk;
  auto id = ResolveGroup(s, s.Arg(0), &code);
  if (!id) return code;
  PageSpec spec;
  spec.path = s.TenantPath("/groups/" + Segment(*id) + "/members");
  spec.items_key = "members";
  spec.what = "members";
  Listing listing(
      s, {"USER", "DISPLAY"},
      [](const json& m) { return std::vector<std::string>{CellAt(m, "id"), CellAt(m, "display")}; }, "no members");
  return listing.Finish(PageThrough(s, spec, "", [&](const json& m) { listing.Add(m); }));
}

}  // namespace

std::vector<CommandSpec> GroupCommands() {
  return {
      {{"groups", "list"}, {}, {"name"}, {}, "groups list [--name N]", "the tenant's groups (by name: any case)", true, List},
      {{"group", "show"}, {"ID|NAME"}, {}, {}, "group show ID|NAME", "one group", true, Show},
      {{"group", "members"}, {"ID|NAME"}, {}, {}, "group members ID|NAME", "a group's members (user ids)", true, Members},
  };
}

}  // namespace dirbridge::cli
