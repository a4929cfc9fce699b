// Fuzzes untrusted JSON through the model readers: ParseJson (core/json_input.h),
// then UserFromJson and GroupFromJson (model/), and what is built on them: the
// record text the store keeps (store/record_text.h, provision/stored_records.h) and
// the SCIM rendering (scim/rendering.h). The input is a request body.
//
// Properties, besides no crash and no sanitizer report:
//   - ParseJson never hands out a document nested deeper than kMaxJsonDepth;
//   - a user (group) read from JSON survives the round trip: UserToJson then
//     UserFromJson succeeds and gives the same JSON again (stable), without a password;
//   - it reads back the same from its SCIM rendering (RenderUser, what PATCH starts
//     from) and from its stored record text, and the list page's spliced rendering of
//     that text (RecordTextRenderer) is the same JSON as RenderUser.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/json_input.h"
#include "fuzz_check.h"
#include "model/group.h"
#include "model/json_fields.h"
#include "model/schema_urns.h"
#include "model/user.h"
#include "provision/stored_records.h"
#include "scim/rendering.h"
#include "store/record_text.h"

namespace {

using nlohmann::json;
namespace scim = dirbridge::scim;

constexpr std::string_view kBaseUrl = "https://dirbridge.example/t/acme/scim/v2";

std::string Show(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::size_t Depth(const json& j) {
  std::size_t deepest = 0;
  if (j.is_structured()) {
    for (const auto& child : j) deepest = std::max(deepest, Depth(child));
    return deepest + 1;
  }
  return 0;
}

json WithoutMeta(json j) {
  j.erase("meta");
  return j;
}

// Meta as the engine sets it on every stored record (the client's meta never is).
dirbridge::ResourceMeta ServerMeta() { return {"2025-11-24T16:00:00Z", "2025-11-25T08:30:00.5Z", 3}; }

void CheckUser(const json& doc) {
  auto user = dirbridge::UserFromJson(doc);
  if (!user.ok()) return;
  const std::string context = "input: " + Show(doc);
  const json first = dirbridge::UserToJson(*user);
  FUZZ_CHECK(dirbridge::json_fields::Find(first, "password") == nullptr, context + "\nUserToJson: " + Show(first));
  auto again = dirbridge::UserFromJson(first);
  FUZZ_CHECK(again.ok(), context + "\nUserToJson: " + Show(first) + "\ndoes not read back: " + again.error().detail);
  const json second = dirbridge::UserToJson(*again);
  FUZZ_CHECK(second == first, context + "\nfirst: " + Show(first) + "\nsecond: " + Show(second));

  // From its rendering (a client's meta is not the store's: compare without it).
  const json rendered = scim::RenderUser(*user, kBaseUrl);
  auto from_rendered = dirbridge::UserFromJson(rendered);
  FUZZ_CHECK(from_rendered.ok(),
             context + "\nrendered: " + Show(rendered) + "\ndoes not read back: " + from_rendered.error().detail);
  FUZZ_CHECK(
      WithoutMeta(dirbridge::UserToJson(*from_rendered)) == WithoutMeta(first),
      context + "\nrendered: " + Show(rendered) + "\nreads back as: " + Show(dirbridge::UserToJson(*from_rendered)));

  // As stored (the body stored::PutUser writes), read back and spliced into a list page.
  dirbridge::User stored = *user;
  stored.meta = ServerMeta();
  json body = dirbridge::UserToJson(stored);
  body["schemas"] = dirbridge::UserSchemas(stored);
  const std::string text = dirbridge::EncodeRecordText(body, stored.meta);
  auto loaded = dirbridge::stored::UserFromText(text, stored.id);
  FUZZ_CHECK(loaded.ok(), context + "\nrecord: " + text + "\ndoes not load: " + loaded.error().detail);
  FUZZ_CHECK(dirbridge::UserToJson(*loaded) == dirbridge::UserToJson(stored),
             context + "\nrecord: " + text + "\nloads as: " + Show(dirbridge::UserToJson(*loaded)));
  auto record = dirbridge::stored::RecordTextOf(text, stored.id);
  FUZZ_CHECK(record.ok(), context + "\nrecord: " + text + "\nhas no record text view: " + record.error().detail);
  const std::string spliced = scim::RecordTextRenderer("User", kBaseUrl, "Users").Render(*record);
  const json page_entry = json::parse(spliced, nullptr, false);
  FUZZ_CHECK(!page_entry.is_discarded(), context + "\nspliced rendering is not JSON: " + spliced);
  const json whole = scim::RenderUser(stored, kBaseUrl);
  FUZZ_CHECK(page_entry == whole, context + "\nspliced: " + spliced + "\nrendered: " + Show(whole));
}

void CheckGroup(const json& doc) {
  auto group = dirbridge::GroupFromJson(doc);
  if (!group.ok()) return;
  const std::string context = "input: " + Show(doc);
  const json first = dirbridge::GroupToJson(*group);
  auto again = dirbridge::GroupFromJson(first);
  FUZZ_CHECK(again.ok(), context + "\nGroupToJson: " + Show(first) + "\ndoes not read back: " + again.error().detail);
  const json second = dirbridge::GroupToJson(*again);
  FUZZ_CHECK(second == first, context + "\nfirst: " + Show(first) + "\nsecond: " + Show(second));

  const json rendered = scim::RenderGroup(*group, kBaseUrl);
  auto from_rendered = dirbridge::GroupFromJson(rendered);
  FUZZ_CHECK(from_rendered.ok(),
             context + "\nrendered: " + Show(rendered) + "\ndoes not read back: " + from_rendered.error().detail);
  FUZZ_CHECK(
      WithoutMeta(dirbridge::GroupToJson(*from_rendered)) == WithoutMeta(first),
      context + "\nrendered: " + Show(rendered) + "\nreads back as: " + Show(dirbridge::GroupToJson(*from_rendered)));

  dirbridge::Group stored = *group;
  stored.meta = ServerMeta();
  json body = dirbridge::GroupToJson(stored);
  body["schemas"] = {dirbridge::kGroupSchemaUrn};
  const std::string text = dirbridge::EncodeRecordText(body, stored.meta);
  auto loaded = dirbridge::stored::GroupFromText(text, stored.id);
  FUZZ_CHECK(loaded.ok(), context + "\nrecord: " + text + "\ndoes not load: " + loaded.error().detail);
  FUZZ_CHECK(dirbridge::GroupToJson(*loaded) == dirbridge::GroupToJson(stored),
             context + "\nrecord: " + text + "\nloads as: " + Show(dirbridge::GroupToJson(*loaded)));
  auto record = dirbridge::stored::RecordTextOf(text, stored.id);
  FUZZ_CHECK(record.ok(), context + "\nrecord: " + text + "\nhas no record text view: " + record.error().detail);
  const std::string spliced = scim::RecordTextRenderer("Group", kBaseUrl, "Groups").Render(*record);
  const json page_entry = json::parse(spliced, nullptr, false);
  FUZZ_CHECK(!page_entry.is_discarded(), context + "\nspliced rendering is not JSON: " + spliced);
  const json whole = scim::RenderGroup(stored, kBaseUrl);
  FUZZ_CHECK(page_entry == whole, context + "\nspliced: " + spliced + "\nrendered: " + Show(whole));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = dirbridge::ParseJson(text);
  if (!doc.ok()) return 0;
  FUZZ_CHECK(Depth(*doc) <= dirbridge::kMaxJsonDepth,
             "ParseJson accepted a document nested " + std::to_string(Depth(*doc)) + " deep: " + Show(*doc));
  CheckUser(*doc);
  CheckGroup(*doc);
  // A record the store holds goes through ParseRecordJson: same document.
  auto record = dirbridge::ParseRecordJson(text);
  FUZZ_CHECK(record.ok() && *record == *doc, "ParseRecordJson disagrees with ParseJson on: " + Show(*doc));
  return 0;
}
