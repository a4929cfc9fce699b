// /Users: create, read, replace, delete, and list by filter or page.
#include <charconv>

#include <nlohmann/json.hpp>

#include "core/json_input.h"
#include "list_response.h"
#include "provision/user_directory.h"
#include "scim/error_response.h"
#include "scim/filter.h"
#include "scim/filter_parser.h"
#include "scim/rendering.h"
#include "scim/schema.h"
#include "scim_context.h"

namespace dirbridge::scim_function {
namespace {

using nlohmann::json;

constexpr std::size_t kDefaultPageSize = 100;
constexpr std::size_t kMaxPageSize = 200;

HttpResponse Respond(const Error& e) { return scim::ErrorResponse(e); }

HttpResponse UserResponse(int status, const User& user, const ScimContext& ctx) {
  auto body = scim::RenderUser(user, ctx.base_url);
  auto r = scim::JsonResponse(status, body.dump());
  r.headers["etag"] = user.meta.ETag();
  if (status == 201) r.headers["location"] = body["meta"]["location"].get<std::string>();
  return r;
}

// If-Match: W/"3" (or "3") -> 3. Absent or "*" -> nullopt.
Result<std::optional<uint64_t>> ExpectedVersion(const HttpRequest& request) {
  std::string v = request.Header("if-match");
  if (v.empty() || v == "*") return std::optional<uint64_t>();
  if (v.rfind("W/", 0) == 0) v = v.substr(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  uint64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size()) {
    // An ETag we never issued cannot match.
    return Error{ErrorKind::kPreconditionFailed, "If-Match does not name a version of this resource", {}};
  }
  return std::optional<uint64_t>(n);
}

Result<User> UserFromBody(const HttpRequest& request) {
  DB_ASSIGN_OR_RETURN(auto doc, ParseJson(request.body));
  if (!doc.is_object()) return InvalidInput("a User must be a JSON object", "invalidSyntax");
  return UserFromJson(doc);
}

Result<std::size_t> PositiveParam(const ScimContext& ctx, std::string_view name, std::size_t fallback) {
  auto raw = QueryValue(ctx.query, name);
  if (!raw) return fallback;
  long long n = 0;
  auto [p, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), n);
  if (ec != std::errc() || p != raw->data() + raw->size()) {
    return InvalidInput("'" + std::string(name) + "' must be an integer, not '" + *raw + "'");
  }
  return n < 0 ? std::size_t{0} : static_cast<std::size_t>(n);
}

HttpResponse ListUsers(ScimContext& ctx, UserDirectory& dir) {
  auto count = PositiveParam(ctx, "count", kDefaultPageSize);
  if (!count.ok()) return Respond(count.error());
  auto start = PositiveParam(ctx, "startIndex", 1);
  if (!start.ok()) return Respond(start.error());
  const std::size_t page_size = std::min(*count, kMaxPageSize);
  const std::size_t start_index = std::max<std::size_t>(*start, 1);

  json resources = json::array();
  if (auto filter_text = QueryValue(ctx.query, "filter")) {
    auto filter = scim::ParseFilter(*filter_text);
    if (!filter.ok()) return Respond(filter.error());
    auto indexed = scim::FindIndexedEquality(**filter, scim::UserResource());
    if (!indexed || !indexed->exact) {
      return Respond(Error{ErrorKind::kUnsupported,
                           "only equality filters on userName, externalId and emails are supported so far", {}});
    }
    std::vector<User> found;
    if (indexed->attribute == "userName") {
      auto u = dir.FindByUserName(indexed->value);
      if (!u.ok()) return Respond(u.error());
      if (*u) found.push_back(std::move(**u));
    } else if (indexed->attribute == "externalId") {
      auto u = dir.FindByExternalId(indexed->value);
      if (!u.ok()) return Respond(u.error());
      found = std::move(u).value();
    } else if (indexed->attribute == "emails.value") {
      auto u = dir.FindByEmail(indexed->value, kMaxPageSize);
      if (!u.ok()) return Respond(u.error());
      found = std::move(u).value();
    } else if (indexed->attribute == "id") {
      auto u = dir.Get(indexed->value);
      if (u.ok()) found.push_back(std::move(u).value());
      else if (u.error().kind != ErrorKind::kNotFound) return Respond(u.error());
    } else {
      return Respond(Error{ErrorKind::kUnsupported, "filtering on '" + indexed->attribute + "' is not supported yet", {}});
    }
    const std::size_t total = found.size();
    for (std::size_t i = start_index - 1; i < found.size() && resources.size() < page_size; ++i) {
      resources.push_back(scim::RenderUser(found[i], ctx.base_url));
    }
    return scim::JsonResponse(200, ListResponse(std::move(resources), total, start_index).dump());
  }

  // Unfiltered: walk the collection by cursor, never loading it whole.
  std::string cursor;
  std::size_t skipped = 0, seen = 0;
  for (;;) {
    auto page = dir.List(cursor, kMaxPageSize);
    if (!page.ok()) return Respond(page.error());
    for (auto& u : page->users) {
      ++seen;
      if (skipped + 1 < start_index) { ++skipped; continue; }
      if (resources.size() < page_size) resources.push_back(scim::RenderUser(u, ctx.base_url));
    }
    if (page->next_cursor.empty()) break;
    cursor = page->next_cursor;
  }
  return scim::JsonResponse(200, ListResponse(std::move(resources), seen, start_index).dump());
}

}  // namespace

HttpResponse HandleUsers(ScimContext& ctx) {
  UserDirectory dir(ctx.store, ctx.env, ctx.tenant, SourceOf(ctx.connection));
  const std::string& method = ctx.request.method;
  if (ctx.resource.size() == 1) {
    if (method == "GET") return ListUsers(ctx, dir);
    if (method == "POST") {
      auto user = UserFromBody(ctx.request);
      if (!user.ok()) return Respond(user.error());
      auto created = dir.Create(std::move(user).value());
      if (!created.ok()) return Respond(created.error());
      return UserResponse(201, *created, ctx);
    }
    auto r = Respond(Error{ErrorKind::kInvalidInput, "use GET or POST on /Users", {}});
    r.status = 405;
    r.headers["allow"] = "GET, POST";
    return r;
  }
  if (ctx.resource.size() != 2) return Respond(NotFound("no such SCIM path"));
  const std::string& id = ctx.resource[1];
  if (method == "GET") {
    auto user = dir.Get(id);
    if (!user.ok()) return Respond(user.error());
    if (std::string inm = ctx.request.Header("if-none-match"); !inm.empty() && (inm == user->meta.ETag() || inm == "*")) {
      HttpResponse r;
      r.status = 304;
      r.headers["etag"] = user->meta.ETag();
      return r;
    }
    return UserResponse(200, *user, ctx);
  }
  auto expected = ExpectedVersion(ctx.request);
  if (!expected.ok()) return Respond(expected.error());
  if (method == "PUT") {
    auto user = UserFromBody(ctx.request);
    if (!user.ok()) return Respond(user.error());
    auto replaced = dir.Replace(id, std::move(user).value(), *expected);
    if (!replaced.ok()) return Respond(replaced.error());
    return UserResponse(200, *replaced, ctx);
  }
  if (method == "DELETE") {
    auto status = dir.Delete(id, *expected);
    if (!status.ok()) return Respond(status.error());
    HttpResponse r;
    r.status = 204;
    return r;
  }
  auto r = Respond(Error{ErrorKind::kInvalidInput, "use GET, PUT or DELETE on /Users/{id}", {}});
  r.status = 405;
  r.headers["allow"] = "GET, PUT, DELETE";
  return r;
}

}  // namespace dirbridge::scim_function
