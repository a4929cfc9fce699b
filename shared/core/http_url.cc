#include "core/http_url.h"

namespace dirbridge {

std::optional<HttpUrlParts> SplitHttpUrl(std::string_view url) {
  HttpUrlParts p;
  if (url.substr(0, 8) == "https://") {
    p.https = true;
    p.rest = url.substr(8);
  } else if (url.substr(0, 7) == "http://") {
    p.rest = url.substr(7);
  } else {
    return std::nullopt;
  }
  p.authority = p.rest.substr(0, p.rest.find_first_of("/?#"));
  const auto at = p.authority.find('@');
  const std::string_view host = at == std::string_view::npos ? p.authority : p.authority.substr(at + 1);
  p.host = host.substr(0, host.find(':'));
  return p;
}

bool IsLoopbackHost(std::string_view host) { return host == "127.0.0.1" || host == "localhost"; }

}  // namespace dirbridge
