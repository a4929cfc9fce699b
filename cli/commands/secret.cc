// secret list C                        GET    .../connections/{c}/secrets
// secret set C NAME --value-file F     PUT    .../connections/{c}/secrets/{name} {"value"}
// secret set C NAME --generate         PUT    .../connections/{c}/secrets/{name} {"generate": true}
// secret delete C NAME                 DELETE .../connections/{c}/secrets/{name}
//
// A value to set comes from a file (or stdin with "-"), never from the command line,
// and is never printed; only a value the server generates is printed, once.
#include "commands/commands.h"
#include "listing.h"
#include "model/json_fields.h"
#include "session.h"
#include "settings.h"
#include "table.h"

namespace dirbridge::cli {
namespace {

using nlohmann::json;

// A sealed secret is a credential (an API token, a service-account key): bounded well
// above the largest (a Google key file is a few KB).
constexpr std::size_t kMaxSecretValueBytes = 64 * 1024;

std::string SecretsPath(Session& s, const std::string& connection) {
  return s.TenantPath("/connections/" + Segment(connection) + "/secrets");
}

ExitCode List(Session& s) {
  auto a = s.CallJson("GET", SecretsPath(s, s.Arg(0)));
  if (!a.ok()) return a.code;
  const json* items = ArrayMember(a.body, "secrets");
  if (!items) return s.BadAnswer("no 'secrets' array");
  Listing listing(
      s, {"NAME", "FINGERPRINT", "UPDATED"},
      [](const json& x) {
        return std::vector<std::string>{CellAt(x, "name"), CellAt(x, "fingerprint"), CellAt(x, "updated")};
      },
      "connection " + CellText(s.Arg(0)) + " has no secrets");
  for (const auto& x : *items) listing.Add(x);
  return listing.Finish(ExitCode::kOk);
}

ExitCode Set(Session& s) {
  const auto file = s.inv().Option("value-file");
  const bool generate = s.inv().Has("generate");
  if (file.has_value() == generate) {
    return s.UsageError(
        "give exactly one of --value-file F or --generate\nusage: dirbridge secret set C NAME "
        "--value-file F | --generate");
  }
  json body = {{"generate", true}};
  if (file) {
    auto value = ReadSecretFile(*file, kMaxSecretValueBytes);
    if (!value.ok()) return s.UsageError(value.error().detail);
    if (value->empty()) return s.UsageError("the value file is empty");
    body = {{"value", *value}};
  }
  return s.CallAndPrint("PUT", SecretsPath(s, s.Arg(0)) + "/" + Segment(s.Arg(1)), body, [&](const JsonAnswer& a) {
    s.out() << "secret " << CellAt(a.body, "name") << (a.reply.status == 201 ? " set" : " replaced")
            << " on connection " << CellText(s.Arg(0)) << "\n";
    std::vector<std::pair<std::string, std::string>> fields = {{"fingerprint", CellAt(a.body, "fingerprint")},
                                                               {"updated", CellAt(a.body, "updated")}};
    if (a.body.contains("catchup")) fields.emplace_back("catchup", CellAt(a.body, "catchup"));
    s.out() << RenderFields(fields);
    if (generate) {
      s.PrintOneTimeSecret("generated secret " + CellText(s.Arg(1)), json_fields::StringAt(a.body, "value"));
    }
  });
}

ExitCode Delete(Session& s) {
  return s.CallAndConfirm("DELETE", SecretsPath(s, s.Arg(0)) + "/" + Segment(s.Arg(1)),
                          json{{"deleted", s.Arg(1)}, {"connection", s.Arg(0)}},
                          "secret " + CellText(s.Arg(1)) + " deleted from connection " + CellText(s.Arg(0)));
}

}  // namespace

std::vector<CommandSpec> SecretCommands() {
  return {
      {{"secret", "list"},
       {"C"},
       {},
       {},
       "secret list C",
       "a connection's sealed secrets: names and fingerprints",
       true,
       List},
      {{"secret", "set"},
       {"C", "NAME"},
       {"value-file"},
       {"generate"},
       "secret set C NAME --value-file F | --generate",
       "seal a credential read from F (- for stdin), or have the server generate one (printed once)",
       true,
       Set},
      {{"secret", "delete"}, {"C", "NAME"}, {}, {}, "secret delete C NAME", "remove a sealed secret", true, Delete},
  };
}

}  // namespace dirbridge::cli
