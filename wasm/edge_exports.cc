// dirbridge_route, the export of an edge module (module_exports.h): envelope in,
// FunctionRoute, decision out. Routing has no storage.
#include <string>

#include "function_entry.h"
#include "imported_host.h"
#include "module_answer.h"
#include "module_exports.h"
#include "request_envelope.h"

extern "C" {

__attribute__((export_name("dirbridge_route"))) uint8_t* dirbridge_route(const uint8_t* request, uint32_t len) {
  dirbridge::ImportedEnv env;
  auto parsed = dirbridge::RequestFromEnvelope(std::string_view(reinterpret_cast<const char*>(request), len));
  dirbridge::RouteDecision decision;
  if (!parsed.ok()) {
    // The host's bug, not the client's: logged with its reason, answered as a 500.
    env.Log(dirbridge::LogLevel::kError, parsed.error().detail);
    decision.response = dirbridge::FunctionError(parsed.error());
  } else {
    decision = dirbridge::FunctionRoute(*parsed, env);
  }
  return dirbridge::WriteAnswer(dirbridge::RouteDecisionToEnvelope(decision), std::string_view());
}

}  // extern "C"
