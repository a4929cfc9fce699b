// guardrail show                          GET  .../tenants/{t}/guardrail
// guardrail set [--enabled yes|no] [--percent N] [--users N] [--window SECONDS]
//                                         PUT  .../tenants/{t}/guardrail {...}
// pending list                            GET  .../tenants/{t}/pending  (paged)
// pending approve ID|USERNAME [--by WHO]  POST .../pending/{user}/approve {"by"}
// pending discard ID|USERNAME [--by WHO]  POST .../pending/{user}/discard {"by"}
//
// The mass-change guardrail (README "The mass-change guardrail"): what it allows, and
// the removals it held for the admin.
#include "commands/commands.h"
#include "listing.h"
#include "pager.h"
#include "session.h"
#include "settings.h"
#include "table.h"
#include "user_lookup.h"

namespace dirbridge::cli {
namespace {

using nlohmann::json;

void PrintSettings(Session& s, const json& g) {
  s.out() << RenderFields({{"enabled", CellAt(g, "enabled")},
                           {"percent", CellAt(g, "percent")},
                           {"users", CellAt(g, "users")},
                           {"windowSeconds", CellAt(g, "windowSeconds")},
                           {"threshold now", CellAt(g, "threshold")}});
}

ExitCode Show(Session& s) {
  return s.CallAndPrint("GET", s.TenantPath("/guardrail"), std::nullopt,
                        [&](const JsonAnswer& a) { PrintSettings(s, a.body); });
}

ExitCode Set(Session& s) {
  json body = json::object();
  if (auto enabled = s.inv().Option("enabled")) {
    if (*enabled != "yes" && *enabled != "no") return s.UsageError("--enabled takes yes or no");
    body["enabled"] = *enabled == "yes";
  }
  for (const auto& [option, member] : {std::pair<const char*, const char*>{"percent", "percent"},
                                       {"users", "users"},
                                       {"window", "windowSeconds"}}) {
    auto value = CountOption(s.inv(), option);
    if (!value.ok()) return s.UsageError(value.error().detail);
    if (*value) body[member] = **value;
  }
  if (body.empty()) return s.UsageError("nothing to set: give --enabled, --percent, --users or --window");
  return s.CallAndPrint("PUT", s.TenantPath("/guardrail"), body, [&](const JsonAnswer& a) { PrintSettings(s, a.body); });
}

ExitCode List(Session& s) {
  PageSpec spec;
  spec.path = s.TenantPath("/pending");
  spec.items_key = "pending";
  spec.what = "held removals";
  Listing listing(
      s, {"USER", "USERNAME", "ACTION", "SOURCE", "AT"},
      [](const json& p) {
        const json* source = p.is_object() && p.contains("source") ? &p["source"] : nullptr;
        std::string from = source ? CellAt(*source, "kind") : "-";
        if (source && source->contains("connection")) from += " " + CellAt(*source, "connection");
        return std::vector<std::string>{CellAt(p, "user"), CellAt(p, "userName"), CellAt(p, "action"), from,
                                        CellAt(p, "at")};
      },
      "nothing held");
  return listing.Finish(PageThrough(s, spec, "", [&](const json& p) { listing.Add(p); }));
}

ExitCode Decide(Session& s, const std::string& decision) {
  auto user = ResolveUser(s, s.Arg(0));
  if (!user.ok()) return user.code;
  return s.CallAndPrint("POST", s.TenantPath("/pending/" + Segment(user.id) + "/" + decision), json{{"by", s.Actor()}},
                        [&](const JsonAnswer& a) {
                          s.out() << CellAt(a.body, "decision") << " the held " << CellAt(a.body, "action") << " of "
                                  << CellText(s.Arg(0)) << "\n";
                        });
}

}  // namespace

std::vector<CommandSpec> PendingCommands() {
  return {
      {{"guardrail", "show"}, {}, {}, {}, "guardrail show", "the mass-change guardrail's settings", true, Show},
      {{"guardrail", "set"},
       {},
       {"enabled", "percent", "users", "window"},
       {},
       "guardrail set [--enabled yes|no] [--percent N] [--users N] [--window SECONDS]",
       "change the mass-change guardrail",
       true,
       Set},
      {{"pending", "list"}, {}, {}, {}, "pending list", "suspensions and deletions held by the guardrail", true, List},
      {{"pending", "approve"},
       {"ID|USERNAME"},
       {"by"},
       {},
       "pending approve ID|USERNAME [--by WHO]",
       "apply a held removal",
       true,
       [](Session& s) { return Decide(s, "approve"); }},
      {{"pending", "discard"},
       {"ID|USERNAME"},
       {"by"},
       {},
       "pending discard ID|USERNAME [--by WHO]",
       "forget a held removal (the user stays as is)",
       true,
       [](Session& s) { return Decide(s, "discard"); }},
  };
}

}  // namespace dirbridge::cli
