#include "connector_config.h"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>

#include <nlohmann/json.hpp>

namespace dirbridge::ad {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxSecretBytes = 4096;
constexpr std::size_t kMaxConfigBytes = 1 << 20;

Error ConfigError(const std::string& detail) { return InvalidInput("configuration: " + detail); }

// The keys an object may hold; anything else is a typo the admin must hear about.
Status OnlyKeys(const json& object, const std::string& where, const std::set<std::string>& allowed) {
  if (!object.is_object()) return ConfigError("'" + where + "' must be an object");
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (allowed.count(it.key()) == 0) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      return ConfigError("unknown key '" + where + "." + it.key() + "' (allowed: " + list + ")");
    }
  }
  return Status::Ok();
}

Status ReadText(const json& object, const std::string& where, const char* key, std::string* out, bool required) {
  auto it = object.find(key);
  if (it == object.end()) {
    return required ? Status(ConfigError("'" + where + "." + key + "' is required")) : Status::Ok();
  }
  if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
    return ConfigError("'" + where + "." + key + "' must be a non-empty string");
  }
  *out = it->get<std::string>();
  return Status::Ok();
}

Status ReadTexts(const json& object, const std::string& where, const char* key, std::vector<std::string>* out) {
  auto it = object.find(key);
  if (it == object.end()) return Status::Ok();
  if (!it->is_array()) return ConfigError("'" + where + "." + key + "' must be an array of strings");
  out->clear();
  for (const auto& v : *it) {
    if (!v.is_string() || v.get_ref<const std::string&>().empty()) {
      return ConfigError("'" + where + "." + key + "' must be an array of non-empty strings");
    }
    out->push_back(v.get<std::string>());
  }
  return Status::Ok();
}

Status ReadInt(const json& object, const std::string& where, const char* key, int lo, int hi, int* out) {
  auto it = object.find(key);
  if (it == object.end()) return Status::Ok();
  if (!it->is_number_integer() || it->get<long long>() < lo || it->get<long long>() > hi) {
    return ConfigError("'" + where + "." + key + "' must be an integer from " + std::to_string(lo) + " to " +
                       std::to_string(hi));
  }
  *out = static_cast<int>(it->get<long long>());
  return Status::Ok();
}

Status ReadBool(const json& object, const std::string& where, const char* key, bool* out) {
  auto it = object.find(key);
  if (it == object.end()) return Status::Ok();
  if (!it->is_boolean()) return ConfigError("'" + where + "." + key + "' must be true or false");
  *out = it->get<bool>();
  return Status::Ok();
}

Status ReadAction(const json& object, const std::string& where, const char* key, AccountAction* out) {
  auto it = object.find(key);
  if (it == object.end()) return Status::Ok();
  if (it->is_string() && *it == "disable") {
    *out = AccountAction::kDisable;
  } else if (it->is_string() && *it == "delete") {
    *out = AccountAction::kDelete;
  } else {
    return ConfigError("'" + where + "." + key + "' must be \"disable\" or \"delete\"");
  }
  return Status::Ok();
}

std::string Resolve(const std::string& folder, const std::string& path) {
  if (path.empty() || path.front() == '/' || folder.empty()) return path;
  return folder + "/" + path;
}

// A secret from `<name>Env` or `<name>File` (exactly one of them).
Status ReadSecret(const json& object, const std::string& where, const std::string& name, const std::string& folder,
                  EnvLookup env, std::string* out) {
  std::string env_name, file;
  DB_RETURN_IF_ERROR(ReadText(object, where, (name + "Env").c_str(), &env_name, false));
  DB_RETURN_IF_ERROR(ReadText(object, where, (name + "File").c_str(), &file, false));
  if (env_name.empty() == file.empty()) {
    return ConfigError("give exactly one of '" + where + "." + name + "Env' and '" + where + "." + name + "File'");
  }
  if (!env_name.empty()) {
    auto value = env(env_name.c_str());
    if (!value || value->empty()) {
      return ConfigError("the environment variable " + env_name + " (" + where + "." + name + "Env) is not set");
    }
    *out = *value;
  } else {
    DB_ASSIGN_OR_RETURN(*out, ReadSecretFile(Resolve(folder, file)));
    if (out->empty()) return ConfigError("the file '" + file + "' (" + where + "." + name + "File) is empty");
  }
  return Status::Ok();
}

bool IsReadable(const std::string& path) { return std::ifstream(path).good(); }

