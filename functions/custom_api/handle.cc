// The custom API's one endpoint: the envelope, the credentials, then the command.
#include "commands.h"
#include "custom_api_function.h"
#include "envelope.h"
#include "getuserdata.h"
#include "tenancy/connection.h"
#include "tenancy/provisioning_hash.h"

namespace dirbridge::custom_api {
namespace {

// The same refusal for a wrong cid and a wrong provhash, so neither can be probed alone.
Result<Connection> Authenticate(KvStore& store, const std::string& tenant, const Envelope& envelope) {
  auto connection = AuthenticateProvisioningHash(store, tenant, envelope.provhash);
  if (envelope.cid != tenant) return Unauthorized("cid and provhash do not name a custom API connection of this tenant");
  return connection;
}

Status Run(Directory& directory, const Envelope& e, Answer& answer) {
  switch (e.command) {
    case Command::kBatchAdd: {
      DB_ASSIGN_OR_RETURN(auto items, ParseBatchAdd(e.data));
      return RunBatchAdd(directory, items, answer);
    }
    case Command::kBatchChangeGroups: {
      DB_ASSIGN_OR_RETURN(auto items, ParseBatchChangeGroups(e.data));
      return RunBatchChangeGroups(directory, items, answer);
    }
    case Command::kDeleteUser: {
      DB_ASSIGN_OR_RETURN(auto items, ParseDeleteUsers(e.data));
      return RunDeleteUsers(directory, items, answer);
    }
    case Command::kDisableUser:
    case Command::kEnableUser: {
      DB_ASSIGN_OR_RETURN(auto items, ParseUsernames(e.data));
      return RunSetActive(directory, items, e.command == Command::kEnableUser, answer);
    }
    case Command::kReinviteUser: {
      DB_ASSIGN_OR_RETURN(auto items, ParseUsernames(e.data));
      return RunReinvite(directory, items, answer);
    }
    case Command::kGetUserData: {
      DB_ASSIGN_OR_RETURN(auto query, ParseUserDataQuery(e.data));
      return RunGetUserData(directory, query, answer);
    }
  }
  return InvalidInput("unknown cmd");
}

}  // namespace

HttpResponse Handle(const HttpRequest& request, KvStore& store, Env& env) {
  if (request.tenant.empty()) return RefusalResponse(Internal("request reached a tenant without a tenant id"));
  if (request.route.size() != 1 || request.route[0] != "enterpriseapi.php") {
    return RefusalResponse(NotFound("no such custom API endpoint"));
  }
  if (request.method != "POST") return RefusalResponse(MethodNotAllowedError("method not allowed here; use POST"));
  auto envelope = ParseEnvelope(request.body);
  if (!envelope.ok()) return RefusalResponse(envelope.error());
  auto connection = Authenticate(store, request.tenant, *envelope);
  if (!connection.ok()) return RefusalResponse(connection.error());
  Directory directory(store, env, request.tenant, SourceOf(*connection, ChangeChannel::kApi));
  Answer answer;
  if (auto s = Run(directory, *envelope, answer); !s.ok()) return RefusalResponse(s.error());
  return answer.Response();
}

}  // namespace dirbridge::custom_api
