// The parts of an absolute http:// or https:// URL that the checks of outbound URLs
// look at (an Okta org URL, the event feed's receiver): the scheme, the authority and
// its host, and whether that host is the loopback one the local stand-ins use.
#pragma once

#include <optional>
#include <string_view>

namespace dirbridge {

struct HttpUrlParts {
  bool https = false;
  std::string_view rest;       // after "scheme://"
  std::string_view authority;  // up to the first '/', '?' or '#'
  std::string_view host;       // the authority up to ':' (after any "user@")
};

// nullopt unless `url` starts with "http://" or "https://".
std::optional<HttpUrlParts> SplitHttpUrl(std::string_view url);

// "127.0.0.1" or "localhost".
bool IsLoopbackHost(std::string_view host);

}  // namespace dirbridge
