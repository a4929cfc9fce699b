// /Groups: SCIM JSON in, provisioning commands, SCIM JSON out. Members live apart
// from the group record; they are read only when the response includes them, so
// `excludedAttributes=members` reads no member, and a PATCH that adds one member to a
// 50,000-member group costs O(1) store operations.
#include <nlohmann/json.hpp>

#include "endpoint_support.h"
#include "model/json_fields.h"
#include "normalize/scim_dialect.h"
#include "provision/directory.h"
#include "resource_endpoint.h"
#include "resource_listing.h"
#include "scim/error_response.h"
#include "scim/patch.h"
#include "scim/patch_limits.h"
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
  json probe = {{"schemas", {kGroupSchemaUrn}}, {"id", "x"}, {"displayName", "x"}, {"members", {{{"value", "x"}}}}};
  auto projected = scim::ProjectResource(probe, scim::GroupResource(), attributes, excluded);
  return projected.ok() && projected->contains("members");
}

// A group's members in SCIM JSON.
Result<json> MembersJson(Directory& dir, const std::string& group_id, const std::string& base_url) {
  json members = json::array();
  std::string after;
  for (;;) {
    DB_ASSIGN_OR_RETURN(auto page, dir.Members(group_id, after, kMemberPage));
    for (const auto& m : page.items) {
      json item = {{"value", m.user_id}, {"$ref", base_url + "/Users/" + m.user_id}, {"type", "User"}};
      if (!m.display.empty()) item["display"] = m.display;
      members.push_back(std::move(item));
    }
    if (page.next_cursor.empty()) break;
    after = page.next_cursor;
  }
  return members;
}

Result<json> RenderWithMembers(Directory& dir, const Group& group, const std::string& base_url, bool with_members) {
  json out = scim::RenderGroup(group, base_url);
  if (!with_members) return out;
  DB_ASSIGN_OR_RETURN(out["members"], MembersJson(dir, group.id, base_url));
  return out;
}

// members: [{"value": "<user id>", "display": "..."}] from a POST/PUT body; at most
// kMaxMembersPerRequest of them (scim/patch_limits.h), else 400 tooMany.
Result<std::optional<std::vector<MemberRef>>> MembersFromBody(const json& body) {
  const json* members = json_fields::Find(body, "members");
  if (members == nullptr) return std::optional<std::vector<MemberRef>>();
  std::vector<MemberRef> out;
  if (members->is_null()) return std::optional<std::vector<MemberRef>>(out);
  if (!members->is_array()) return InvalidInput("attribute 'members' must be an array");
  if (members->size() > scim::kMaxMembersPerRequest) {
    return scim::TooManyError("the group's \"members\" has", members->size(), "values",
                              scim::kMaxMembersPerRequest);
  }
  out.reserve(members->size());
  for (std::size_t i = 0; i < members->size(); ++i) {
    const json& m = (*members)[i];
    const std::string where = "members[" + std::to_string(i) + "]";
    if (!m.is_object()) return InvalidInput("attribute '" + where + "' must be an object with a 'value'");
    MemberRef member;
    DB_RETURN_IF_ERROR(json_fields::ReadString(m, "value", where, &member.user_id));
    if (member.user_id.empty()) return InvalidInput("attribute '" + where + ".value' is required");
    DB_RETURN_IF_ERROR(json_fields::ReadString(m, "display", where, &member.display));
    out.push_back(std::move(member));
  }
  return std::optional<std::vector<MemberRef>>(std::move(out));
}

HttpResponse RespondWithGroup(int status, Directory& dir, const Group& group, const ScimContext& ctx) {
  const auto attributes = QueryValue(ctx.query, "attributes").value_or("");
  const auto excluded = QueryValue(ctx.query, "excludedAttributes").value_or("");
  auto rendered = RenderWithMembers(dir, group, ctx.base_url, MembersRequested(attributes, excluded));
  if (!rendered.ok()) return Fail(rendered.error());
  auto projected = scim::ProjectResource(*rendered, scim::GroupResource(), attributes, excluded);
  if (!projected.ok()) return Fail(projected.error());
  return ResourceResponse(status, *projected, group.meta);
}

ResourceCollection GroupCollection(Directory& dir, const ScimContext& ctx, bool with_members) {
  auto render_all = [&dir, &ctx, with_members](const std::vector<Group>& groups) -> Result<std::vector<json>> {
    std::vector<json> out;
    out.reserve(groups.size());
    for (const auto& g : groups) {
      DB_ASSIGN_OR_RETURN(auto r, RenderWithMembers(dir, g, ctx.base_url, with_members));
      out.push_back(std::move(r));
    }
    return out;
  };
  return ResourceCollection{
      scim::GroupResource(),
      Collection::kGroups,
      kGroupIndexedPaths,
      [&dir, render_all](const scim::IndexedEquality& eq) -> Result<std::vector<json>> {
        auto index = IndexFor(kGroupIndexes, eq.attribute);
        if (!index) return Internal("no group index for '" + eq.attribute + "'");
        DB_ASSIGN_OR_RETURN(auto found, dir.FindGroups(*index, eq.value, kMaxScannedResources + 1));
        return render_all(found);
      },
      [renderer = scim::RecordTextRenderer("Group", ctx.base_url, "Groups")](const RecordText& record) {
        return renderer.Render(record);
      },
      // Stored group text holds no members: add them when they are needed.
      with_members ? std::function<Status(json&)>([&dir, &ctx](json& group) -> Status {
        DB_ASSIGN_OR_RETURN(auto members, MembersJson(dir, group.value("id", std::string()), ctx.base_url));
        group["members"] = std::move(members);
        return Status::Ok();
      })
                   : std::function<Status(json&)>()};
}

