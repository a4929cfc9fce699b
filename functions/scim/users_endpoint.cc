// /Users: create, read, replace, patch, delete, list and search.
#include <nlohmann/json.hpp>

#include "endpoint_support.h"
#include "normalize/scim_dialect.h"
#include "provision/user_directory.h"
#include "provision/page_hints.h"
#include "resource_endpoint.h"
#include "resource_listing.h"
#include "scim/error_response.h"
#include "scim/patch.h"
#include "scim/projection.h"
#include "scim/rendering.h"
#include "scim/schema.h"
#include "scim_context.h"
#include "store/key_layout.h"

namespace dirbridge::scim_function {
namespace {

using nlohmann::json;

HttpResponse Fail(const Error& e) { return scim::ErrorResponse(e); }

// A User from a POST/PUT body, with the lenient coercions every dialect gets.
Result<User> UserFromBody(const HttpRequest& request) {
  DB_ASSIGN_OR_RETURN(auto doc, ObjectBody(request));
  scim::CoerceBooleanStrings(doc, scim::UserResource());
  return UserFromJson(doc);
}

HttpResponse RespondWithUser(int status, const User& user, const ScimContext& ctx) {
  auto rendered = scim::RenderUser(user, ctx.base_url);
  const auto attributes = QueryValue(ctx.query, "attributes").value_or("");
  const auto excluded = QueryValue(ctx.query, "excludedAttributes").value_or("");
  if (!attributes.empty() || !excluded.empty()) {
    auto projected = scim::ProjectResource(rendered, scim::UserResource(), attributes, excluded);
    if (!projected.ok()) return Fail(projected.error());
    rendered = std::move(projected).value();
  } else {
    rendered = scim::ProjectResource(rendered, scim::UserResource(), "", "").value();
  }
  return ResourceResponse(status, rendered, user.meta);
}

ResourceCollection UserCollection(UserDirectory& dir, const ScimContext& ctx) {
  return ResourceCollection{
      scim::UserResource(),
      [&dir, &ctx](const scim::IndexedEquality& eq) -> Result<std::optional<std::vector<json>>> {
        std::vector<User> found;
        if (eq.attribute == "userName") {
          DB_ASSIGN_OR_RETURN(auto u, dir.FindByUserName(eq.value));
          if (u) found.push_back(std::move(*u));
        } else if (eq.attribute == "externalId") {
          DB_ASSIGN_OR_RETURN(found, dir.FindByExternalId(eq.value));
        } else if (eq.attribute == "emails.value") {
          DB_ASSIGN_OR_RETURN(found, dir.FindByEmail(eq.value, kMaxScannedResources));
        } else if (eq.attribute == "id") {
          auto u = dir.Get(eq.value);
          if (u.ok()) found.push_back(std::move(u).value());
          else if (u.error().kind != ErrorKind::kNotFound) return u.error();
        } else {
          return std::optional<std::vector<json>>();
        }
        std::vector<json> out;
        for (const auto& u : found) out.push_back(scim::RenderUser(u, ctx.base_url));
        return std::optional<std::vector<json>>(std::move(out));
      },
      [&dir, &ctx](const std::string& cursor, std::size_t limit) -> Result<ResourceBatch> {
        DB_ASSIGN_OR_RETURN(auto page, dir.List(cursor, limit));
        ResourceBatch batch;
        for (const auto& u : page.users) batch.resources.push_back(scim::RenderUser(u, ctx.base_url));
        batch.next_cursor = page.next_cursor;
        return batch;
      },
      [&dir]() { return dir.Count(); },
      [&dir](const std::string& cursor, std::size_t limit) { return dir.ListIds(cursor, limit); },
      [&ctx](std::size_t start_index) { return PageHints(ctx.store, ctx.tenant, "users").Find(start_index); },
      [&ctx](std::size_t start_index, const std::string& cursor) {
        return PageHints(ctx.store, ctx.tenant, "users").Remember(start_index, cursor);
      },
      [&dir, &ctx](const std::string& cursor, std::size_t limit) -> Result<RenderedBatch> {
        DB_ASSIGN_OR_RETURN(auto records, dir.ListRecords(cursor, limit));
        RenderedBatch batch;
        for (const auto& e : records) {
          const std::string id(keys::LastSegment(e.key));
          auto text = scim::RenderRecordText(e.value, "User", ctx.base_url, "Users", id);
          if (!text) return Internal("stored user " + id + " is not in the record layout of store/record_text.h");
          batch.resources.push_back(std::move(*text));
        }
        if (records.size() == limit && !records.empty()) batch.next_cursor = keys::LastSegment(records.back().key);
        return batch;
      }};
}

HttpResponse List(ScimContext& ctx, UserDirectory& dir, const Result<ListQuery>& query) {
  if (!query.ok()) return Fail(query.error());
  auto listed = ListResources(*query, UserCollection(dir, ctx));
  if (!listed.ok()) return Fail(listed.error());
  return scim::JsonResponse(200, *listed);
}

HttpResponse Patch(ScimContext& ctx, UserDirectory& dir, const std::string& id, std::optional<uint64_t> expected) {
  auto body = ObjectBody(ctx.request);
  if (!body.ok()) return Fail(body.error());
  auto current = dir.Get(id);
  if (!current.ok()) return Fail(current.error());
  if (auto v = CheckVersion(expected, current->meta.version); !v.ok()) return Fail(v.error());
  const ScimDialect dialect = DialectFor(ctx.connection.kind);
  auto patched = scim::ApplyPatchRequest(scim::RenderUser(*current, ctx.base_url), *body, scim::UserResource(),
                                         dialect.patch);
  if (!patched.ok()) return Fail(patched.error());
  auto user = UserFromJson(*patched);
  if (!user.ok()) return Fail(user.error());
  auto replaced = dir.Replace(id, std::move(user).value(), current->meta.version);
  if (!replaced.ok()) return Fail(replaced.error());
  if (dialect.user_patch_no_content && !QueryValue(ctx.query, "attributes")) {
    auto r = NoContent();
    r.headers["etag"] = replaced->meta.ETag();
    return r;
  }
  return RespondWithUser(200, *replaced, ctx);
}

}  // namespace

HttpResponse HandleUsers(ScimContext& ctx) {
  UserDirectory dir(ctx.store, ctx.env, ctx.tenant, SourceOf(ctx.connection));
  ResourceEndpoint endpoint;
  endpoint.list = [&](const Result<ListQuery>& query) { return List(ctx, dir, query); };
  endpoint.create = [&] {
    auto user = UserFromBody(ctx.request);
    if (!user.ok()) return Fail(user.error());
    auto created = dir.Create(std::move(user).value());
    if (!created.ok()) return Fail(created.error());
    return RespondWithUser(201, *created, ctx);
  };
  endpoint.read = [&](const std::string& id) {
    auto user = dir.Get(id);
    if (!user.ok()) return Fail(user.error());
    if (NotModified(ctx.request, user->meta)) return NotModifiedResponse(user->meta);
    return RespondWithUser(200, *user, ctx);
  };
  endpoint.replace = [&](const std::string& id, std::optional<uint64_t> expected) {
    auto user = UserFromBody(ctx.request);
    if (!user.ok()) return Fail(user.error());
    auto replaced = dir.Replace(id, std::move(user).value(), expected);
    if (!replaced.ok()) return Fail(replaced.error());
    return RespondWithUser(200, *replaced, ctx);
  };
  endpoint.patch = [&](const std::string& id, std::optional<uint64_t> expected) {
    return Patch(ctx, dir, id, expected);
  };
  endpoint.remove = [&](const std::string& id, std::optional<uint64_t> expected) {
    auto status = dir.Delete(id, expected);
    return status.ok() ? NoContent() : Fail(status.error());
  };
  return DispatchResource(ctx, endpoint);
}

}  // namespace dirbridge::scim_function