Status ReadLdap(const json& j, const std::string& folder, EnvLookup env, LdapSettings* s) {
  const std::string w = "ldap";
  DB_RETURN_IF_ERROR(OnlyKeys(j, w,
                              {"url", "caFile", "startTls", "bindDn", "passwordEnv", "passwordFile", "baseDn",
                               "includeOus", "excludeOus", "userFilter", "groupFilter", "scopeGroups", "pageSize",
                               "rangeSize", "timeoutSeconds", "changeTracking"}));
  DB_RETURN_IF_ERROR(ReadText(j, w, "url", &s->url, true));
  DB_RETURN_IF_ERROR(ReadBool(j, w, "startTls", &s->start_tls));
  bool ldaps = s->url.rfind("ldaps://", 0) == 0;
  if (!ldaps && s->url.rfind("ldap://", 0) != 0) return ConfigError("'ldap.url' must start with ldaps:// or ldap://");
  if (!ldaps && !s->start_tls) {
    return ConfigError("'ldap.url' is plain ldap://: the bind password would cross the network in clear; use "
                       "ldaps:// or set 'ldap.startTls' to true");
  }
  DB_RETURN_IF_ERROR(ReadText(j, w, "caFile", &s->ca_file, true));
  s->ca_file = Resolve(folder, s->ca_file);
  if (!IsReadable(s->ca_file)) return ConfigError("cannot read 'ldap.caFile' " + s->ca_file);
  DB_RETURN_IF_ERROR(ReadText(j, w, "bindDn", &s->bind_dn, true));
  DB_RETURN_IF_ERROR(ReadSecret(j, w, "password", folder, env, &s->password));
  DB_RETURN_IF_ERROR(ReadText(j, w, "baseDn", &s->base_dn, true));
  DB_RETURN_IF_ERROR(ReadTexts(j, w, "includeOus", &s->include_ous));
  DB_RETURN_IF_ERROR(ReadTexts(j, w, "excludeOus", &s->exclude_ous));
  DB_RETURN_IF_ERROR(ReadText(j, w, "userFilter", &s->user_filter, false));
  DB_RETURN_IF_ERROR(ReadText(j, w, "groupFilter", &s->group_filter, false));
  for (const std::string* f : {&s->user_filter, &s->group_filter}) {
    if (f->front() != '(' || f->back() != ')') return ConfigError("an LDAP filter must be in parentheses: " + *f);
  }
  DB_RETURN_IF_ERROR(ReadTexts(j, w, "scopeGroups", &s->scope_groups));
  DB_RETURN_IF_ERROR(ReadInt(j, w, "pageSize", 1, 1000, &s->page_size));
  DB_RETURN_IF_ERROR(ReadInt(j, w, "rangeSize", 1, 1500, &s->range_size));
  DB_RETURN_IF_ERROR(ReadInt(j, w, "timeoutSeconds", 1, 600, &s->timeout_seconds));
  if (auto it = j.find("changeTracking"); it != j.end()) {
    if (it->is_string() && *it == "usn") {
      s->change_tracking = LdapSettings::ChangeTracking::kUsn;
    } else if (it->is_string() && *it == "dirsync") {
      s->change_tracking = LdapSettings::ChangeTracking::kDirSync;
    } else {
      return ConfigError("'ldap.changeTracking' must be \"usn\" or \"dirsync\"");
    }
  }
  return Status::Ok();
}

Status ReadMapping(const json& j, AttributeMapping* m) {
  if (!j.is_object()) return ConfigError("'attributes' must be an object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.key() == "userNameFallback") {
      if (!it->is_string()) return ConfigError("'attributes.userNameFallback' must be a string (\"\": none)");
      m->user_name_fallback = it->get<std::string>();
      continue;
    }
    auto target = TargetFromName(it.key());
    if (!target.ok()) return ConfigError(target.error().detail);
    if (!it->is_string()) return ConfigError("'attributes." + it.key() + "' must be an AD attribute name (\"\": none)");
    if (*target == Target::kUserName && it->get_ref<const std::string&>().empty()) {
      return ConfigError("'attributes.userName' cannot be empty: every user needs one");
    }
    m->source[*target] = it->get<std::string>();
  }
  return Status::Ok();
}

