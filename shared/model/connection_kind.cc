#include "model/connection_kind.h"

namespace dirbridge {
namespace {

struct NamedKind {
  ConnectionKind kind;
  const char* name;
};
constexpr NamedKind kKinds[] = {
    {ConnectionKind::kEntra, "entra"},         {ConnectionKind::kOkta, "okta"},
    {ConnectionKind::kOneLogin, "onelogin"},   {ConnectionKind::kPingOne, "pingone"},
    {ConnectionKind::kJumpCloud, "jumpcloud"}, {ConnectionKind::kGoogle, "google"},
    {ConnectionKind::kAd, "ad"},               {ConnectionKind::kCustom, "custom"},
    {ConnectionKind::kSignedWebhook, "signed_webhook"},
};

}  // namespace

const char* ConnectionKindName(ConnectionKind kind) {
  for (const auto& k : kKinds) {
    if (k.kind == kind) return k.name;
  }
  return "unknown";
}

std::optional<ConnectionKind> ParseConnectionKind(std::string_view name) {
  for (const auto& k : kKinds) {
    if (name == k.name) return k.kind;
  }
  return std::nullopt;
}

const std::string& KnownConnectionKinds() {
  static const std::string* names = [] {
    auto* out = new std::string;
    for (const auto& k : kKinds) {
      if (!out->empty()) out->append(", ");
      out->append(k.name);
    }
    return out;
  }();
  return *names;
}

}  // namespace dirbridge
