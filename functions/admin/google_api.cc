#include "google_api.h"

#include "watched_connection.h"

#include <algorithm>

#include "core/api_error.h"
#include "core/api_response.h"
#include "core/json_text.h"
#include "core/timestamp.h"
#include "model/json_fields.h"
#include "normalize/google_workspace.h"
#include "tenancy/connection_state.h"
#include "tenancy/google_service_account.h"
#include "tenancy/sealed_secrets.h"

namespace dirbridge::admin {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxOrgUnits = 50;

bool IsCustomerId(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  });
}

// A group key as Google takes it (an email, an alias or an id); "" clears the setting.
bool IsGroupKey(std::string_view key) {
  return key.size() <= 256 && std::all_of(key.begin(), key.end(), [](char c) {
    return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7f && c != '/';
  });
}

Result<json> ReadSettings(const json& body, const json& previous) {
  json out = previous.is_object() ? previous : json::object();
  if (auto it = body.find("adminEmail"); it != body.end()) {
    if (!it->is_string() || it->get<std::string>().find('@') == std::string::npos || it->get<std::string>().size() > 256) {
      return InvalidInput("'adminEmail' must be the email of a Google Workspace admin (domain-wide delegation)");
    }
    out["adminEmail"] = *it;
  }
  if (json_fields::StringAt(out, "adminEmail").empty()) return InvalidInput("'adminEmail' is required");
  if (auto it = body.find("customerId"); it != body.end()) {
    if (!it->is_string() || !IsCustomerId(it->get<std::string>())) {
      return InvalidInput("'customerId' must be \"my_customer\" or a customer id such as C01abcde");
    }
    out["customerId"] = *it;
  }
  if (json_fields::StringAt(out, "customerId").empty()) out["customerId"] = "my_customer";
  if (auto it = body.find("orgUnits"); it != body.end()) {
    if (!it->is_array() || it->size() > kMaxOrgUnits) {
      return InvalidInput("'orgUnits' must be an array of at most " + std::to_string(kMaxOrgUnits) + " org unit paths");
    }
    for (const auto& u : *it) {
      if (!u.is_string() || u.get<std::string>().empty() || u.get<std::string>()[0] != '/' ||
          u.get<std::string>().size() > 512) {
        return InvalidInput("each of 'orgUnits' must be an org unit path such as \"/Staff\"");
      }
    }
    out["orgUnits"] = *it;
  }
  if (auto it = body.find("scopeGroup"); it != body.end()) {
    if (!it->is_string() || !IsGroupKey(it->get<std::string>())) {
      return InvalidInput("'scopeGroup' must be a group's email or id (at most 256 printable characters), or \"\" for none");
    }
    if (it->get<std::string>().empty()) {
      out.erase("scopeGroup");
    } else {
      out["scopeGroup"] = *it;
    }
  }
  return out;
}

}  // namespace

