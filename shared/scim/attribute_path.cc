#include "scim/attribute_path.h"

#include "core/utf8.h"

#include <string>

#include "scim/filter_parser.h"
#include "scim/schema.h"

namespace dirbridge::scim {
namespace {

bool IsAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsNameStart(char c) { return IsAlpha(c) || c == '$'; }
bool IsNameChar(char c) { return IsAlpha(c) || IsDigit(c) || c == '-' || c == '_' || c == '$'; }
// Characters that may appear in a schema URN (RFC 8141 NSS, minus what would end a path).
bool IsUrnChar(char c) {
  return IsNameChar(c) || c == ':' || c == '.' || c == '%' || c == '+' || c == '=' || c == '@' || c == ';' ||
         c == '!' || c == '*' || c == '\'' || c == '/' || c == '~' || c == '&';
}

Error PathError(std::string_view text, std::size_t pos, std::string_view expected, std::string_view scim_type) {
  std::string found = QuoteCharAt(text, pos);
  return InvalidInput("invalid attribute path \"" + std::string(text) + "\" at position " + std::to_string(pos) +
                          ": expected " + std::string(expected) + ", found " + found,
                      std::string(scim_type));
}

// Reads ATTRNAME at pos.
bool ScanName(std::string_view text, std::size_t& pos, std::string* out) {
  if (pos >= text.size() || !IsNameStart(text[pos])) return false;
  std::size_t start = pos;
  while (pos < text.size() && IsNameChar(text[pos])) ++pos;
  *out = std::string(text.substr(start, pos - start));
  return true;
}

}  // namespace

std::string AttrPath::ToString() const {
  std::string out;
  if (!urn.empty()) out = urn + ":";
  out += attribute;
  if (!sub_attribute.empty()) out += "." + sub_attribute;
  return out;
}

Result<AttrPath> ScanAttrPath(std::string_view text, std::size_t& pos, std::string_view scim_type) {
  AttrPath path;
  std::size_t p = pos;
  if (text.size() - p >= 4 && EqualsIgnoreCase(text.substr(p, 4), "urn:")) {
    // The URN runs to the last ':' of the run of URN characters; the attribute follows.
    std::size_t end = p;
    while (end < text.size() && IsUrnChar(text[end])) ++end;
    std::string_view run = text.substr(p, end - p);
    std::size_t colon = run.rfind(':');
    if (colon == std::string_view::npos || colon <= 3 || colon + 1 >= run.size()) {
      return PathError(text, p + (colon == std::string_view::npos ? run.size() : colon + 1),
                       "an attribute name after the schema URN", scim_type);
    }
    path.urn = std::string(run.substr(0, colon));
    p += colon + 1;
  }
  if (!ScanName(text, p, &path.attribute)) {
    return PathError(text, p, "an attribute name (a letter, then letters, digits, '-', '_' or '$')", scim_type);
  }
  if (p < text.size() && text[p] == '.') {
    ++p;
    if (!ScanName(text, p, &path.sub_attribute)) {
      return PathError(text, p, "a sub-attribute name after '.'", scim_type);
    }
  }
  pos = p;
  return path;
}

Result<AttrPath> ParseAttrPath(std::string_view text, std::string_view scim_type) {
  std::size_t pos = 0;
  while (pos < text.size() && text[pos] == ' ') ++pos;
  DB_ASSIGN_OR_RETURN(AttrPath path, ScanAttrPath(text, pos, scim_type));
  while (pos < text.size() && text[pos] == ' ') ++pos;
  if (pos != text.size()) return PathError(text, pos, "the end of the attribute path", scim_type);
  return path;
}

Result<PatchPath> ParsePatchPath(std::string_view text) {
  constexpr std::string_view kScimType = "invalidPath";
  if (text.size() > kMaxFilterLength) {
    return InvalidInput("PATCH path is " + std::to_string(text.size()) + " characters long; at most " +
                            std::to_string(kMaxFilterLength) + " are accepted",
                        std::string(kScimType));
  }
  PatchPath out;
  out.text = std::string(text);
  std::size_t pos = 0;
  while (pos < text.size() && text[pos] == ' ') ++pos;
  DB_ASSIGN_OR_RETURN(AttrPath head, ScanAttrPath(text, pos, kScimType));
  out.urn = std::move(head.urn);
  out.attribute = std::move(head.attribute);
  out.sub_attribute = std::move(head.sub_attribute);
  if (pos < text.size() && text[pos] == '[') {
    if (!out.sub_attribute.empty()) {
      return PathError(text, pos, "'[' directly after the attribute name, not after a sub-attribute", kScimType);
    }
    DB_ASSIGN_OR_RETURN(out.value_filter, ParseBracketedValueFilter(text, pos, "invalidFilter"));
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      if (!ScanName(text, pos, &out.sub_attribute)) {
        return PathError(text, pos, "a sub-attribute name after '].'", kScimType);
      }
    }
  }
  while (pos < text.size() && text[pos] == ' ') ++pos;
  if (pos != text.size()) return PathError(text, pos, "the end of the path", kScimType);
  return out;
}

}  // namespace dirbridge::scim
