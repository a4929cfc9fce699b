// /Groups: create, read, replace, patch, delete, list and search. Members live in
// their own keys (GroupDirectory); they are read only when the response includes
// them, so `excludedAttributes=members` never touches a member key, and a PATCH
// that adds one member to a 50,000-member group reads and writes O(1) keys.
#include <nlohmann/json.hpp>

#include "endpoint_support.h"
#include "model/json_fields.h"
#include "normalize/scim_dialect.h"
#include "provision/group_directory.h"
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

namespace dirbridge::scim_function {
namespace {

using nlohmann::json;

constexpr std::size_t kMemberPage = 1000;

HttpResponse Fail(const Error& e) { return scim::ErrorResponse(e); }

// Whether a response with these attributes/excludedAttributes includes members.
bool MembersRequested(const std::string& attributes, const std::string& excluded) {
  json probe = {{"schemas", {kGroupSchema}}, {"id", "x"}, {"displayName", "x"}, {"members", {{{"value", "x"}}}}};
  auto projected = scim::ProjectResource(probe, scim::GroupResource(), attributes, excluded);
  return projected.ok() && projected->contains("members");
}

Result<json> RenderWithMembers(GroupDirectory& dir, const Group& group, const std::string& base_url,
                               bool with_members) {
  json out = scim::RenderGroup(group, base_url);
  if (!with_members) return out;
  json members = json::array();
  std::string cursor;
  for (;;) {
    DB_ASSIGN_OR_RETURN(auto page, dir.ListMembers(group.id, cursor, kMemberPage));
    for (const auto& m : page.members) {
      json item = {{"value", m.user_id}, {"$ref", base_url + "/Users/" + m.user_id}, {"type", "User"}};
      if (!m.display.empty()) item["display"] = m.display;
      members.push_back(std::move(item));
    }
    if (page.next_cursor.empty()) break;
    cursor = page.next_cursor;
  }
  out["members"] = std::move(members);
  return out;
}

// members: [{"value": "<user id>", "display": "..."}] from a POST/PUT body.
Result<std::optional<std::vector<GroupMember>>> MembersFromBody(const json& body) {
  const json* members = json_fields::Find(body, "members");
  if (members == nullptr) return std::optional<std::vector<GroupMember>>();
  std::vector<GroupMember> out;
  if (members->is_null()) return std::optional<std::vector<GroupMember>>(out);
  if (!members->is_array()) return InvalidInput("attribute 'members' must be an array");
  for (std::size_t i = 0; i < members->size(); ++i) {
    const json& m = (*members)[i];
    const std::string where = "members[" + std::to_string(i) + "]";
    if (!m.is_object()) return InvalidInput("attribute '" + where + "' must be an object with a 'value'");
    GroupMember member;
    DB_RETURN_IF_ERROR(json_fields::ReadString(m, "value", where, &member.user_id));
    if (member.user_id.empty()) return InvalidInput("attribute '" + where + ".value' is required");
    DB_RETURN_IF_ERROR(json_fields::ReadString(m, "display", where, &member.display));
    out.push_back(std::move(member));
  }
  return std::optional<std::vector<GroupMember>>(std::move(out));
}

HttpResponse RespondWithGroup(int status, GroupDirectory& dir, const Group& group, const ScimContext& ctx) {
  const auto attributes = QueryValue(ctx.query, "attributes").value_or("");
  const auto excluded = QueryValue(ctx.query, "excludedAttributes").value_or("");
  auto rendered = RenderWithMembers(dir, group, ctx.base_url, MembersRequested(attributes, excluded));
  if (!rendered.ok()) return Fail(rendered.error());
  auto projected = scim::ProjectResource(*rendered, scim::GroupResource(), attributes, excluded);
  if (!projected.ok()) return Fail(projected.error());
  return ResourceResponse(status, *projected, group.meta);
}

ResourceCollection GroupCollection(GroupDirectory& dir, const ScimContext& ctx, bool with_members) {
  auto render_all = [&dir, &ctx, with_members](const std::vector<Group>& groups) -> Result<std::vector<json>> {
    std::vector<json> out;
    for (const auto& g : groups) {
      DB_ASSIGN_OR_RETURN(auto r, RenderWithMembers(dir, g, ctx.base_url, with_members));
      out.push_back(std::move(r));
    }
    return out;
  };
  return ResourceCollection{
      scim::GroupResource(),
      [&dir, render_all](const scim::IndexedEquality& eq) -> Result<std::optional<std::vector<json>>> {
        std::vector<Group> found;
        if (eq.attribute == "displayName") {
          DB_ASSIGN_OR_RETURN(found, dir.FindByDisplayName(eq.value, kMaxScannedResources));
        } else if (eq.attribute == "externalId") {
          DB_ASSIGN_OR_RETURN(found, dir.FindByExternalId(eq.value));
        } else if (eq.attribute == "id") {
          auto g = dir.Get(eq.value);
          if (g.ok()) found.push_back(std::move(g).value());
          else if (g.error().kind != ErrorKind::kNotFound) return g.error();
        } else {
          return std::optional<std::vector<json>>();
        }
        DB_ASSIGN_OR_RETURN(auto rendered, render_all(found));
        return std::optional<std::vector<json>>(std::move(rendered));
      },
      [&dir, render_all](const std::string& cursor, std::size_t limit) -> Result<ResourceBatch> {
        DB_ASSIGN_OR_RETURN(auto page, dir.List(cursor, limit));
        ResourceBatch batch;
        DB_ASSIGN_OR_RETURN(batch.resources, render_all(page.groups));
        batch.next_cursor = page.next_cursor;
        return batch;
      },
      [&dir]() { return dir.Count(); },
      [&dir](const std::string& cursor, std::size_t limit) { return dir.ListIds(cursor, limit); },
      [&ctx](std::size_t start_index) { return PageHints(ctx.store, ctx.tenant, "groups").Find(start_index); },
      [&ctx](std::size_t start_index, const std::string& cursor) {
        return PageHints(ctx.store, ctx.tenant, "groups").Remember(start_index, cursor);
      }};
}

HttpResponse List(ScimContext& ctx, GroupDirectory& dir, const Result<ListQuery>& query) {
  if (!query.ok()) return Fail(query.error());
  // Members are rendered only when the response (or the filter) needs them.
  bool with_members = MembersRequested(query->attributes, query->excluded_attributes);
  if (query->filter && query->filter->find("members") != std::string::npos) with_members = true;
  auto listed = ListResources(*query, GroupCollection(dir, ctx, with_members));
  if (!listed.ok()) return Fail(listed.error());
  return scim::JsonResponse(200, *listed);
}

// A POST or PUT body: the group's attributes and, when the body has "members", them.
struct GroupBody {
  Group group;
  std::optional<std::vector<GroupMember>> members;
};

Result<GroupBody> GroupFromBody(const HttpRequest& request) {
  DB_ASSIGN_OR_RETURN(auto body, ObjectBody(request));
  GroupBody out;
  DB_ASSIGN_OR_RETURN(out.group, GroupFromJson(body));
  DB_ASSIGN_OR_RETURN(out.members, MembersFromBody(body));
  return out;
}

HttpResponse Create(ScimContext& ctx, GroupDirectory& dir) {
  auto parsed = GroupFromBody(ctx.request);
  if (!parsed.ok()) return Fail(parsed.error());
  auto created = dir.Create(std::move(parsed->group), parsed->members.value_or(std::vector<GroupMember>{}));
  if (!created.ok()) return Fail(created.error());
  return RespondWithGroup(201, dir, *created, ctx);
}

HttpResponse Replace(ScimContext& ctx, GroupDirectory& dir, const std::string& id, std::optional<uint64_t> expected) {
  auto parsed = GroupFromBody(ctx.request);
  if (!parsed.ok()) return Fail(parsed.error());
  MemberChanges changes;
  // Members left out of a PUT are not asserted (RFC 7644 §3.5.1): they stay.
  if (parsed->members) {
    changes.remove_all = true;
    changes.add = std::move(*parsed->members);
  }
  auto updated = dir.Update(id, std::move(parsed->group), changes, expected);
  if (!updated.ok()) return Fail(updated.error());
  return RespondWithGroup(200, dir, *updated, ctx);
}

HttpResponse Patch(ScimContext& ctx, GroupDirectory& dir, const std::string& id, std::optional<uint64_t> expected) {
  auto body = ObjectBody(ctx.request);
  if (!body.ok()) return Fail(body.error());
  auto operations = scim::ParsePatchRequest(*body);
  if (!operations.ok()) return Fail(operations.error());
  auto current = dir.Get(id);
  if (!current.ok()) return Fail(current.error());
  if (auto v = CheckVersion(expected, current->meta.version); !v.ok()) return Fail(v.error());
  const ScimDialect dialect = DialectFor(ctx.connection.kind);
  auto plan = scim::PlanMemberChanges(scim::RenderGroup(*current, ctx.base_url), *operations, dialect.patch);
  if (!plan.ok()) return Fail(plan.error());
  auto attributes = GroupFromJson(plan->group);
  if (!attributes.ok()) return Fail(attributes.error());
  MemberChanges changes;
  changes.remove_all = plan->membership.replace_all;
  for (auto& m : plan->membership.add) changes.add.push_back(GroupMember{m.user_id, m.display});
  changes.remove = plan->membership.remove;
  auto updated = dir.Update(id, std::move(attributes).value(), changes, current->meta.version);
  if (!updated.ok()) return Fail(updated.error());
  // RFC 7644 §3.5.2: 204 unless the client asked for attributes back. Returning
  // every member of a huge group on each PATCH would cost O(members).
  if (!QueryValue(ctx.query, "attributes")) return NoContent();
  return RespondWithGroup(200, dir, *updated, ctx);
}

}  // namespace

HttpResponse HandleGroups(ScimContext& ctx) {
  GroupDirectory dir(ctx.store, ctx.env, ctx.tenant, SourceOf(ctx.connection));
  ResourceEndpoint endpoint;
  endpoint.list = [&](const Result<ListQuery>& query) { return List(ctx, dir, query); };
  endpoint.create = [&] { return Create(ctx, dir); };
  endpoint.read = [&](const std::string& id) {
    auto group = dir.Get(id);
    if (!group.ok()) return Fail(group.error());
    if (NotModified(ctx.request, group->meta)) return NotModifiedResponse(group->meta);
    return RespondWithGroup(200, dir, *group, ctx);
  };
  endpoint.replace = [&](const std::string& id, std::optional<uint64_t> expected) {
    return Replace(ctx, dir, id, expected);
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