HttpResponse List(ScimContext& ctx, Directory& dir, const Result<ListQuery>& query) {
  if (!query.ok()) return Fail(query.error());
  // Members are rendered only when the response (or the filter) needs them.
  bool with_members = MembersRequested(query->attributes, query->excluded_attributes);
  if (query->filter && query->filter->find("members") != std::string::npos) with_members = true;
  auto listed = ListResources(*query, GroupCollection(dir, ctx, with_members), dir);
  if (!listed.ok()) return Fail(listed.error());
  return scim::JsonResponse(200, *listed);
}

// A POST or PUT body: the group's attributes and, when the body has "members", them.
struct GroupBody {
  Group group;
  std::optional<std::vector<MemberRef>> members;
};

Result<GroupBody> GroupFromBody(const HttpRequest& request) {
  DB_ASSIGN_OR_RETURN(auto body, ObjectBody(request));
  GroupBody out;
  DB_ASSIGN_OR_RETURN(out.group, GroupFromJson(body));
  DB_ASSIGN_OR_RETURN(out.members, MembersFromBody(body));
  return out;
}

HttpResponse Create(ScimContext& ctx, Directory& dir) {
  auto parsed = GroupFromBody(ctx.request);
  if (!parsed.ok()) return Fail(parsed.error());
  auto created = dir.CreateGroup(std::move(parsed->group), parsed->members.value_or(std::vector<MemberRef>{}));
  if (!created.ok()) return Fail(created.error());
  return RespondWithGroup(201, dir, *created, ctx);
}

HttpResponse Replace(ScimContext& ctx, Directory& dir, const std::string& id, std::optional<uint64_t> expected) {
  auto parsed = GroupFromBody(ctx.request);
  if (!parsed.ok()) return Fail(parsed.error());
  auto updated = dir.UpdateGroup(
      id,
      [&](Group& group, MembershipChange& members) {
        group.display_name = parsed->group.display_name;
        group.external_id = parsed->group.external_id;
        // Members left out of a PUT are not asserted (RFC 7644 §3.5.1): they stay.
        if (parsed->members) {
          members.replace_all = true;
          members.add = std::move(*parsed->members);
        }
        return Status::Ok();
      },
      expected);
  if (!updated.ok()) return Fail(updated.error());
  return RespondWithGroup(200, dir, *updated, ctx);
}

HttpResponse Patch(ScimContext& ctx, Directory& dir, const std::string& id, std::optional<uint64_t> expected) {
  auto body = ObjectBody(ctx.request);
  if (!body.ok()) return Fail(body.error());
  auto operations = scim::ParsePatchRequest(*body);
  if (!operations.ok()) return Fail(operations.error());
  const ScimDialect dialect = DialectFor(ctx.connection.kind);
  auto updated = dir.UpdateGroup(
      id,
      [&](Group& group, MembershipChange& members) -> Status {
        DB_ASSIGN_OR_RETURN(auto plan,
                            scim::PlanMemberChanges(scim::RenderGroup(group, ctx.base_url), *operations, dialect.patch));
        DB_ASSIGN_OR_RETURN(auto attributes, GroupFromJson(plan.group));
        group.display_name = std::move(attributes.display_name);
        group.external_id = std::move(attributes.external_id);
        members = std::move(plan.membership);
        return Status::Ok();
      },
      expected);
  if (!updated.ok()) return Fail(updated.error());
  // RFC 7644 §3.5.2: 204 unless the client asked for attributes back. Returning
  // every member of a huge group on each PATCH would cost O(members).
  if (!QueryValue(ctx.query, "attributes")) return NoContent();
  return RespondWithGroup(200, dir, *updated, ctx);
}

}  // namespace

HttpResponse HandleGroups(ScimContext& ctx) {
  Directory& dir = ctx.directory;
  ResourceEndpoint endpoint;
  endpoint.list = [&](const Result<ListQuery>& query) { return List(ctx, dir, query); };
  endpoint.create = [&] { return Create(ctx, dir); };
  endpoint.read = [&](const std::string& id) {
    auto group = dir.GetGroup(id);
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
    auto status = dir.DeleteGroup(id, expected);
    return status.ok() ? NoContent() : Fail(status.error());
  };
  return DispatchResource(ctx, scim::GroupResource(), endpoint);
}

}  // namespace dirbridge::scim_function
