// Verifies a JWT-bearer assertion the way Google's token endpoint does for service accounts.
//
// Source: "Using OAuth 2.0 for Server to Server Applications"
//   https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests
//   - header: {"alg":"RS256","typ":"JWT","kid":<private_key_id>}  ("Forming the JWT header")
//   - claims: iss (service account email), scope (space-delimited), aud (always
//     "https://oauth2.googleapis.com/token"), exp (at most 1 hour after iat), iat;
//     sub (the user to impersonate, domain-wide delegation)          ("JWT claim set")
//   - signed with RSA SHA-256 (RS256) using the key from the key file ("Computing the signature")
//   - error codes: https://developers.google.com/identity/protocols/oauth2/service-account#error-codes
// Domain-wide delegation (sub must be a user the client was delegated for, scopes must be
// among the delegated ones): https://support.google.com/a/answer/162106

import { createPublicKey, verify as cryptoVerify } from "node:crypto";
import { OAUTH_MESSAGES } from "./google_errors.mjs";
import { GOOGLE_TOKEN_AUDIENCE } from "./service_account.mjs";

export const DEFAULT_ALLOWED_SCOPES = Object.freeze([
  "https://www.googleapis.com/auth/admin.directory.user.readonly",
  "https://www.googleapis.com/auth/admin.directory.group.readonly",
  "https://www.googleapis.com/auth/admin.directory.group.member.readonly",
  "https://www.googleapis.com/auth/admin.reports.audit.readonly",
]);

const CLOCK_SKEW_SECONDS = 60;
const MAX_LIFETIME_SECONDS = 3600;
const B64URL = /^[A-Za-z0-9_-]*$/;

/** Service accounts the stand-in knows, looked up by key id or by client email. */
export class ServiceAccountRegistry {
  constructor() {
    this.byKid = new Map();
    this.byEmail = new Map();
  }

  /**
   * @param {{keyJson: object, publicKey?: import("node:crypto").KeyObject|string, scopes?: string[]}} account
   *   scopes: the scopes delegated to this client (default DEFAULT_ALLOWED_SCOPES).
   */
  register({ keyJson, publicKey, scopes }) {
    const key = publicKey?.type === "public" ? publicKey : createPublicKey(publicKey ?? keyJson.private_key);
    const email = keyJson.client_email.toLowerCase();
    const existing = this.byEmail.get(email);
    const account = existing ?? {
      clientEmail: keyJson.client_email,
      clientId: keyJson.client_id,
      keys: new Map(),
      scopes: new Set(scopes ?? DEFAULT_ALLOWED_SCOPES),
    };
    if (existing && scopes) account.scopes = new Set(scopes);
    account.keys.set(keyJson.private_key_id, key);
    this.byKid.set(keyJson.private_key_id, account);
    this.byEmail.set(email, account);
    return account;
  }
}

function decodeSegment(seg) {
  if (!B64URL.test(seg)) return null;
  try {
    const v = JSON.parse(Buffer.from(seg, "base64url").toString("utf8"));
    return v && typeof v === "object" && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

const refuse = (error, description) => ({ ok: false, error, description });

/**
 * @param {string} assertion compact JWT
 * @param {{registry: ServiceAccountRegistry, admins: Set<string>, nowMs: number}} ctx
 *   admins: lower-cased emails the client may impersonate (sub).
 * @returns {{ok: true, account: object, sub: string, scopes: string[]} |
 *           {ok: false, error: string, description: string}}
 */
export function verifyJwtAssertion(assertion, { registry, admins, nowMs }) {
  const parts = assertion.split(".");
  if (parts.length !== 3) return refuse("invalid_request", "Invalid JWT: expected three dot-separated segments.");
  const header = decodeSegment(parts[0]);
  const claims = decodeSegment(parts[1]);
  if (!header || !claims || !B64URL.test(parts[2])) {
    return refuse("invalid_request", "Invalid JWT: segments must be base64url-encoded JSON objects.");
  }

  // Header: only RS256 JWTs are accepted (no "none", no HMAC with the public key).
  if (header.alg !== "RS256" || header.typ !== "JWT") return refuse("invalid_grant", OAUTH_MESSAGES.badSignature);

  // Issuer must be a registered service account.
  if (typeof claims.iss !== "string") return refuse("invalid_grant", OAUTH_MESSAGES.accountNotFound);
  const account = registry.byEmail.get(claims.iss.toLowerCase());
  if (!account) return refuse("invalid_grant", OAUTH_MESSAGES.accountNotFound);

  // Key: by kid when given (it must be one of this account's keys), else any of its keys.
  let keys;
  if (header.kid !== undefined) {
    const key = account.keys.get(header.kid);
    if (!key) return refuse("invalid_grant", OAUTH_MESSAGES.badSignature);
    keys = [key];
  } else {
    keys = [...account.keys.values()];
  }
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2], "base64url");
  if (!keys.some((k) => cryptoVerify("RSA-SHA256", signed, k, signature))) {
    return refuse("invalid_grant", OAUTH_MESSAGES.badSignature);
  }

  if (claims.aud !== GOOGLE_TOKEN_AUDIENCE) return refuse("invalid_grant", OAUTH_MESSAGES.audience);

  const now = Math.floor(nowMs / 1000);
  const { iat, exp } = claims;
  if (!Number.isInteger(iat) || !Number.isInteger(exp) || iat > now + CLOCK_SKEW_SECONDS ||
      exp <= now || exp <= iat || exp - iat > MAX_LIFETIME_SECONDS) {
    return refuse("invalid_grant", OAUTH_MESSAGES.timeframe);
  }

  if (typeof claims.scope !== "string" || claims.scope.trim() === "") {
    return refuse("invalid_scope", OAUTH_MESSAGES.invalidScope);
  }
  const scopes = claims.scope.trim().split(/\s+/);

  // Domain-wide delegation: an admin to impersonate, and only delegated scopes.
  if (typeof claims.sub !== "string" || !admins.has(claims.sub.toLowerCase())) {
    return refuse("unauthorized_client", OAUTH_MESSAGES.unauthorizedClient);
  }
  if (!scopes.every((s) => account.scopes.has(s))) {
    return refuse("unauthorized_client", OAUTH_MESSAGES.unauthorizedClient);
  }
  return { ok: true, account, sub: claims.sub, scopes };
}
