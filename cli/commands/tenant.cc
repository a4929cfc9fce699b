// tenant create [--id ID] [--name N]   POST /admin/v1/tenants {"id"?, "name"?}
// tenant show                          GET  /admin/v1/tenants/{t}
#include "commands/commands.h"
#include "session.h"
#include "table.h"

namespace dirbridge::cli {
namespace {

void PrintTenant(Session& s, const nlohmann::json& t) {
  s.out() << RenderFields({{"id", CellAt(t, "id")}, {"name", CellAt(t, "name")}, {"created", CellAt(t, "created")}});
}

ExitCode Create(Session& s) {
  nlohmann::json body = nlohmann::json::object();
  if (auto id = s.inv().Option("id")) body["id"] = *id;
  if (auto name = s.inv().Option("name")) body["name"] = *name;
  return s.CallAndPrint("POST", "/tenants", body, [&](const JsonAnswer& a) {
    PrintTenant(s, a.body);
    s.out() << "\nnext: export DIRBRIDGE_TENANT=" << CellAt(a.body, "id") << "\n";
  });
}

ExitCode Show(Session& s) {
  return s.CallAndPrint("GET", s.TenantPath(), std::nullopt, [&](const JsonAnswer& a) { PrintTenant(s, a.body); });
}

}  // namespace

std::vector<CommandSpec> TenantCommands() {
  return {
      {{"tenant", "create"},
       {},
       {"id", "name"},
       {},
       "tenant create [--id ID] [--name N]",
       "create a tenant (the server picks an id when --id is not given)",
       false,
       Create},
      {{"tenant", "show"}, {}, {}, {}, "tenant show", "the tenant: id, name, when created", true, Show},
  };
}

}  // namespace dirbridge::cli
