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
  auto a = s.CallJson("POST", "/tenants", body);
  if (!a.ok()) return a.code;
  if (s.json()) {
    s.PrintJson(a.body);
    return ExitCode::kOk;
  }
  PrintTenant(s, a.body);
  s.out() << "\nnext: export DIRBRIDGE_TENANT=" << CellAt(a.body, "id") << "\n";
  return ExitCode::kOk;
}

ExitCode Show(Session& s) {
  auto a = s.CallJson("GET", s.TenantPath());
  if (!a.ok()) return a.code;
  if (s.json()) {
    s.PrintJson(a.body);
  } else {
    PrintTenant(s, a.body);
  }
  return ExitCode::kOk;
}

}  // namespace

std::vector<CommandSpec> TenantCommands() {
  return {
      {{"tenant", "create"}, {}, {"id", "name"}, {}, "tenant create [--id ID] [--name N]",
       "create a tenant (the server picks an id when --id is not given)", false, Create},
      {{"tenant", "show"}, {}, {}, {}, "tenant show", "the tenant: id, name, when created", true, Show},
  };
}

}  // namespace dirbridge::cli
