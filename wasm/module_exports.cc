// The exports every module has (module_exports.h): memory for the host, and the
// request body and URL limits. dirbridge_route and dirbridge_handle live in edge_exports.cc
// and tenant_exports.cc; a module links the one its kind needs.
#include "module_exports.h"

#include <cstdlib>
#include <cstring>

#include "core/http_message.h"
#include "module_answer.h"

namespace dirbridge {
namespace {

void PutU32(uint8_t* out, std::size_t value) {
  const auto n = static_cast<uint32_t>(value);
  for (int i = 0; i < 4; ++i) out[i] = static_cast<uint8_t>((n >> (8 * i)) & 0xff);
}

}  // namespace

uint8_t* WriteAnswer(std::string_view head, std::string_view body) {
  auto* out = static_cast<uint8_t*>(std::malloc(8 + head.size() + body.size()));
  if (out == nullptr) return nullptr;
  PutU32(out, head.size());
  PutU32(out + 4, body.size());
  std::memcpy(out + 8, head.data(), head.size());
  std::memcpy(out + 8 + head.size(), body.data(), body.size());
  return out;
}

}  // namespace dirbridge

extern "C" {

__attribute__((export_name("dirbridge_alloc"))) uint8_t* dirbridge_alloc(uint32_t size) {
  return static_cast<uint8_t*>(std::malloc(size == 0 ? 1 : size));
}

__attribute__((export_name("dirbridge_free"))) void dirbridge_free(uint8_t* ptr) { std::free(ptr); }

__attribute__((export_name("dirbridge_max_body_bytes"))) uint32_t dirbridge_max_body_bytes(void) {
  static_assert(dirbridge::kMaxRequestBodyBytes <= UINT32_MAX);
  return static_cast<uint32_t>(dirbridge::kMaxRequestBodyBytes);
}

__attribute__((export_name("dirbridge_max_url_bytes"))) uint32_t dirbridge_max_url_bytes(void) {
  static_assert(dirbridge::kMaxUrlBytes <= UINT32_MAX);
  return static_cast<uint32_t>(dirbridge::kMaxUrlBytes);
}

}  // extern "C"
