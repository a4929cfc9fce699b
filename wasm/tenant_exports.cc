// dirbridge_handle, the export of a tenant module (module_exports.h): a routed
// envelope in, FunctionHandle against the tenant's storage (the host's), the
// response out.
#include <string>

#include "function_entry.h"
#include "imported_host.h"
#include "module_answer.h"
#include "module_exports.h"
#include "request_envelope.h"

extern "C" {

__attribute__((export_name("dirbridge_handle"))) uint8_t* dirbridge_handle(const uint8_t* request, uint32_t len) {
  dirbridge::ImportedEnv env;
  dirbridge::ImportedKvStore store;
  auto parsed = dirbridge::RequestFromEnvelope(std::string_view(reinterpret_cast<const char*>(request), len));
  dirbridge::HttpResponse response;
  if (!parsed.ok()) {
    // The host's bug, not the client's: logged with its reason, answered as a 500.
    env.Log(dirbridge::LogLevel::kError, parsed.error().detail);
    response = dirbridge::FunctionError(parsed.error());
  } else {
    response = dirbridge::FunctionHandle(*parsed, store, env);
  }
  return dirbridge::WriteAnswer(dirbridge::ResponseHeadToEnvelope(response), response.body);
}

}  // extern "C"
