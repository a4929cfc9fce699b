// Error bodies the stand-in answers with: Microsoft Graph's JSON errors and the Microsoft identity
// platform's token endpoint errors.
//
// Graph errors: https://learn.microsoft.com/graph/errors
//   {"error": {"code", "message", "innerError": {"date", "request-id", "client-request-id"}}}
//   `code` is one of the documented top-level codes (invalidRequest, resyncRequired,
//   serviceNotAvailable, syncStateNotFound, ...) or, for directory (Entra) resources, the
//   directory's own codes (Request_ResourceNotFound, Request_BadRequest,
//   Authorization_RequestDenied), which Graph passes through. innerError.date has no fraction
//   and no zone ("2024-04-28T16:30:39").
// Throttling: https://learn.microsoft.com/graph/throttling ("Sample response"):
//   429, Retry-After in seconds, {"error": {"code": "TooManyRequests", "innerError": {"code":
//   "429", "date", "message": "Please retry after", "request-id", "status": "429"}, "message":
//   "Please retry again later."}}
//
// Token endpoint errors: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
//   ("Error response") and https://learn.microsoft.com/entra/identity-platform/reference-error-codes
//   {"error", "error_description": "AADSTSnnnn: ...\r\nTrace ID: ...\r\nCorrelation ID: ...\r\n
//    Timestamp: YYYY-MM-DD HH:MM:SSZ", "error_codes": [n], "timestamp", "trace_id",
//    "correlation_id", "error_uri": "https://login.microsoftonline.com/error?code=n"}

import { randomUUID } from "node:crypto";

/** "2024-04-28T16:30:39" */
export function innerErrorDate(ms) {
  return new Date(ms).toISOString().slice(0, 19);
}

/**
 * @param {{code: string, message: string, requestId: string, clientRequestId?: string,
 *          nowMs: number, innerError?: object}} e
 */
export function graphErrorBody({ code, message, requestId, clientRequestId, nowMs, innerError }) {
  return {
    error: {
      code,
      message,
      innerError: innerError ?? {
        date: innerErrorDate(nowMs),
        "request-id": requestId,
        "client-request-id": clientRequestId ?? requestId,
      },
    },
  };
}

// Default code and message for a status injected with failNext (no body given).
export const GRAPH_FAULTS = {
  400: ["invalidRequest", "The request is malformed or incorrect."],
  401: ["InvalidAuthenticationToken", "Access token validation failure."],
  403: ["Authorization_RequestDenied", "Insufficient privileges to complete the operation."],
  404: ["itemNotFound", "The resource could not be found."],
  409: ["conflict", "The current state conflicts with what the request expects."],
  500: ["generalException", "An unspecified error has occurred."],
  502: ["generalException", "Bad Gateway"],
  503: ["serviceNotAvailable", "The service is not available. Try the request again after a delay. There may be a Retry-After header."],
  504: ["generalException", "The request timed out."],
};

export function faultBody(status, ctx) {
  if (status === 429) return throttledBody(ctx);
  const [code, message] = GRAPH_FAULTS[status] ?? ["generalException", "An unspecified error has occurred."];
  return graphErrorBody({ code, message, ...ctx });
}

/** The documented 429 body (https://learn.microsoft.com/graph/throttling). */
export function throttledBody({ requestId, nowMs }) {
  return {
    error: {
      code: "TooManyRequests",
      innerError: {
        code: "429",
        date: innerErrorDate(nowMs),
        message: "Please retry after",
        "request-id": requestId,
        status: "429",
      },
      message: "Please retry again later.",
    },
  };
}

// ---- token endpoint ---------------------------------------------------------------------------

/** "2016-01-09 02:02:12Z" */
export function aadTimestamp(ms) {
  return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")}Z`;
}

/**
 * An Entra token endpoint error.
 * @param {string} error OAuth error (invalid_client, invalid_request, ...)
 * @param {number} code AADSTS number
 * @param {string} text the description after "AADSTSnnnn: "
 * @param {number} nowMs
 */
export function aadErrorBody(error, code, text, nowMs) {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = aadTimestamp(nowMs);
  return {
    error,
    error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  };
}

const CERT_DOC = "https://learn.microsoft.com/entra/identity-platform/certificate-credentials";

/** Fixed-width UTC time the way AADSTS700024 prints it: 2024-10-02T22:05:03.6755165Z */
function aadTime(ms) {
  return `${new Date(ms).toISOString().slice(0, 19)}.${String(Math.floor(ms % 1000)).padStart(3, "0")}0000Z`;
}

// [error, AADSTS code, HTTP status, text]. Codes and texts: the AADSTS table in
// reference-error-codes (7000215, 700016, 90002, 700027, 50027, 50048, 70011, 70003, 900144,
// 7000218, 90006) and, where that table gives only a name, the wording the service prints
// (700024, 700021 are the service's texts as users report them; see README).
// invalid_client answers 401 (RFC 6749 section 5.2 and what the service sends for 7000215);
// every other error answers 400 as the client-credentials page documents.
export const AAD = {
  missingParameter: (name) => ["invalid_request", 900144, 400, `The request body must contain the following parameter: '${name}'.`],
  unsupportedGrant: (gt) => ["unsupported_grant_type", 70003, 400, `The app requested an unsupported grant type '${gt}'.`],
  tenantNotFound: (tenant) => ["invalid_request", 90002, 400, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`],
  appNotFound: (clientId, tenant) => ["unauthorized_client", 700016, 400, `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`],
  invalidScope: (scope) => ["invalid_scope", 70011, 400, `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`],
  noCredential: () => ["invalid_client", 7000218, 401, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."],
  badSecret: (clientId) => ["invalid_client", 7000215, 401, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`],
  keyNotFound: (hexThumb, clientId) => ["invalid_client", 700027, 401, `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${hexThumb}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'. Review the documentation at https://docs.microsoft.com/en-us/graph/deployments to determine the corresponding service endpoint and https://docs.microsoft.com/en-us/graph/api/application-get?view=graph-rest-1.0&tabs=http to build a query request URL, such as 'https://graph.microsoft.com/beta/applications/${clientId}']`],
  badSignature: (hexThumb) => ["invalid_client", 700027, 401, `Client assertion contains an invalid signature. [Reason - The key was found, but the signature does not match the key., Thumbprint of key used by client: '${hexThumb}']`],
  malformedAssertion: () => ["invalid_client", 50027, 401, "JWT token is invalid or malformed."],
  wrongAudience: () => ["invalid_client", 50027, 401, "JWT token is invalid or malformed. The audience of the client assertion is not the token endpoint of this tenant."],
  subjectMismatch: () => ["invalid_client", 50048, 401, "Subject mismatches Issuer claim in the client assertion."],
  clientIdMismatch: () => ["invalid_client", 700021, 401, `Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at ${CERT_DOC} .`],
  timeRange: (nowMs, nbfMs, expMs) => ["invalid_client", 700024, 401, `Client assertion is not within its valid time range. Current time: ${aadTime(nowMs)}, assertion valid from ${aadTime(nbfMs)}, expiry time of assertion ${aadTime(expMs)}. Review the documentation at ${CERT_DOC} .`],
  unavailable: () => ["temporarily_unavailable", 90006, 503, "The service is temporarily unavailable."],
  throttled: () => ["temporarily_unavailable", 90055, 429, "TenantThrottlingError - There are too many incoming requests."],
};

/** Builds {status, body} from an AAD entry (one of the AAD.* results). */
export function aadRefusal([error, code, status, text], nowMs) {
  return { status, body: aadErrorBody(error, code, text, nowMs) };
}