HttpResponse PutGoogleSettingsHere(const HttpRequest& request, KvStore& store, Env& env, const Connection& c,
                                   const json& body) {
  if (c.kind != ConnectionKind::kGoogle) {
    return ApiErrorResponse(NotFound("connection '" + c.id + "' is not of kind google"));
  }
  Transaction txn(store);
  ConnectionState state(txn, std::string(request.tenant), c.id);
  auto previous = state.Read("settings", "current");
  if (!previous.ok()) return ApiErrorResponse(previous.error());
  auto settings = ReadSettings(body, *previous ? **previous : json::object());
  if (!settings.ok()) return ApiErrorResponse(settings.error());
  // The key: new, or the one already sealed.
  std::string key_text;
  if (auto it = body.find("serviceAccountKey"); it != body.end()) {
    if (it->is_object()) {
      key_text = JsonText(*it);
    } else if (it->is_string()) {
      key_text = it->get<std::string>();
    } else {
      return ApiErrorResponse(InvalidInput("'serviceAccountKey' must be the key file's JSON (an object or its text)"));
    }
    if (key_text.size() > kMaxSecretBytes) {
      return ApiErrorResponse(InvalidInput("'serviceAccountKey' is larger than " + std::to_string(kMaxSecretBytes) + " bytes"));
    }
    auto key = google::ParseServiceAccountKey(key_text);
    if (!key.ok()) return ApiErrorResponse(key.error());
    (*settings)["clientEmail"] = key->client_email;
    (*settings)["keyId"] = key->private_key_id;
  } else if (json_fields::StringAt(*settings, "clientEmail").empty()) {
    return ApiErrorResponse(InvalidInput("'serviceAccountKey' is required: no key is set for this connection yet"));
  }
  if (auto s = StoreSettingsAndScheduleSetup(request, store, env, txn, state, *settings, google::kModule,
                                             google::kSetupContinuation,
                                             {google::kServiceAccountKeySecret, key_text});
      !s.ok()) {
    return ApiErrorResponse(s.error());
  }
  auto key_info = GetConnectionSecretInfo(store, request.tenant, c.id, google::kServiceAccountKeySecret);
  if (!key_info.ok()) return ApiErrorResponse(key_info.error());
  json shown = {{"clientEmail", (*settings)["clientEmail"]},
                {"keyId", (*settings)["keyId"]},
                {"adminEmail", (*settings)["adminEmail"]},
                {"customerId", (*settings)["customerId"]},
                {"pushUrl", request.origin + "/t/" + request.tenant + "/google/push/" + c.id},
                {"setup", "scheduled"}};
  for (const char* scope : {"orgUnits", "scopeGroup"}) {
    if (settings->contains(scope)) shown[scope] = (*settings)[scope];
  }
  if (*key_info) shown["keyFingerprint"] = (*key_info)->fingerprint;
  return ApiJsonResponse(200, {{"connection", c.id}, {"google", shown}});
}

HttpResponse StartGoogleReconcileHere(const HttpRequest& request, KvStore& store, Env& env, const Connection& c) {
  if (c.kind != ConnectionKind::kGoogle) {
    return ApiErrorResponse(NotFound("connection '" + c.id + "' is not of kind google"));
  }
  return ScheduleOnWatchedConnection(request, store, env, c, google::kModule, google::kReconcileContinuation,
                                     json::object(), "google", "reconcile");
}

Result<json> GoogleView(KvStore& store, std::string_view tenant, const Connection& c) {
  Transaction txn(store);
  ConnectionState state(txn, std::string(tenant), c.id);
  DB_ASSIGN_OR_RETURN(auto settings, state.Read("settings", "current"));
  if (!settings) return json{{"configured", false}};
  json view = {{"configured", true}};
  for (const char* name : {"clientEmail", "keyId", "adminEmail", "customerId", "orgUnits", "scopeGroup", "updated"}) {
    if (settings->contains(name)) view[name] = (*settings)[name];
  }
  json channels = json::array();
  DB_ASSIGN_OR_RETURN(auto records, state.List("channel", "", 64));
  for (const auto& [position, ch] : records) {
    (void)position;
    json shown = {{"id", ch.value("id", "")}, {"stream", ch.value("stream", "")}, {"state", ch.value("state", "")}};
    if (ch.contains("expires") && ch["expires"].is_number_integer()) {
      shown["expires"] = FormatRfc3339Millis(ch["expires"].get<int64_t>());
    }
    channels.push_back(std::move(shown));
  }
  view["channels"] = std::move(channels);
  DB_ASSIGN_OR_RETURN(auto status, state.Read("status", "current"));
  if (status) view["status"] = std::move(*status);
  DB_ASSIGN_OR_RETURN(auto run, state.Read("reconcile", "current"));
  if (run) {
    json shown = {{"run", (*run).value("run", "")}, {"phase", (*run).value("phase", "")}};
    if (run->contains("counts")) shown["counts"] = (*run)["counts"];
    view["reconcile"] = std::move(shown);
  }
  return view;
}

}  // namespace dirbridge::admin
