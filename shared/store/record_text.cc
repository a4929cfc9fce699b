#include "store/record_text.h"
#include "core/json_text.h"

#include <charconv>

namespace dirbridge {
namespace {
constexpr std::string_view kCreated = "{\"meta\":{\"created\":\"";
constexpr std::string_view kLastModified = "\",\"lastModified\":\"";
constexpr std::string_view kVersion = "\",\"version\":";
}  // namespace

std::string EncodeRecordText(const nlohmann::json& body, const ResourceMeta& meta) {
  nlohmann::json rest = body;
  if (rest.is_object()) rest.erase("meta");
  std::string members = JsonText(rest);
  std::string out;
  out.reserve(members.size() + 96);
  out.append(kCreated).append(meta.created).append(kLastModified).append(meta.last_modified);
  out.append(kVersion).append(std::to_string(meta.version)).append("}");
  // members is "{...}": drop its "{" and join with a comma unless it is empty.
  if (members.size() > 2) out.append(",").append(members, 1, std::string::npos);
  else out.append("}");
  return out;
}

std::optional<RecordTextView> ViewRecordText(std::string_view text) {
  RecordTextView v;
  if (text.substr(0, kCreated.size()) != kCreated) return std::nullopt;
  std::size_t pos = kCreated.size();
  std::size_t end = text.find('"', pos);
  if (end == std::string_view::npos) return std::nullopt;
  v.created = text.substr(pos, end - pos);
  pos = end;
  if (text.substr(pos, kLastModified.size()) != kLastModified) return std::nullopt;
  pos += kLastModified.size();
  end = text.find('"', pos);
  if (end == std::string_view::npos) return std::nullopt;
  v.last_modified = text.substr(pos, end - pos);
  pos = end;
  if (text.substr(pos, kVersion.size()) != kVersion) return std::nullopt;
  pos += kVersion.size();
  auto [ptr, ec] = std::from_chars(text.data() + pos, text.data() + text.size(), v.version);
  if (ec != std::errc()) return std::nullopt;
  pos = static_cast<std::size_t>(ptr - text.data());
  if (pos >= text.size() || text[pos] != '}') return std::nullopt;
  v.rest = text.substr(pos + 1);
  if (v.rest.empty() || (v.rest.front() != ',' && v.rest.front() != '}')) return std::nullopt;
  return v;
}

}  // namespace dirbridge
