// rules list                                  GET    .../rules?after=G  (paged)
// rules set GROUP --entitlement TYPE:NAME ... PUT    .../rules/{group} {"entitlements", "by"}
// rules show GROUP                            GET    .../rules/{group}
// rules delete GROUP                          DELETE .../rules/{group} {"by"}
//
// Group automation: a rule maps a directory group, by displayName (any case), to the
// entitlements its members get; members added later are granted them, members who
// leave lose them. --by names who acted, for the audit trail; without it, the login
// name ($USER) of whoever runs the CLI.
#include "commands/commands.h"
#include "entitlement_option.h"
#include "listing.h"
#include "pager.h"
#include "session.h"
#include "settings.h"
#include "table.h"

namespace dirbridge::cli {
namespace {

using nlohmann::json;

std::string RulePath(Session& s, const std::string& group) { return s.TenantPath("/rules/" + Segment(group)); }

// "role:Developers, sharedFolder:Keys".
std::string EntitlementsCell(const json& rule) {
  auto it = rule.is_object() ? rule.find("entitlements") : rule.end();
  if (it == rule.end() || !it->is_array()) return CellAt(rule, "corrupt") == "-" ? "-" : "(corrupt)";
  std::string out;
  for (const auto& e : *it) {
    if (!out.empty()) out += ", ";
    out += CellAt(e, "type") + ":" + CellAt(e, "name");
  }
  return out;
}

std::vector<std::string> RuleRow(const json& r) {
  return {CellAt(r, "group"), EntitlementsCell(r), CellAt(r, "updated"), CellAt(r, "by")};
}

void PrintRule(Session& s, const json& r) {
  std::vector<std::pair<std::string, std::string>> fields = {
      {"group", CellAt(r, "group")}, {"updated", CellAt(r, "updated")}, {"by", CellAt(r, "by")}};
  if (r.is_object() && r.contains("corrupt")) fields.emplace_back("corrupt", CellAt(r, "corrupt"));
  s.out() << RenderFields(fields) << "\n";
  Table table({"TYPE", "NAME"});
  if (const json* list = ArrayMember(r, "entitlements")) {
    for (const auto& e : *list) table.AddRow({CellAt(e, "type"), CellAt(e, "name")});
  }
  s.out() << table.Render();
}

ExitCode List(Session& s) {
  PageSpec spec;
  spec.path = s.TenantPath("/rules");
  spec.items_key = "rules";
  spec.what = "rules";
  Listing listing(s, {"GROUP", "ENTITLEMENTS", "UPDATED", "BY"}, RuleRow, "no rules");
  return listing.Finish(PageThrough(s, spec, "", [&](const json& r) { listing.Add(r); }));
}

ExitCode Set(Session& s) {
  const auto given = s.inv().Options("entitlement");
  if (given.empty()) {
    return s.UsageError(
        "give at least one --entitlement TYPE:NAME\nusage: dirbridge rules set GROUP "
        "--entitlement TYPE:NAME [--entitlement TYPE:NAME ...] [--by WHO]");
  }
  json entitlements = json::array();
  for (const auto& text : given) {
    auto e = EntitlementFromOption(text);
    if (!e.ok()) return s.UsageError(e.error().detail);
    entitlements.push_back(std::move(*e));
  }
  json body = {{"entitlements", std::move(entitlements)}, {"by", s.Actor()}};
  return s.CallAndPrint("PUT", RulePath(s, s.Arg(0)), body, [&](const JsonAnswer& a) {
    s.out() << "rule for group " << CellText(s.Arg(0)) << (a.reply.status == 201 ? " set" : " replaced")
            << " (members added from now on get these; current members are not changed)\n";
    PrintRule(s, a.body);
  });
}

ExitCode Show(Session& s) {
  return s.CallAndPrint("GET", RulePath(s, s.Arg(0)), std::nullopt, [&](const JsonAnswer& a) { PrintRule(s, a.body); });
}

ExitCode Delete(Session& s) {
  auto reply = s.Call("DELETE", RulePath(s, s.Arg(0)), json{{"by", s.Actor()}});
  if (!reply.ok()) return s.Report(reply);
  if (s.json()) {
    s.PrintJson(json{{"deleted", s.Arg(0)}});
  } else {
    s.out() << "rule for group " << CellText(s.Arg(0)) << " deleted (nothing is revoked from current members)\n";
  }
  return ExitCode::kOk;
}

}  // namespace

std::vector<CommandSpec> RuleCommands() {
  return {
      {{"rules", "list"}, {}, {}, {}, "rules list", "group automation rules: group -> entitlements", true, List},
      {{"rules", "set"},
       {"GROUP"},
       {"by"},
       {},
       "rules set GROUP --entitlement TYPE:NAME [--entitlement TYPE:NAME ...] [--by WHO]",
       "members added to GROUP (displayName, any case) get these roles, policies, shared folders",
       true,
       Set,
       {"entitlement"}},
      {{"rules", "show"}, {"GROUP"}, {}, {}, "rules show GROUP", "one group's rule", true, Show},
      {{"rules", "delete"},
       {"GROUP"},
       {"by"},
       {},
       "rules delete GROUP [--by WHO]",
       "stop granting for GROUP (current members keep what they have)",
       true,
       Delete},
  };
}

}  // namespace dirbridge::cli
