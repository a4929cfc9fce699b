// HTTP requests and responses as plain data: what a host hands a function and what
// the function hands back. No I/O; the host boundary (wasm/) converts them to and
// from the ABI's JSON envelope.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dirbridge {

// The one limit on a request body, in bytes. Every module exports it
// (dirbridge_max_body_bytes); hosts read it at load and answer 413 above it before
// reading further, and ParseJson refuses longer text. 256 KiB holds four times the
// largest request an IdP sends (a PATCH of 1,000 members is about 60 KB) and keeps
// the parse of a body at the limit within a few milliseconds (bench/hostile_cost_bench.mjs).
inline constexpr std::size_t kMaxRequestBodyBytes = 256 * 1024;

// The one limit on a request's target: the path and the query string (without the
// '?') together, in bytes, as the client sent them (not decoded). The router answers
// 414 above it, in the path's error shape; every module exports it
// (dirbridge_max_url_bytes) for hosts whose HTTP stack needs to let such a target
// through to the router (node:http counts it against its header limit). Cloudflare's
// own edge refuses URLs over 16 KB before a Worker runs, so a larger limit would only
// hold locally.
inline constexpr std::size_t kMaxUrlBytes = 16 * 1024;

// The HTTP methods dirbridge serves somewhere. The router answers any other method
// (CONNECT, TRACE, an unknown token) with 501 before looking at the path.
bool IsServedMethod(std::string_view method);

struct HttpRequest {
  std::string method;                         // "GET", "POST", ...
  std::string path;                           // "/t/acme/scim/v2/Users", not decoded
  std::string query;                          // raw, without '?'
  std::map<std::string, std::string> headers;  // names lower-case
  std::string body;
  std::string origin;  // "https://dirbridge.example" as the client reached us
  // The client's IP address as the host saw it (the socket's peer under node; the
  // CF-Connecting-IP Cloudflare sets, on Workers); "" when the host cannot tell. Never
  // a header the client chose: rate limits key on it.
  std::string client_address;
  std::string tenant;  // set by routing; empty before
  // Set by routing: the percent-decoded path segments after the mount point of the
  // module that handles the request ("/t/acme/scim/v2/Users/42" -> {"Users", "42"}
  // for scim, "/admin/v1/tenants/acme" -> {"tenants", "acme"} for admin). Tenant
  // modules read these and never split `path` again.
  std::vector<std::string> route;

  std::string Header(std::string_view name) const;  // name lower-case; "" if absent
};

struct HttpResponse {
  int status = 200;
  std::map<std::string, std::string> headers;
  std::string body;
};

// The edge stage's answer: either a response to send as is, or the request (with
// tenant and route set) to run in the tenant module `module` ("scim", "admin")
// against the storage of request.tenant.
struct RouteDecision {
  std::optional<HttpResponse> response;
  std::string module;
  HttpRequest request;
};

// A query string's parameters, percent- and '+'-decoded, in order.
struct QueryParameter {
  std::string name;
  std::string value;
};
std::vector<QueryParameter> ParseQuery(std::string_view query);
std::optional<std::string> QueryValue(const std::vector<QueryParameter>& params, std::string_view name);

// Percent-decodes a URL component; nullopt on a malformed escape.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);
// Percent-encodes everything but RFC 3986 unreserved characters (a query value, a
// path segment or a form field).
std::string PercentEncode(std::string_view text);

// The path split on '/', empty segments dropped, each percent-decoded. nullopt
// when a segment has a malformed escape.
std::optional<std::vector<std::string>> SplitPath(std::string_view path);

}  // namespace dirbridge
