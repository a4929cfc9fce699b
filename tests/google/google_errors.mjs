// Google's JSON error bodies, as the stand-in answers them.
//
// API errors (admin.googleapis.com) follow the Google JSON error format:
//   https://cloud.google.com/apis/design/errors#http_mapping
//   https://developers.google.com/workspace/admin/directory/v1/limits (429/503 and retrying)
// i.e. {"error": {"code", "message", "errors": [{"message", "domain", "reason", ...}], "status"}}
// where `errors` is the legacy (v1) detail list the Admin SDK still sends and `status` is
// the google.rpc.Code name.
//
// OAuth token endpoint errors follow RFC 6749 section 5.2 as Google answers them
// (https://developers.google.com/identity/protocols/oauth2/service-account#error-codes):
//   {"error": "invalid_grant", "error_description": "..."}

// status code -> [rpc status, legacy reason, default message, legacy domain]
const API_ERRORS = {
  400: ["INVALID_ARGUMENT", "invalid", "Invalid Input", "global"],
  401: ["UNAUTHENTICATED", "authError", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.", "global"],
  403: ["PERMISSION_DENIED", "forbidden", "Not Authorized to access this resource/api", "global"],
  404: ["NOT_FOUND", "notFound", "Resource Not Found", "global"],
  409: ["ALREADY_EXISTS", "duplicate", "Entity already exists.", "global"],
  412: ["FAILED_PRECONDITION", "conditionNotMet", "Precondition Failed", "global"],
  429: ["RESOURCE_EXHAUSTED", "rateLimitExceeded", "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'admin.googleapis.com'.", "usageLimits"],
  500: ["INTERNAL", "backendError", "Internal error encountered.", "global"],
  502: ["UNAVAILABLE", "backendError", "Bad Gateway", "global"],
  503: ["UNAVAILABLE", "backendError", "The service is currently unavailable.", "global"],
  504: ["DEADLINE_EXCEEDED", "backendError", "The request timed out.", "global"],
};

/**
 * Builds {"error": {...}} for an API answer.
 * @param {number} code HTTP status
 * @param {{message?: string, reason?: string, domain?: string, location?: string,
 *          locationType?: string, errorMessage?: string, details?: object[]}} [opts]
 */
export function apiErrorBody(code, opts = {}) {
  const [status, reason, message, domain] = API_ERRORS[code] ?? ["UNKNOWN", "unknown", "Unknown error", "global"];
  const detail = {
    message: opts.errorMessage ?? opts.message ?? message,
    domain: opts.domain ?? domain,
    reason: opts.reason ?? reason,
  };
  if (opts.location) {
    detail.location = opts.location;
    detail.locationType = opts.locationType ?? "parameter";
  }
  const error = { code, message: opts.message ?? message, errors: [detail], status };
  if (opts.details) error.details = opts.details;
  return { error };
}

// 401 for a missing Authorization header (Google says "Login Required").
export function missingCredentialsBody() {
  return apiErrorBody(401, {
    message: "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
    errorMessage: "Login Required.",
    reason: "required",
    location: "Authorization",
    locationType: "header",
  });
}

// 401 for an unknown, revoked or expired access token.
export function invalidCredentialsBody() {
  return apiErrorBody(401, {
    errorMessage: "Invalid Credentials",
    reason: "authError",
    location: "Authorization",
    locationType: "header",
  });
}

// 403 when the token lacks every scope the method accepts.
export function insufficientScopesBody(method) {
  return apiErrorBody(403, {
    message: "Request had insufficient authentication scopes.",
    errorMessage: "Insufficient Permission",
    reason: "insufficientPermissions",
    details: [{
      "@type": "type.googleapis.com/google.rpc.ErrorInfo",
      reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
      domain: "googleapis.com",
      metadata: { service: "admin.googleapis.com", method },
    }],
  });
}

// 404 as the Directory API words it: "Resource Not Found: userKey" / "...: groupKey".
export function notFoundBody(what) {
  return apiErrorBody(404, { message: `Resource Not Found: ${what}`, reason: "notFound" });
}

// 400 "Bad Request" with reason "badRequest" (e.g. users.list without customer or domain).
export function badRequestBody(message = "Bad Request") {
  return apiErrorBody(400, { message, reason: "badRequest" });
}

/** OAuth token endpoint error: {"error", "error_description"}. */
export function oauthErrorBody(error, description) {
  return description === undefined ? { error } : { error, error_description: description };
}

// Error descriptions Google's token endpoint gives for JWT-bearer grants.
export const OAUTH_MESSAGES = {
  badSignature: "Invalid JWT Signature.",
  timeframe: "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.",
  audience: "Invalid JWT: Failed audience check. The expected audience is https://oauth2.googleapis.com/token.",
  accountNotFound: "Invalid grant: account not found",
  unauthorizedClient: "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.",
  invalidScope: "Invalid OAuth scope or ID token audience provided.",
};
