// A user named on the command line by id or by user name ("ada@example.com"): an
// argument that is a resource id (provision/resource_ids.h) is used as is; any other
// is looked up with GET .../users?userName=U, which must find exactly that user.
#pragma once

#include <string>

#include "session.h"

namespace dirbridge::cli {

struct UserRef {
  ExitCode code = ExitCode::kOk;  // kNotFound (reported) when no user has that name
  std::string id;
  bool ok() const { return code == ExitCode::kOk; }
};

UserRef ResolveUser(Session& s, const std::string& id_or_user_name);

}  // namespace dirbridge::cli
