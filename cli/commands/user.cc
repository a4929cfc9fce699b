// users list [--username U]                 GET  .../users?userName=U&after=C  (paged)
// user show ID|USERNAME                     GET  .../users/{id}
// user offboard ID|USERNAME [--by] [--reason]  POST .../users/{id}/offboard {"by", "reason"?}
// user restore ID|USERNAME [--by WHO]       POST .../users/{id}/restore {"by"}
//
// A user name is turned into an id first (user_lookup.h). --by names who acted, for
// the audit trail; without it, the login name ($USER) of whoever runs the CLI.
#include "commands/commands.h"
#include "listing.h"
#include "model/json_fields.h"
#include "pager.h"
#include "session.h"
#include "settings.h"
#include "table.h"
#include "user_lookup.h"

namespace dirbridge::cli {
namespace {

using nlohmann::json;

// "2026-11-26T10:00:00Z by it-admin", or yes/no/- when the server gives a flag.
std::string OffboardedCell(const json& user) {
  auto it = user.is_object() ? user.find("offboarded") : user.end();
  if (it == user.end() || !it->is_object()) return CellAt(user, "offboarded");
  return CellAt(*it, "at") + " by " + CellAt(*it, "by");
}

std::vector<std::string> UserRow(const json& u) {
  return {CellAt(u, "id"), CellAt(u, "userName"), CellAt(u, "email"), CellAt(u, "active"), OffboardedCell(u)};
}

void PrintUser(Session& s, const json& u) {
  std::vector<std::pair<std::string, std::string>> fields = {{"id", CellAt(u, "id")},
                                                             {"userName", CellAt(u, "userName")},
                                                             {"email", CellAt(u, "email")},
                                                             {"active", CellAt(u, "active")}};
  if (u.is_object() && u.contains("offboarded")) fields.emplace_back("offboarded", OffboardedCell(u));
  s.out() << RenderFields(fields);
}

ExitCode List(Session& s) {
  PageSpec spec;
  spec.path = s.TenantPath("/users");
  spec.query = {{"userName", s.inv().Option("username").value_or("")}};
  spec.items_key = "users";
  spec.what = "users";
  Listing listing(s, {"ID", "USERNAME", "EMAIL", "ACTIVE", "OFFBOARDED"}, UserRow, "no users");
  return listing.Finish(PageThrough(s, spec, "", [&](const json& u) { listing.Add(u); }));
}

ExitCode Show(Session& s) {
  auto user = ResolveUser(s, s.Arg(0));
  if (!user.ok()) return user.code;
  return s.CallAndPrint("GET", s.TenantPath("/users/" + Segment(user.id)), std::nullopt,
                        [&](const JsonAnswer& a) { PrintUser(s, a.body); });
}

// "offboarded ada@example.com at 2026-11-26T10:00:00Z by it-admin (left)", then the user.
void PrintOffboarded(Session& s, const json& answer) {
  const json* done = json_fields::Find(answer, "offboarded");
  const json none;
  const json& d = done ? *done : none;
  s.out() << "offboarded " << CellText(s.Arg(0)) << " at " << CellAt(d, "at") << " by " << CellAt(d, "by")
          << (d.is_object() && d.contains("reason") ? " (" + CellAt(d, "reason") + ")" : "") << "\n";
  if (const json* u = json_fields::Find(answer, "user")) PrintUser(s, *u);
}

ExitCode Offboard(Session& s) {
  auto user = ResolveUser(s, s.Arg(0));
  if (!user.ok()) return user.code;
  json body = {{"by", s.Actor()}};
  if (auto reason = s.inv().Option("reason")) body["reason"] = *reason;
  return s.CallAndPrint("POST", s.TenantPath("/users/" + Segment(user.id) + "/offboard"), body,
                        [&](const JsonAnswer& a) { PrintOffboarded(s, a.body); });
}

ExitCode Restore(Session& s) {
  auto user = ResolveUser(s, s.Arg(0));
  if (!user.ok()) return user.code;
  return s.CallAndPrint("POST", s.TenantPath("/users/" + Segment(user.id) + "/restore"), json{{"by", s.Actor()}},
                        [&](const JsonAnswer& a) {
                          s.out() << "restored " << CellText(s.Arg(0)) << "\n";
                          if (const json* u = json_fields::Find(a.body, "user")) PrintUser(s, *u);
                        });
}

}  // namespace

std::vector<CommandSpec> UserCommands() {
  return {
      {{"users", "list"},
       {},
       {"username"},
       {},
       "users list [--username U]",
       "the tenant's users (paged through)",
       true,
       List},
      {{"user", "show"}, {"ID|USERNAME"}, {}, {}, "user show ID|USERNAME", "one user", true, Show},
      {{"user", "offboard"},
       {"ID|USERNAME"},
       {"by", "reason"},
       {},
       "user offboard ID|USERNAME [--by WHO] [--reason R]",
       "offboard a user (recorded with who and why)",
       true,
       Offboard},
      {{"user", "restore"},
       {"ID|USERNAME"},
       {"by"},
       {},
       "user restore ID|USERNAME [--by WHO]",
       "undo an offboarding",
       true,
       Restore},
  };
}

}  // namespace dirbridge::cli
