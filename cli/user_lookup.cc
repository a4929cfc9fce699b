#include "user_lookup.h"

#include "admin_client.h"
#include "core/ascii.h"
#include "model/json_fields.h"
#include "provision/resource_ids.h"
#include "table.h"

namespace dirbridge::cli {

UserRef ResolveUser(Session& s, const std::string& id_or_user_name) {
  UserRef ref;
  if (IsResourceId(id_or_user_name)) {
    ref.id = id_or_user_name;
    return ref;
  }
  auto a = s.CallJson("GET", WithQuery(s.TenantPath("/users"), {{"userName", id_or_user_name}, {"limit", "2"}}));
  if (!a.ok()) {
    ref.code = a.code;
    return ref;
  }
  const nlohmann::json* users = ArrayMember(a.body, "users");
  if (!users) {
    ref.code = s.BadAnswer("no 'users' array");
    return ref;
  }
  for (const auto& u : *users) {
    // userName is unique ignoring case (RFC 7643 §4.1.1: caseExact false).
    if (EqualsIgnoreCase(json_fields::StringAt(u, "userName"), id_or_user_name)) {
      ref.id = json_fields::StringAt(u, "id");
      if (!ref.id.empty()) return ref;
    }
  }
  s.err() << "dirbridge: not found: no user with user name '" << CellText(id_or_user_name, 200) << "'\n";
  ref.code = ExitCode::kNotFound;
  return ref;
}

}  // namespace dirbridge::cli
