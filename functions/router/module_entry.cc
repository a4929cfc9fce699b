// Binds functions/router to the edge module's entry points (wasm/function_entry.h).
#include "core/api_error.h"
#include "function_entry.h"
#include "router.h"

namespace dirbridge {

RouteDecision FunctionRoute(const HttpRequest& request, Env& env) { return router::Route(request, env); }

// Only for an envelope the module cannot read, whose path is unknown.
HttpResponse FunctionError(const Error& error) { return ApiErrorResponse(error); }

}  // namespace dirbridge
