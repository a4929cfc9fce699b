// How requests reach a resource type (RFC 7644 §3): the one place that maps
//   GET/POST  {type}            -> list / create
//   POST      {type}/.search    -> list, with the query in the body
//   GET       {type}/{id}       -> read
//   PUT/PATCH/DELETE {type}/{id} -> replace / patch / remove, after If-Match
// onto a resource type's handlers, and answers 404 and 405 for everything else.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "core/http_message.h"
#include "list_query.h"
#include "scim/schema.h"
#include "scim_context.h"

namespace dirbridge::scim_function {

struct ResourceEndpoint {
  using WithVersion = std::function<HttpResponse(const std::string& id, std::optional<uint64_t> expected_version)>;
  std::function<HttpResponse(const Result<ListQuery>& query)> list;
  std::function<HttpResponse()> create;
  std::function<HttpResponse(const std::string& id)> read;
  WithVersion replace;
  WithVersion patch;
  WithVersion remove;
};

// Query parameters that shape the answer (attributes, excludedAttributes) are checked
// against `schema` before any handler runs, so a request refused for them has
// changed nothing.
HttpResponse DispatchResource(const ScimContext& ctx, const scim::ResourceSchema& schema,
                              const ResourceEndpoint& endpoint);

}  // namespace dirbridge::scim_function
