#include "core/json_input.h"

#include <string>

namespace dirbridge {

std::size_t JsonNestingDepth(std::string_view text, std::size_t stop_at) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    switch (c) {
      case '"': in_string = true; break;
      case '[': case '{':
        if (++depth > deepest) {
          deepest = depth;
          if (deepest > stop_at) return deepest;
        }
        break;
      case ']': case '}':
        if (depth > 0) --depth;
        break;
      default: break;
    }
  }
  return deepest;
}

namespace {

Result<nlohmann::json> ParseBounded(std::string_view text, std::size_t max_depth) {
  if (JsonNestingDepth(text, max_depth) > max_depth) {
    return InvalidInput("JSON nested deeper than " + std::to_string(max_depth) + " levels",
                        "invalidSyntax");
  }
  auto doc = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return InvalidInput("request body is not valid JSON", "invalidSyntax");
  return doc;
}

}  // namespace

Result<nlohmann::json> ParseJson(std::string_view text, std::size_t max_depth) {
  if (text.size() > kMaxRequestBodyBytes) {
    return Error{ErrorKind::kPayloadTooLarge,
                 "request body is " + std::to_string(text.size()) + " bytes; the limit is " +
                     std::to_string(kMaxRequestBodyBytes),
                 "tooMany"};
  }
  return ParseBounded(text, max_depth);
}

Result<nlohmann::json> ParseRecordJson(std::string_view text) {
  auto doc = ParseBounded(text, kMaxJsonDepth);
  if (!doc.ok()) return Corrupt("a stored record does not parse: " + doc.error().detail);
  return doc;
}

Result<nlohmann::json> ParseResponseJson(std::string_view text) { return ParseBounded(text, kMaxJsonDepth); }

}  // namespace dirbridge
