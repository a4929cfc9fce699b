// A list page's resources are spliced from stored text (scim::RecordTextRenderer); they
// must be the JSON that rendering the parsed record gives (scim::RenderUser/RenderGroup).
#include <catch2/catch.hpp>

#include "model/group.h"
#include "model/user.h"
#include "provision/stored_records.h"
#include "scim/rendering.h"
#include "store/record_text.h"

using nlohmann::json;

namespace {

std::string Stored(const json& body, const dirbridge::ResourceMeta& meta) {
  return dirbridge::EncodeRecordText(body, meta);
}

}  // namespace

TEST_CASE("a spliced user is the rendered user, whatever its id and times contain") {
  const std::string base_url = "https://edge.test/t/acme/scim/v2/c\"1\\x";
  const std::vector<std::pair<std::string, dirbridge::ResourceMeta>> cases = {
      {"0190a3c4-5f6e-7a8b-9c0d-1e2f3a4b5c6d", {"2025-11-24T16:00:00Z", "2025-11-25T08:30:00.5Z", 3}},
      {"id \"quoted\" \\ back", {"2025-11-24T16:00:00Z", "2025-11-25T08:30:00Z", 1}},
      {"caf\xc3\xa9\n", {"2025-11-24T16:00:00Z", "2025-11-25T08:30:00Z", 12}},
      {"backslash", {"2025-11-24T16:00:00\\Z", "2025-11-25T08:30:00Z", 7}},
      {"quote", {"2025-11-24T16:00:00Z", "2025\"-11", 7}},
  };
  for (const auto& [id, meta] : cases) {
    dirbridge::User user;
    user.id = id;
    user.user_name = "ann@example.com";
    user.display_name = "Ann \"A\" <b>";
    user.meta = meta;
    json body = dirbridge::UserToJson(user);
    body["schemas"] = dirbridge::UserSchemas(user);
    const std::string text = Stored(body, meta);
    auto record = dirbridge::stored::RecordTextOf(text, id);
    if (meta.created.find('"') != std::string::npos || meta.last_modified.find('"') != std::string::npos) {
      // A quote cannot be in the stored layout: the view refuses it as corrupt.
      CHECK_FALSE(record.ok());
      continue;
    }
    REQUIRE(record.ok());
    const std::string spliced = dirbridge::scim::RecordTextRenderer("User", base_url, "Users").Render(*record);
    const json parsed = json::parse(spliced, nullptr, false);
    REQUIRE_FALSE(parsed.is_discarded());
    CHECK(parsed == dirbridge::scim::RenderUser(user, base_url));
  }
}

TEST_CASE("a spliced group is the rendered group without its members") {
  dirbridge::Group group;
  group.id = "0190a3c4-5f6e-7a8b-9c0d-1e2f3a4b5c6d";
  group.display_name = "Engineering";
  group.meta = {"2025-11-24T16:00:00Z", "2025-11-25T08:30:00Z", 4};
  json body = dirbridge::GroupToJson(group);
  body["schemas"] = {"urn:ietf:params:scim:schemas:core:2.0:Group"};
  auto record = dirbridge::stored::RecordTextOf(Stored(body, group.meta), group.id);
  REQUIRE(record.ok());
  const json parsed =
      json::parse(dirbridge::scim::RecordTextRenderer("Group", "https://edge.test/scim", "Groups").Render(*record));
  CHECK(parsed == dirbridge::scim::RenderGroup(group, "https://edge.test/scim"));
  CHECK(parsed["meta"]["location"] == "https://edge.test/scim/Groups/" + group.id);
  CHECK(parsed["meta"]["version"] == "W/\"4\"");
}
