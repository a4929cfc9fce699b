// Okta System Log catch-up (README, "Okta Event Hooks"): the pure parts. A timer of
// module `webhooks` polls GET {org}/api/v1/logs for the event types of
// okta_events.h, from the connection's lastPublished (provision/source_event_applier.h),
// so an event Okta dropped after its one hook retry is still applied; the response is
// a JSON array of LogEvent objects (the hook's event shape) paged with
// `Link: <url>; rel="next"`.
//
// Configuration, per okta connection, as sealed secrets (tenancy/sealed_secrets.h):
//   okta-org-url    the org's base URL, https://{yourOktaDomain} (http only for tests
//                   on 127.0.0.1 / localhost)
//   okta-api-token  an API token, sent as "Authorization: SSWS <token>"
// Putting either (admin API) once both are set arms the poll: a first poll now, then
// one every interval once caught up.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dirbridge::okta {

inline constexpr const char* kOrgUrlSecretName = "okta-org-url";
inline constexpr const char* kApiTokenSecretName = "okta-api-token";
// The module and continuation names of the poll (functions/webhooks/okta_catchup.cc).
inline constexpr const char* kCatchupModule = "webhooks";
inline constexpr const char* kCatchupPollContinuation = "okta.catchup.poll";  // a timer
inline constexpr const char* kCatchupPageContinuation = "okta.catchup.page";  // a page's answer
// The interval between polls once caught up (the deployment setting
// DIRBRIDGE_OKTA_POLL_MS, for tests, may shorten it to at least kMinPollIntervalMs).
inline constexpr int64_t kDefaultPollIntervalMs = 5 * 60 * 1000;
inline constexpr int64_t kMinPollIntervalMs = 100;
// Events asked for (limit=) and applied per page, i.e. per continuation.
inline constexpr std::size_t kPollPageLimit = 100;

// The URL of a first page: {org}/api/v1/logs?since=..&filter=eventType eq ".." or
// ..&limit=kPollPageLimit&sortOrder=ASCENDING, percent-encoded.
std::string BuildLogsUrl(std::string_view org_url, std::string_view since);

// The org URL as configured, without a trailing '/'; nullopt unless it is https://host
// (or http:// on 127.0.0.1 / localhost) with no path, query or fragment.
std::optional<std::string> NormalizeOrgUrl(std::string_view url);

// The target of rel="next" in a Link header (RFC 8288: comma-separated
// `<uri-reference>; param=value` entries; rel may be quoted and list several types);
// nullopt when there is none.
std::optional<std::string> NextLink(std::string_view link_header);

// Whether `url` is on the org (a next link elsewhere is never followed: it would carry
// the token to another host).
bool IsOnOrg(std::string_view url, std::string_view org_url);

// What a poll chain carries to know it is still the current one: both secrets'
// fingerprints and times (putting either again arms a new chain; the old one stops).
inline std::string ArmedMark(std::string_view token_fp, std::string_view token_updated, std::string_view org_fp,
                             std::string_view org_updated) {
  return std::string(token_fp) + "@" + std::string(token_updated) + "|" + std::string(org_fp) + "@" +
         std::string(org_updated);
}


}  // namespace dirbridge::okta
