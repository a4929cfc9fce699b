// /Users: SCIM JSON in, provisioning commands, SCIM JSON out.
#include <nlohmann/json.hpp>

#include "endpoint_support.h"
#include "model/json_fields.h"
#include "normalize/scim11_shapes.h"
#include "normalize/scim_dialect.h"
#include "provision/directory.h"
#include "resource_endpoint.h"
#include "resource_listing.h"
#include "scim/error_response.h"
#include "scim/patch.h"
#include "scim/projection.h"
#include "scim/rendering.h"
#include "scim/schema.h"
#include "scim_context.h"

namespace dirbridge::scim_function {
namespace {

using nlohmann::json;

HttpResponse Fail(const Error& e) { return scim::ErrorResponse(e); }

// A User from a POST/PUT body, with the lenient coercions every dialect gets, and
// whether the body said anything about `active`.
struct UserBody {
  User user;
  bool states_active = false;
};

Result<UserBody> UserFromBody(const HttpRequest& request, const ScimDialect& dialect) {
  DB_ASSIGN_OR_RETURN(auto doc, ObjectBody(request));
  if (dialect.accepts_scim11_shapes) NormalizeScim11Shapes(doc);
  scim::CoerceBooleanStrings(doc, scim::UserResource());
  UserBody out;
  DB_ASSIGN_OR_RETURN(out.user, UserFromJson(doc));
  const json* active = json_fields::Find(doc, "active");
  out.states_active = active != nullptr && !active->is_null();
  return out;
}

// Only an explicit value changes `active`: a PUT that leaves it out, or a PATCH that
// removes it, never reactivates a suspended user (nor suspends an active one).
void KeepActiveUnlessStated(User& next, bool stated, bool current) {
  if (!stated) next.active = current;
}

HttpResponse RespondWithUser(int status, const User& user, const ScimContext& ctx) {
  const auto attributes = QueryValue(ctx.query, "attributes").value_or("");
  const auto excluded = QueryValue(ctx.query, "excludedAttributes").value_or("");
  auto projected = scim::ProjectResource(scim::RenderUser(user, ctx.base_url), scim::UserResource(), attributes, excluded);
  if (!projected.ok()) return Fail(projected.error());
  return ResourceResponse(status, *projected, user.meta);
}

ResourceCollection UserCollection(Directory& dir, const ScimContext& ctx) {
  auto render_all = [&ctx](const std::vector<User>& users) {
    std::vector<json> out;
    out.reserve(users.size());
    for (const auto& u : users) out.push_back(scim::RenderUser(u, ctx.base_url));
    return out;
  };
  return ResourceCollection{
      scim::UserResource(),
      Collection::kUsers,
      kUserIndexedPaths,
      [&dir, render_all](const scim::IndexedEquality& eq) -> Result<std::vector<json>> {
        auto index = IndexFor(kUserIndexes, eq.attribute);
        if (!index) return Internal("no user index for '" + eq.attribute + "'");
        DB_ASSIGN_OR_RETURN(auto found, dir.FindUsers(*index, eq.value, kMaxScannedResources + 1));
        return render_all(found);
      },
      [renderer = scim::RecordTextRenderer("User", ctx.base_url, "Users")](const RecordText& record) {
        return renderer.Render(record);
      },
      {}};
}

HttpResponse List(ScimContext& ctx, Directory& dir, const Result<ListQuery>& query) {
  if (!query.ok()) return Fail(query.error());
  auto listed = ListResources(*query, UserCollection(dir, ctx), dir);
  if (!listed.ok()) return Fail(listed.error());
  return scim::JsonResponse(200, *listed);
}

HttpResponse Patch(ScimContext& ctx, Directory& dir, const std::string& id, std::optional<uint64_t> expected) {
  auto body = ObjectBody(ctx.request);
  if (!body.ok()) return Fail(body.error());
  auto operations = scim::ParsePatchRequest(*body);
  if (!operations.ok()) return Fail(operations.error());
  const ScimDialect dialect = DialectFor(ctx.connection.kind);
  auto patched = dir.UpdateUser(
      id,
      [&](User& user) -> Status {
        DB_ASSIGN_OR_RETURN(auto resource, scim::ApplyPatch(scim::RenderUser(user, ctx.base_url), *operations,
                                                            scim::UserResource(), dialect.patch));
        const bool was_active = user.active;
        DB_ASSIGN_OR_RETURN(user, UserFromJson(resource));
        const json* active = json_fields::Find(resource, "active");
        KeepActiveUnlessStated(user, active != nullptr && !active->is_null(), was_active);
        return Status::Ok();
      },
      expected);
  if (!patched.ok()) return Fail(patched.error());
  if (dialect.user_patch_no_content && !QueryValue(ctx.query, "attributes")) {
    auto r = NoContent();
    r.headers["etag"] = patched->meta.ETag();
    return r;
  }
  return RespondWithUser(200, *patched, ctx);
}

}  // namespace

HttpResponse HandleUsers(ScimContext& ctx) {
  Directory& dir = ctx.directory;
  ResourceEndpoint endpoint;
  endpoint.list = [&](const Result<ListQuery>& query) { return List(ctx, dir, query); };
  endpoint.create = [&] {
    auto body = UserFromBody(ctx.request, DialectFor(ctx.connection.kind));
    if (!body.ok()) return Fail(body.error());
    auto created = dir.CreateUser(std::move(body->user));
    if (!created.ok()) return Fail(created.error());
    return RespondWithUser(201, *created, ctx);
  };
  endpoint.read = [&](const std::string& id) {
    auto user = dir.GetUser(id);
    if (!user.ok()) return Fail(user.error());
    if (NotModified(ctx.request, user->meta)) return NotModifiedResponse(user->meta);
    return RespondWithUser(200, *user, ctx);
  };
  endpoint.replace = [&](const std::string& id, std::optional<uint64_t> expected) {
    auto body = UserFromBody(ctx.request, DialectFor(ctx.connection.kind));
    if (!body.ok()) return Fail(body.error());
    auto replaced = dir.UpdateUser(
        id,
        [&](User& user) {
          const bool was_active = user.active;
          user = std::move(body->user);
          KeepActiveUnlessStated(user, body->states_active, was_active);
          return Status::Ok();
        },
        expected);
    if (!replaced.ok()) return Fail(replaced.error());
    return RespondWithUser(200, *replaced, ctx);
  };
  endpoint.patch = [&](const std::string& id, std::optional<uint64_t> expected) {
    return Patch(ctx, dir, id, expected);
  };
  endpoint.remove = [&](const std::string& id, std::optional<uint64_t> expected) {
    auto status = dir.DeleteUser(id, expected);
    return status.ok() ? NoContent() : Fail(status.error());
  };
  return DispatchResource(ctx, scim::UserResource(), endpoint);
}

}  // namespace dirbridge::scim_function
