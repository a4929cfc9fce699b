// connection create --kind K     POST   .../tenants/{t}/connections {"kind"}
// connection list                GET    .../tenants/{t}/connections
// connection show C              GET    .../tenants/{t}/connections/{c}
// connection rotate C [--grace S] POST  .../tenants/{t}/connections/{c}/token {"graceSeconds"?}
// connection revoke C            DELETE .../tenants/{t}/connections/{c}
// connection policy C [--on-deactivate A] [--on-delete A] [--grace SECONDS]
//                                GET | PUT .../tenants/{t}/connections/{c}/deprovisioning
//                                (A: suspend, remove or delete; no option: show it)
//
// The bearer token, hook secret and webhook secret a connection is created (or its
// token rotated) with are the only secrets these commands print, each once, labelled.
#include "commands/commands.h"
#include "listing.h"
#include "model/json_fields.h"
#include "session.h"
#include "table.h"

namespace dirbridge::cli {
namespace {

using json_fields::StringAt;
using nlohmann::json;

std::string ConnectionPath(Session& s, const std::string& id) { return s.TenantPath("/connections/" + Segment(id)); }

// The fields an admin reads (never a secret: the values printed once are left out).
void PrintConnection(Session& s, const json& c) {
  std::vector<std::pair<std::string, std::string>> fields = {
      {"id", CellAt(c, "id")}, {"kind", CellAt(c, "kind")}, {"created", CellAt(c, "created")}};
  for (const char* name : {"scimBaseUrl", "webhookUrl", "webhookSecretFingerprint"}) {
    if (c.contains(name)) fields.emplace_back(name, CellAt(c, name));
  }
  if (auto hook = c.find("eventHook"); hook != c.end() && hook->is_object()) {
    fields.emplace_back("eventHook.url", CellAt(*hook, "url"));
    fields.emplace_back("eventHook.header", CellAt(*hook, "header"));
    if (hook->contains("appId")) fields.emplace_back("eventHook.appId", CellAt(*hook, "appId"));
  }
  for (const char* name : {"deliveries", "google", "graph"}) {
    if (c.contains(name)) fields.emplace_back(name, CellAt(c, name));
  }
  s.out() << RenderFields(fields);
}

// The secrets a new connection's answer shows once: its token, an Okta hook secret,
// a signed webhook's signing secret.
void PrintOneTimeSecrets(Session& s, const json& c) {
  s.PrintOneTimeSecret("bearer token for the IdP's SCIM client", StringAt(c, "token"));
  if (const json* hook = json_fields::Find(c, "eventHook")) {
    s.PrintOneTimeSecret("event hook secret, for header " + CellAt(*hook, "header"), StringAt(*hook, "secret"));
  }
  if (c.contains("webhookSecret")) s.PrintOneTimeSecret("webhook signing secret", StringAt(c, "webhookSecret"));
}

ExitCode Create(Session& s) {
  return s.CallAndPrint("POST", s.TenantPath("/connections"), json{{"kind", *s.inv().Option("kind")}},
                        [&](const JsonAnswer& a) {
                          PrintConnection(s, a.body);
                          PrintOneTimeSecrets(s, a.body);
                        });
}

ExitCode List(Session& s) {
  auto a = s.CallJson("GET", s.TenantPath("/connections"));
  if (!a.ok()) return a.code;
  const json* items = ArrayMember(a.body, "connections");
  if (!items) return s.BadAnswer("no 'connections' array");
  Listing listing(
      s, {"ID", "KIND", "CREATED"},
      [](const json& c) {
        return std::vector<std::string>{CellAt(c, "id"), CellAt(c, "kind"), CellAt(c, "created")};
      },
      "no connections");
  for (const auto& c : *items) listing.Add(c);
  return listing.Finish(ExitCode::kOk);
}

// Its fields, then its secrets: names and fingerprints.
void PrintConnectionAndSecrets(Session& s, const json& c) {
  PrintConnection(s, c);
  Listing secrets(
      s, {"SECRET", "FINGERPRINT", "UPDATED"},
      [](const json& x) {
        return std::vector<std::string>{CellAt(x, "name"), CellAt(x, "fingerprint"), CellAt(x, "updated")};
      },
      "secrets: none");
  s.out() << "\n";
  if (const json* list = ArrayMember(c, "secrets")) {
    for (const auto& x : *list) secrets.Add(x);
  }
  (void)secrets.Finish(ExitCode::kOk);
}

ExitCode Show(Session& s) {
  return s.CallAndPrint("GET", ConnectionPath(s, s.Arg(0)), std::nullopt,
                        [&](const JsonAnswer& a) { PrintConnectionAndSecrets(s, a.body); });
}

ExitCode Rotate(Session& s) {
  auto grace = CountOption(s.inv(), "grace");
  if (!grace.ok()) return s.UsageError(grace.error().detail);
  json body = json::object();
  if (*grace) body["graceSeconds"] = **grace;
  return s.CallAndPrint("POST", ConnectionPath(s, s.Arg(0)) + "/token", body, [&](const JsonAnswer& a) {
    s.out() << RenderFields(
        {{"connection", s.Arg(0)}, {"previous token valid until", CellAt(a.body, "previousTokenValidUntil")}});
    s.PrintOneTimeSecret("new bearer token (give it to the IdP)", StringAt(a.body, "token"));
  });
}

ExitCode Revoke(Session& s) {
  return s.CallAndConfirm("DELETE", ConnectionPath(s, s.Arg(0)), json{{"revoked", s.Arg(0)}},
                          "connection " + CellText(s.Arg(0)) + " revoked: its token no longer works");
}

// What the connection's deactivate and delete mean (README "Deprovisioning policy").
ExitCode Policy(Session& s) {
  json body = json::object();
  for (const auto& [option, member] : {std::pair<const char*, const char*>{"on-deactivate", "onDeactivate"},
                                       {"on-delete", "onDelete"}}) {
    if (auto action = s.inv().Option(option)) {
      if (*action != "suspend" && *action != "remove" && *action != "delete") {
        return s.UsageError(std::string("--") + option + " takes suspend, remove or delete");
      }
      body[member] = *action;
    }
  }
  auto grace = CountOption(s.inv(), "grace");
  if (!grace.ok()) return s.UsageError(grace.error().detail);
  if (*grace) body["graceSeconds"] = **grace;
  const bool set = !body.empty();
  return s.CallAndPrint(set ? "PUT" : "GET", ConnectionPath(s, s.Arg(0)) + "/deprovisioning",
                        set ? std::optional<json>(body) : std::nullopt, [&](const JsonAnswer& a) {
                          const json* p = json_fields::Find(a.body, "deprovisioning");
                          if (!p) return;
                          s.out() << RenderFields({{"connection", CellAt(a.body, "id")},
                                                   {"on deactivate", CellAt(*p, "onDeactivate")},
                                                   {"on delete", CellAt(*p, "onDelete")},
                                                   {"grace seconds", CellAt(*p, "graceSeconds")}});
                        });
}

}  // namespace

std::vector<CommandSpec> ConnectionCommands() {
  return {
      {{"connection", "create"},
       {},
       {"kind"},
       {},
       "connection create --kind K",
       "an IdP connection (entra, okta, google, signed_webhook, ...); prints its token once",
       true,
       [](Session& s) {
         if (!s.inv().Option("kind"))
           return s.UsageError("--kind is required\nusage: dirbridge connection create --kind K");
         return Create(s);
       }},
      {{"connection", "list"}, {}, {}, {}, "connection list", "the tenant's connections", true, List},
      {{"connection", "show"},
       {"C"},
       {},
       {},
       "connection show C",
       "a connection: kind, secrets (fingerprints), counters",
       true,
       Show},
      {{"connection", "rotate"},
       {"C"},
       {"grace"},
       {},
       "connection rotate C [--grace SECONDS]",
       "a new bearer token (printed once); the old one works --grace seconds more",
       true,
       Rotate},
      {{"connection", "revoke"},
       {"C"},
       {},
       {},
       "connection revoke C",
       "delete a connection: its token stops working",
       true,
       Revoke},
      {{"connection", "policy"},
       {"C"},
       {"on-deactivate", "on-delete", "grace"},
       {},
       "connection policy C [--on-deactivate A] [--on-delete A] [--grace SECONDS]",
       "what the IdP's deactivate and delete do: suspend (default), remove or delete after the grace period",
       true,
       Policy},
  };
}

}  // namespace dirbridge::cli
