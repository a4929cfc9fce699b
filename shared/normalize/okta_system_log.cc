#include "normalize/okta_system_log.h"

#include <cctype>
#include <vector>

#include "core/http_message.h"
#include "core/http_url.h"
#include "normalize/okta_events.h"

namespace dirbridge::okta {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Whether a rel parameter value (unquoted) lists "next" among its space-separated types.
bool RelHasNext(std::string_view v) {
  while (!v.empty()) {
    const auto sp = v.find(' ');
    if (Lower(v.substr(0, sp)) == "next") return true;
    if (sp == std::string_view::npos) break;
    v.remove_prefix(sp + 1);
  }
  return false;
}

}  // namespace

std::string BuildLogsUrl(std::string_view org_url, std::string_view since) {
  std::string filter;
  for (const char* type : HandledEventTypes()) {
    if (!filter.empty()) filter += " or ";
    filter += "eventType eq \"";
    filter += type;
    filter += "\"";
  }
  return std::string(org_url) + "/api/v1/logs?since=" + PercentEncode(since) + "&filter=" + PercentEncode(filter) +
         "&limit=" + std::to_string(kPollPageLimit) + "&sortOrder=ASCENDING";
}

std::optional<std::string> NormalizeOrgUrl(std::string_view url) {
  url = Trim(url);
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  const auto parts = SplitHttpUrl(url);
  if (!parts) return std::nullopt;
  const std::string_view rest = parts->rest;
  if (rest.empty() || rest.size() > 255) return std::nullopt;
  for (char c : rest) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == ':')) return std::nullopt;
  }
  if (!parts->https && !IsLoopbackHost(parts->host)) return std::nullopt;
  return std::string(url);
}

bool IsOnOrg(std::string_view url, std::string_view org_url) {
  return url.size() > org_url.size() && url.substr(0, org_url.size()) == org_url && url[org_url.size()] == '/';
}

std::optional<std::string> NextLink(std::string_view header) {
  // Entries are separated by ',' outside <...> and quotes.
  std::size_t i = 0;
  while (i < header.size()) {
    while (i < header.size() && (header[i] == ' ' || header[i] == ',' || header[i] == '\t')) ++i;
    if (i >= header.size() || header[i] != '<') return std::nullopt;
    const auto close = header.find('>', i);
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view target = header.substr(i + 1, close - i - 1);
    i = close + 1;
    bool next = false;
    // Parameters: ; name=value or ; name="value", up to the next ',' outside quotes.
    while (i < header.size() && header[i] != ',') {
      if (header[i] != ';' && header[i] != ' ' && header[i] != '\t') return std::nullopt;
      if (header[i] != ';') {
        ++i;
        continue;
      }
      ++i;
      const auto eq = header.find_first_of("=,;", i);
      const std::string name = Lower(Trim(header.substr(i, eq == std::string_view::npos ? eq : eq - i)));
      if (eq == std::string_view::npos || header[eq] != '=') {
        i = eq == std::string_view::npos ? header.size() : eq;
        continue;
      }
      i = eq + 1;
      while (i < header.size() && header[i] == ' ') ++i;
      std::string_view value;
      if (i < header.size() && header[i] == '"') {
        const auto q = header.find('"', i + 1);
        if (q == std::string_view::npos) return std::nullopt;
        value = header.substr(i + 1, q - i - 1);
        i = q + 1;
      } else {
        const auto end = header.find_first_of(";,", i);
        value = Trim(header.substr(i, end == std::string_view::npos ? end : end - i));
        i = end == std::string_view::npos ? header.size() : end;
      }
      if (name == "rel" && RelHasNext(value)) next = true;
    }
    if (next && !target.empty()) return std::string(target);
  }
  return std::nullopt;
}

}  // namespace dirbridge::okta
