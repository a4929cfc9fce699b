// precedence show                                  GET    .../precedence
// precedence set --rule ATTRIBUTE=SOURCE,SOURCE... [--rule ...] [--by WHO]
//                                                  PUT    .../precedence {"attributes", "by"}
// precedence clear [--by WHO]                      DELETE .../precedence {"by"}
//
// Several sources for one person: for each attribute (or "*" for every other one),
// the sources that own it, strongest first, by connection id or kind. A source that
// ranks below an attribute's owner does not overwrite it; the conflict is recorded
// (README "Several sources for one person"). `set` replaces all the rules.
#include "commands/commands.h"
#include "session.h"
#include "table.h"

namespace dirbridge::cli {
namespace {

using nlohmann::json;

void PrintRules(Session& s, const json& rules) {
  Table table({"ATTRIBUTE", "SOURCES (STRONGEST FIRST)"});
  bool any = false;
  if (auto it = rules.find("attributes"); it != rules.end() && it->is_object()) {
    for (auto a = it->begin(); a != it->end(); ++a) {
      std::string sources;
      if (a->is_array()) {
        for (const auto& x : *a) {
          if (!sources.empty()) sources += ", ";
          sources += CellText(x.is_string() ? x.get<std::string>() : x.dump());
        }
      }
      table.AddRow({CellText(a.key()), sources});
      any = true;
    }
  }
  if (!any) {
    s.out() << "no precedence rules: the last writer wins\n";
  } else {
    s.out() << table.Render();
  }
}

// "title=entra,okta" -> {"title": ["entra", "okta"]} (sources as given; the server checks them).
Result<std::pair<std::string, json>> RuleFromOption(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) {
    return InvalidInput("--rule takes ATTRIBUTE=SOURCE[,SOURCE...], e.g. title=entra,google");
  }
  json sources = json::array();
  std::string rest = text.substr(eq + 1);
  std::size_t start = 0;
  while (start <= rest.size()) {
    const auto comma = rest.find(',', start);
    const std::string one = rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (one.empty()) return InvalidInput("--rule " + text + ": an empty source name");
    sources.push_back(one);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return std::make_pair(text.substr(0, eq), std::move(sources));
}

ExitCode Show(Session& s) {
  return s.CallAndPrint("GET", s.TenantPath("/precedence"), std::nullopt,
                        [&](const JsonAnswer& a) { PrintRules(s, a.body); });
}

ExitCode Set(Session& s) {
  const auto given = s.inv().Options("rule");
  if (given.empty()) {
    return s.UsageError("give at least one --rule ATTRIBUTE=SOURCE[,SOURCE...]\nusage: dirbridge precedence set "
                        "--rule ATTRIBUTE=SOURCE,... [--rule ...] [--by WHO]");
  }
  json attributes = json::object();
  for (const auto& text : given) {
    auto rule = RuleFromOption(text);
    if (!rule.ok()) return s.UsageError(rule.error().detail);
    if (attributes.contains(rule->first)) return s.UsageError("--rule names '" + rule->first + "' twice");
    attributes[rule->first] = std::move(rule->second);
  }
  json body = {{"attributes", std::move(attributes)}, {"by", s.Actor()}};
  return s.CallAndPrint("PUT", s.TenantPath("/precedence"), body, [&](const JsonAnswer& a) {
    s.out() << "precedence rules replaced (they govern changes from now on)\n";
    PrintRules(s, a.body);
  });
}

ExitCode Clear(Session& s) {
  return s.CallAndConfirm("DELETE", s.TenantPath("/precedence"), json{{"by", s.Actor()}},
                          "precedence rules cleared: the last writer wins");
}

}  // namespace

std::vector<CommandSpec> PrecedenceCommands() {
  return {
      {{"precedence", "show"}, {}, {}, {}, "precedence show", "which source owns which attribute", true, Show},
      {{"precedence", "set"},
       {},
       {"by"},
       {},
       "precedence set --rule ATTRIBUTE=SOURCE,SOURCE... [--rule ...] [--by WHO]",
       "replace the rules: per attribute (or *), sources strongest first (connection ids or kinds)",
       true,
       Set,
       {"rule"}},
      {{"precedence", "clear"}, {}, {"by"}, {}, "precedence clear [--by WHO]", "remove the rules", true, Clear},
  };
}

}  // namespace dirbridge::cli
