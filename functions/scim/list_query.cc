#include "list_query.h"

#include <charconv>

#include "core/ascii.h"
#include "endpoint_support.h"
#include "model/json_fields.h"

namespace dirbridge::scim_function {
namespace {

Result<long long> ParseInteger(std::string_view name, std::string_view raw) {
  long long n = 0;
  auto [p, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), n);
  if (raw.empty() || ec != std::errc() || p != raw.data() + raw.size()) {
    return InvalidInput("'" + std::string(name) + "' must be an integer, not '" + std::string(raw) + "'");
  }
  return n;
}

// RFC 7644 §3.4.2.4: startIndex < 1 is 1; a negative count is 0.
void SetStartIndex(ListQuery& q, long long v) { q.start_index = v < 1 ? 1 : static_cast<std::size_t>(v); }
void SetCount(ListQuery& q, long long v) {
  q.count = v < 0 ? 0 : std::min<std::size_t>(static_cast<std::size_t>(v), kMaxPageSize);
}

Status SetSortOrder(ListQuery& q, const std::string& order) {
  if (order.empty() || EqualsIgnoreCase(order, "ascending")) q.descending = false;
  else if (EqualsIgnoreCase(order, "descending")) q.descending = true;
  else return InvalidInput("'sortOrder' must be 'ascending' or 'descending', not '" + order + "'");
  return Status::Ok();
}

}  // namespace

Result<ListQuery> ListQueryFromUrl(const std::vector<QueryParameter>& params) {
  ListQuery q;
  if (auto v = QueryValue(params, "filter")) q.filter = *v;
  if (auto v = QueryValue(params, "startIndex")) {
    DB_ASSIGN_OR_RETURN(long long n, ParseInteger("startIndex", *v));
    SetStartIndex(q, n);
  }
  if (auto v = QueryValue(params, "count")) {
    DB_ASSIGN_OR_RETURN(long long n, ParseInteger("count", *v));
    SetCount(q, n);
  }
  if (auto v = QueryValue(params, "sortBy")) q.sort_by = *v;
  if (auto v = QueryValue(params, "sortOrder")) DB_RETURN_IF_ERROR(SetSortOrder(q, *v));
  if (auto v = QueryValue(params, "attributes")) q.attributes = *v;
  if (auto v = QueryValue(params, "excludedAttributes")) q.excluded_attributes = *v;
  if (auto v = QueryValue(params, "cursor")) q.cursor = *v;
  return q;
}

Result<ListQuery> ListQueryFromSearchBody(const nlohmann::json& body) {
  namespace jf = json_fields;
  if (!body.is_object()) return InvalidInput("a search request must be a JSON object", "invalidSyntax");
  ListQuery q;
  std::string text;
  DB_RETURN_IF_ERROR(jf::ReadString(body, "filter", "", &text));
  if (!text.empty()) q.filter = text;
  for (const char* name : {"startIndex", "count"}) {
    const auto* v = jf::Find(body, name);
    if (v == nullptr || v->is_null()) continue;
    if (!v->is_number_integer()) return InvalidInput(std::string("'") + name + "' must be an integer");
    if (std::string_view(name) == "startIndex") SetStartIndex(q, v->get<long long>());
    else SetCount(q, v->get<long long>());
  }
  DB_RETURN_IF_ERROR(jf::ReadString(body, "sortBy", "", &q.sort_by));
  std::string order;
  DB_RETURN_IF_ERROR(jf::ReadString(body, "sortOrder", "", &order));
  DB_RETURN_IF_ERROR(SetSortOrder(q, order));
  for (auto [name, out] : {std::pair{"attributes", &q.attributes}, std::pair{"excludedAttributes", &q.excluded_attributes}}) {
    const auto* v = jf::Find(body, name);
    if (v == nullptr || v->is_null()) continue;
    if (v->is_string()) { *out = v->get<std::string>(); continue; }
    if (!v->is_array()) return InvalidInput(std::string("'") + name + "' must be an array of attribute names");
    for (const auto& item : *v) {
      if (!item.is_string()) return InvalidInput(std::string("'") + name + "' must hold strings");
      if (!out->empty()) out->push_back(',');
      out->append(item.get<std::string>());
    }
  }
  return q;
}

Result<ListQuery> ListQueryFromSearchRequest(const HttpRequest& request) {
  DB_ASSIGN_OR_RETURN(auto body, ObjectBody(request));
  return ListQueryFromSearchBody(body);
}

}  // namespace dirbridge::scim_function