Status ReadTarget(const json& j, const std::string& folder, EnvLookup env, TargetSettings* s) {
  const std::string w = "target";
  DB_RETURN_IF_ERROR(OnlyKeys(j, w, {"scimUrl", "tokenEnv", "tokenFile", "caFile", "maxAttempts"}));
  DB_RETURN_IF_ERROR(ReadText(j, w, "scimUrl", &s->scim_url, true));
  while (!s->scim_url.empty() && s->scim_url.back() == '/') s->scim_url.pop_back();
  bool https = s->scim_url.rfind("https://", 0) == 0;
  bool loopback = s->scim_url.rfind("http://127.0.0.1", 0) == 0 || s->scim_url.rfind("http://[::1]", 0) == 0 ||
                  s->scim_url.rfind("http://localhost", 0) == 0;
  if (!https && !loopback) {
    return ConfigError("'target.scimUrl' must be https:// (plain http only to a loopback address)");
  }
  DB_RETURN_IF_ERROR(ReadSecret(j, w, "token", folder, env, &s->token));
  if (s->token.find_first_of(" \t\r\n") != std::string::npos) {
    return ConfigError("the SCIM token holds whitespace: is it the right file?");
  }
  DB_RETURN_IF_ERROR(ReadText(j, w, "caFile", &s->ca_file, false));
  if (!s->ca_file.empty()) s->ca_file = Resolve(folder, s->ca_file);
  DB_RETURN_IF_ERROR(ReadInt(j, w, "maxAttempts", 1, 20, &s->max_attempts));
  return Status::Ok();
}

Status ReadSync(const json& j, const std::string& folder, SyncSettings* s) {
  const std::string w = "sync";
  DB_RETURN_IF_ERROR(OnlyKeys(j, w,
                              {"stateFile", "intervalSeconds", "fullResyncHours", "onDisabled", "onDeleted",
                               "onOutOfScope", "massChangeMaxShare", "massChangeMinCount"}));
  DB_RETURN_IF_ERROR(ReadText(j, w, "stateFile", &s->state_file, true));
  s->state_file = Resolve(folder, s->state_file);
  DB_RETURN_IF_ERROR(ReadInt(j, w, "intervalSeconds", 10, 86400, &s->interval_seconds));
  DB_RETURN_IF_ERROR(ReadInt(j, w, "fullResyncHours", 0, 24 * 90, &s->full_resync_hours));
  DB_RETURN_IF_ERROR(ReadAction(j, w, "onDisabled", &s->on_disabled));
  DB_RETURN_IF_ERROR(ReadAction(j, w, "onDeleted", &s->on_deleted));
  DB_RETURN_IF_ERROR(ReadAction(j, w, "onOutOfScope", &s->on_out_of_scope));
  if (auto it = j.find("massChangeMaxShare"); it != j.end()) {
    if (!it->is_number() || it->get<double>() < 0 || it->get<double>() > 1) {
      return ConfigError("'sync.massChangeMaxShare' must be a number from 0 to 1");
    }
    s->mass_change_max_share = it->get<double>();
  }
  DB_RETURN_IF_ERROR(ReadInt(j, w, "massChangeMinCount", 0, 1000000, &s->mass_change_min_count));
  return Status::Ok();
}

}  // namespace

std::string_view AccountActionName(AccountAction action) {
  return action == AccountAction::kDelete ? "delete" : "disable";
}

std::optional<std::string> ProcessEnv(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

Result<std::string> ReadSecretFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ConfigError("cannot read the secret file " + path);
  std::string content;
  char buffer[1024];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    content.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (content.size() > kMaxSecretBytes) return ConfigError("the secret file " + path + " is larger than 4 KiB");
  }
  auto first = content.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return std::string();
  auto last = content.find_last_not_of(" \t\r\n");
  return content.substr(first, last - first + 1);
}

Result<ConnectorConfig> ParseConfig(const std::string& text, const std::string& folder, EnvLookup env) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return ConfigError("the file is not valid JSON");
  DB_RETURN_IF_ERROR(OnlyKeys(j, "(top level)", {"ldap", "attributes", "target", "sync"}));
  for (const char* section : {"ldap", "target", "sync"}) {
    if (!j.contains(section)) return ConfigError(std::string("the section '") + section + "' is required");
  }
  ConnectorConfig c;
  DB_RETURN_IF_ERROR(ReadLdap(j["ldap"], folder, env, &c.ldap));
  if (j.contains("attributes")) DB_RETURN_IF_ERROR(ReadMapping(j["attributes"], &c.mapping));
  DB_RETURN_IF_ERROR(ReadTarget(j["target"], folder, env, &c.target));
  DB_RETURN_IF_ERROR(ReadSync(j["sync"], folder, &c.sync));
  return c;
}

Result<ConnectorConfig> LoadConfig(const std::string& path, EnvLookup env) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ConfigError("cannot read " + path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.size() > kMaxConfigBytes) return ConfigError(path + " is larger than 1 MiB");
  auto slash = path.rfind('/');
  return ParseConfig(text, slash == std::string::npos ? "." : path.substr(0, slash), env);
}

}  // namespace dirbridge::ad
