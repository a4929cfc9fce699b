#include "crypto/jws.h"

#include "core/json_text.h"
#include "crypto/base64.h"

namespace dirbridge::crypto {

std::string JwsSigningInput(const nlohmann::json& header, const nlohmann::json& claims) {
  return Base64UrlEncode(JsonText(header)) + "." + Base64UrlEncode(JsonText(claims));
}

std::string JwsCompact(std::string_view signing_input, std::string_view signature) {
  std::string out(signing_input);
  out.push_back('.');
  out += Base64UrlEncode(signature);
  return out;
}

}  // namespace dirbridge::crypto
