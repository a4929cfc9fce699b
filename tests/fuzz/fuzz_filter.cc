// Fuzzes the SCIM filter parser and evaluator (scim/filter_parser.h,
// scim/filter_evaluator.h) and the index planner (scim::FindIndexedEquality). The
// input is the text of a "filter" query parameter, as the SCIM module receives it
// after percent-decoding (so any bytes). Properties:
//   - a failed parse is InvalidInput with scimType invalidFilter;
//   - a parsed filter evaluates on every fixed user and group without failing;
//   - the planner's answer is sound: every resource the filter matches also matches
//     the equality the index answers (the index returns a superset of the matches),
//     and when the planner says `exact`, the two select exactly the same resources;
//   - the normalised text form (ToString) parses again, unless that text is past a
//     parser bound, to the same text and the same matches.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz_check.h"
#include "fuzz_resources.h"
#include "provision/indexes.h"
#include "scim/filter.h"
#include "scim/filter_evaluator.h"
#include "scim/filter_parser.h"
#include "scim/schema.h"

namespace {

using dirbridge::fuzz::FixedGroup;
using dirbridge::fuzz::FixedUsers;
using nlohmann::json;
namespace scim = dirbridge::scim;

std::string Describe(std::string_view filter, const scim::FilterNode* node = nullptr) {
  std::string out = "filter: " + json(std::string(filter)).dump(-1, ' ', false, json::error_handler_t::replace);
  if (node != nullptr) out += "\nparsed: " + scim::ToString(*node);
  return out;
}

// The planner on one resource type: sound and, when exact, complete.
template <std::size_t N>
void CheckIndexPlan(std::string_view text, const scim::FilterNode& filter, const scim::ResourceSchema& schema,
                    const std::array<std::string_view, N>& indexed, const std::vector<json>& resources) {
  auto eq = scim::FindIndexedEquality(filter, schema, indexed);
  if (!eq) return;
  bool known = false;
  for (auto path : indexed) known = known || path == eq->attribute;
  FUZZ_CHECK(known, Describe(text, &filter) + "\nplanned attribute: " + eq->attribute);
  const std::string equality =
      eq->attribute + " eq " + json(eq->value).dump(-1, ' ', false, json::error_handler_t::replace);
  auto index_filter = scim::ParseFilter(equality);
  FUZZ_CHECK(index_filter.ok(), Describe(text, &filter) + "\nplanned equality: " + equality);
  for (const auto& resource : resources) {
    const bool matches = scim::Matches(filter, resource, schema);
    const bool candidate = scim::Matches(**index_filter, resource, schema);
    FUZZ_CHECK(!matches || candidate,
               Describe(text, &filter) + "\nplanned equality: " + equality +
                   "\na resource the filter matches is not found by the index: " + resource.dump());
    if (eq->exact) {
      FUZZ_CHECK(matches == candidate, Describe(text, &filter) + "\nplanned (exact) equality: " + equality +
                                           "\nthe filter and its exact equality disagree on: " + resource.dump());
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = scim::ParseFilter(text);
  if (!parsed.ok()) {
    FUZZ_CHECK(
        parsed.error().kind == dirbridge::ErrorKind::kInvalidInput && parsed.error().scim_type == "invalidFilter",
        Describe(text) + "\nerror: " + parsed.error().scim_type + " " + parsed.error().detail);
    return 0;
  }
  const scim::FilterNode& filter = **parsed;
  const auto& users = FixedUsers();
  const std::vector<json> groups = {FixedGroup()};

  std::vector<bool> user_matches, group_matches;
  for (const auto& u : users) user_matches.push_back(scim::Matches(filter, u, scim::UserResource()));
  for (const auto& g : groups) group_matches.push_back(scim::Matches(filter, g, scim::GroupResource()));

  CheckIndexPlan(text, filter, scim::UserResource(), dirbridge::kUserIndexedPaths, users);
  CheckIndexPlan(text, filter, scim::GroupResource(), dirbridge::kGroupIndexedPaths, groups);

  // The normalised form reads back as the same filter.
  const std::string normal = scim::ToString(filter);
  auto again = scim::ParseFilter(normal);
  if (!again.ok()) {
    const std::string& detail = again.error().detail;
    const bool past_a_bound = detail.find("characters long") != std::string::npos ||
                              detail.find("nested deeper than") != std::string::npos ||
                              detail.find("more than") != std::string::npos;
    FUZZ_CHECK(past_a_bound, Describe(text, &filter) + "\nthe normalised form does not parse: " + detail);
    return 0;
  }
  FUZZ_CHECK(scim::ToString(**again) == normal, Describe(text, &filter) + "\nreparsed: " + scim::ToString(**again));
  for (std::size_t i = 0; i < users.size(); ++i) {
    FUZZ_CHECK(scim::Matches(**again, users[i], scim::UserResource()) == user_matches[i],
               Describe(text, &filter) + "\nthe normalised form matches differently: " + users[i].dump());
  }
  for (std::size_t i = 0; i < groups.size(); ++i) {
    FUZZ_CHECK(scim::Matches(**again, groups[i], scim::GroupResource()) == group_matches[i],
               Describe(text, &filter) + "\nthe normalised form matches differently: " + groups[i].dump());
  }
  return 0;
}
