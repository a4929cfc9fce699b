// The admin console's sign-in, answered at the edge (no storage: the session is
// stateless, tenancy/console_session.h):
//
//   POST   /console/session  {"token": admin token}   200 {"csrf", "expiresAt"} and the
//          session cookie (HttpOnly, SameSite=Strict, Path=/, Secure on https, max age
//          kConsoleSessionMs); 401 for a wrong token; 403 when an Origin header names
//          another origin (a cross-site sign-in)
//   GET    /console/session  200 {"csrf", "expiresAt"} for the cookie's session; 401
//   DELETE /console/session  204, the cookie cleared; with a live session it needs the
//          session's X-CSRF-Token (403), so another site cannot sign the admin out
//
// Every answer is Cache-Control: no-store. The static pages under /console/ are the
// host's (wasm/hosts/console_assets.mjs); with the cookie, /admin/v1 accepts the
// session instead of the admin token (tenancy/admin_auth.h).
#pragma once

#include "core/env.h"
#include "core/http_message.h"

namespace dirbridge::router {

// request.path is /console/session.
HttpResponse AnswerConsoleSession(const HttpRequest& request, Env& env);

}  // namespace dirbridge::router
