// The Microsoft identity platform's client-credentials grant, as the stand-in's token endpoint
// checks it, plus test-side helpers that make app registrations and sign client assertions.
//
// Sources:
//   Client credentials flow:
//     https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
//     POST /{tenant}/oauth2/v2.0/token, application/x-www-form-urlencoded:
//       grant_type=client_credentials, client_id, scope={resource}/.default, and either
//       client_secret (or HTTP Basic client authentication, which the page says is also
//       supported) or client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer
//       + client_assertion. {tenant} is a GUID or a domain name.
//     Success: {"token_type": "Bearer", "expires_in": 3599, "access_token"}; the service's
//       answers also carry "ext_expires_in" (the extended lifetime), and so do the stand-in's.
//   Certificate credentials (the assertion):
//     https://learn.microsoft.com/entra/identity-platform/certificate-credentials
//     header: alg RS256 with x5t = base64url SHA-1 thumbprint of the certificate's DER, or (the
//       page's current revision) alg PS256 with x5t#S256 = base64url SHA-256 thumbprint; typ JWT.
//     claims: aud = https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token, iss = sub =
//       the application (client) id, jti, nbf, exp ("Microsoft Entra ID doesn't place
//       restrictions on the exp time currently"), iat.
//   Error codes: https://learn.microsoft.com/entra/identity-platform/reference-error-codes

import {
  createHash, createPrivateKey, createPublicKey, createSign, constants as cryptoConstants,
  generateKeyPairSync, randomBytes, randomUUID, verify as cryptoVerify, X509Certificate,
} from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AAD } from "./graph_errors.mjs";

export const CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
export const GRAPH_RESOURCE = "https://graph.microsoft.com";
export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
export const GRAPH_DEFAULT_SCOPE = `${GRAPH_RESOURCE}/.default`;
// The application permissions an app gets unless registerApp says otherwise.
export const DEFAULT_ROLES = Object.freeze(["User.Read.All", "Group.Read.All"]);

/** The audience a client assertion must carry (certificate-credentials, "Claims"). */
export function assertionAudience(tenantId) {
  return `https://login.microsoftonline.com/${tenantId}/oauth2/v2.0/token`;
}

const B64URL = /^[A-Za-z0-9_-]*$/;
const DEFAULT_SKEW_SECONDS = 300;

/** {x5t, x5tS256} of a PEM (or DER) certificate: base64url SHA-1 / SHA-256 of its DER. */
export function thumbprintsOf(certificatePem) {
  const der = new X509Certificate(certificatePem).raw;
  return {
    x5t: createHash("sha1").update(der).digest("base64url"),
    x5tS256: createHash("sha256").update(der).digest("base64url"),
  };
}

function hexOf(b64url) {
  return Buffer.from(b64url, "base64url").toString("hex").toUpperCase();
}

// ---- registry ---------------------------------------------------------------------------------

/** App registrations (their service principals) in the stand-in's tenant. */
export class AppRegistry {
  constructor() {
    this.byClientId = new Map();
  }

  /**
   * @param {{clientId: string, clientSecret?: string, clientSecrets?: string[],
   *          certificate?: {certificatePem?: string, publicKeyPem?: string,
   *            publicKey?: import("node:crypto").KeyObject, thumbprint?: string},
   *          certificates?: object[], roles?: string[], displayName?: string,
   *          servicePrincipalId?: string}} app
   *   A certificate is given either as certificatePem (thumbprints computed from its DER, as
   *   the portal does) or as a public key plus its x5t thumbprint.
   */
  register(app) {
    if (typeof app?.clientId !== "string" || !app.clientId) throw new Error("registerApp: clientId is required");
    const existing = this.byClientId.get(app.clientId.toLowerCase());
    const rec = existing ?? {
      clientId: app.clientId,
      displayName: app.displayName ?? `dirbridge test app ${app.clientId.slice(0, 8)}`,
      servicePrincipalId: app.servicePrincipalId ?? randomUUID(),
      secrets: new Set(),
      keys: [], // {x5t, x5tS256?, key}
      roles: new Set(app.roles ?? DEFAULT_ROLES),
    };
    if (existing && app.roles) rec.roles = new Set(app.roles);
    for (const s of [app.clientSecret, ...(app.clientSecrets ?? [])]) if (typeof s === "string") rec.secrets.add(s);
    for (const c of [app.certificate, ...(app.certificates ?? [])]) {
      if (!c) continue;
      if (c.certificatePem) {
        const cert = new X509Certificate(c.certificatePem);
        rec.keys.push({ ...thumbprintsOf(c.certificatePem), key: cert.publicKey });
      } else {
        const key = c.publicKey?.type === "public" ? c.publicKey : createPublicKey(c.publicKeyPem ?? c.publicKey);
        if (typeof c.thumbprint !== "string") throw new Error("registerApp: a certificate without certificatePem needs its thumbprint (x5t)");
        rec.keys.push({ x5t: c.thumbprint, x5tS256: c.thumbprintS256, key });
      }
    }
    this.byClientId.set(app.clientId.toLowerCase(), rec);
    return rec;
  }

  get(clientId) {
    return typeof clientId === "string" ? this.byClientId.get(clientId.toLowerCase()) : undefined;
  }
}

// ---- the token request ------------------------------------------------------------------------

function decodeSegment(seg) {
  if (!B64URL.test(seg)) return null;
  try {
    const v = JSON.parse(Buffer.from(seg, "base64url").toString("utf8"));
    return v && typeof v === "object" && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

/** Client id and secret from an HTTP Basic header (RFC 6749 section 2.3.1: form-encoded parts). */
export function basicCredentials(header) {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? "");
  if (!m) return null;
  const raw = Buffer.from(m[1], "base64").toString("utf8");
  const i = raw.indexOf(":");
  if (i < 0) return null;
  const dec = (s) => { try { return decodeURIComponent(s.replace(/\+/g, " ")); } catch { return s; } };
  return { clientId: dec(raw.slice(0, i)), clientSecret: dec(raw.slice(i + 1)) };
}

const refuse = (entry) => ({ ok: false, refusal: entry });

/**
 * Checks a client-credentials token request.
 * @param {URLSearchParams} form
 * @param {{tenantKey: string, tenantId: string, tenantNames: string[], registry: AppRegistry,
 *          nowMs: number, authorization?: string, audiences: string[], skewSeconds?: number}} ctx
 *   tenantKey: the {tenant} path segment. audiences: accepted assertion audiences.
 * @returns {{ok: true, app: object, credential: "secret"|"certificate", scope: string} |
 *           {ok: false, refusal: any[]}}  refusal is an AAD.* entry
 */
export function verifyTokenRequest(form, ctx) {
  const { tenantKey, tenantId, tenantNames, registry, nowMs } = ctx;
  const known = tenantKey.toLowerCase() === tenantId.toLowerCase() ||
    tenantNames.some((n) => n.toLowerCase() === tenantKey.toLowerCase());
  if (!known) return refuse(AAD.tenantNotFound(tenantKey));

  const grantType = form.get("grant_type");
  if (!grantType) return refuse(AAD.missingParameter("grant_type"));
  if (grantType !== "client_credentials") return refuse(AAD.unsupportedGrant(grantType));

  const basic = basicCredentials(ctx.authorization);
  const clientId = form.get("client_id") ?? basic?.clientId;
  if (!clientId) return refuse(AAD.missingParameter("client_id"));

  const scope = form.get("scope");
  if (!scope) return refuse(AAD.missingParameter("scope"));
  const scopes = scope.trim().split(/\s+/);
  const graphDefault = new Set([GRAPH_DEFAULT_SCOPE, `${GRAPH_RESOURCE}//.default`, `${GRAPH_APP_ID}/.default`]);
  if (scopes.length !== 1 || !graphDefault.has(scopes[0])) return refuse(AAD.invalidScope(scope));

  const app = registry.get(clientId);
  if (!app) return refuse(AAD.appNotFound(clientId, tenantKey));

  const secret = form.get("client_secret") ?? basic?.clientSecret ?? null;
  const assertionType = form.get("client_assertion_type");
  const assertion = form.get("client_assertion");
  if (secret !== null) {
    if (!app.secrets.has(secret)) return refuse(AAD.badSecret(app.clientId));
    return { ok: true, app, credential: "secret", scope: scopes[0] };
  }
  if (assertion === null && assertionType === null) return refuse(AAD.noCredential());
  if (assertionType !== CLIENT_ASSERTION_TYPE) return refuse(AAD.missingParameter("client_assertion_type"));
  if (!assertion) return refuse(AAD.missingParameter("client_assertion"));
  const v = verifyClientAssertion(assertion, { app, clientId, nowMs, audiences: ctx.audiences, skewSeconds: ctx.skewSeconds });
  if (!v.ok) return v;
  return { ok: true, app, credential: "certificate", scope: scopes[0] };
}

/**
 * The assertion checks, in the order the service reports them: shape, key (by thumbprint),
 * signature, issuer/subject, audience, time range.
 */
export function verifyClientAssertion(assertion, { app, clientId, nowMs, audiences, skewSeconds = DEFAULT_SKEW_SECONDS }) {
  const parts = assertion.split(".");
  if (parts.length !== 3) return refuse(AAD.malformedAssertion());
  const header = decodeSegment(parts[0]);
  const claims = decodeSegment(parts[1]);
  if (!header || !claims || !B64URL.test(parts[2]) || parts[2] === "") return refuse(AAD.malformedAssertion());

  // Key: x5t (SHA-1) or x5t#S256 (SHA-256) must name a certificate registered on the app.
  let key;
  let hexThumb;
  if (typeof header["x5t#S256"] === "string") {
    hexThumb = hexOf(header["x5t#S256"]);
    key = app.keys.find((k) => k.x5tS256 && k.x5tS256 === header["x5t#S256"]);
  } else if (typeof header.x5t === "string") {
    hexThumb = hexOf(header.x5t);
    key = app.keys.find((k) => k.x5t === header.x5t);
  } else {
    return refuse(AAD.malformedAssertion());
  }
  if (!key) return refuse(AAD.keyNotFound(hexThumb, app.clientId));

  // Signature: RS256 (PKCS#1 v1.5) or PS256 (PSS, salt = hash length, RFC 7518 section 3.5);
  // nothing else (no "none", no HMAC keyed with the public key).
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2], "base64url");
  let good = false;
  if (header.alg === "RS256") {
    good = cryptoVerify("sha256", signed, key.key, signature);
  } else if (header.alg === "PS256") {
    good = cryptoVerify("sha256", signed, {
      key: key.key,
      padding: cryptoConstants.RSA_PKCS1_PSS_PADDING,
      saltLength: cryptoConstants.RSA_PSS_SALTLEN_DIGEST,
    }, signature);
  }
  if (!good) return refuse(AAD.badSignature(hexThumb));

  if (typeof claims.iss !== "string" || claims.iss !== claims.sub) return refuse(AAD.subjectMismatch());
  if (claims.iss.toLowerCase() !== clientId.toLowerCase()) return refuse(AAD.clientIdMismatch());
  if (typeof claims.aud !== "string" || !audiences.includes(claims.aud)) return refuse(AAD.wrongAudience());
  if (typeof claims.jti !== "string" || claims.jti === "") return refuse(AAD.malformedAssertion());

  const now = nowMs / 1000;
  const { exp } = claims;
  const nbf = claims.nbf ?? claims.iat;
  if (!Number.isFinite(exp) || (nbf !== undefined && !Number.isFinite(nbf))) return refuse(AAD.malformedAssertion());
  if (exp + skewSeconds <= now || (nbf !== undefined && nbf - skewSeconds > now)) {
    return refuse(AAD.timeRange(nowMs, (nbf ?? 0) * 1000, exp * 1000));
  }
  return { ok: true };
}

// ---- test-side helpers --------------------------------------------------------------------------

let opensslAvailable;
function haveOpenssl() {
  if (opensslAvailable === undefined) {
    try {
      execFileSync("openssl", ["version"], { stdio: "ignore" });
      opensslAvailable = true;
    } catch {
      opensslAvailable = false;
    }
  }
  return opensslAvailable;
}

/**
 * A self-signed certificate and its key. With openssl on the PATH this is a real X.509
 * certificate and x5t is base64url(SHA-1(DER of the certificate)), as Microsoft computes it.
 * Without openssl there is no certificate: x5t is then base64url(SHA-1(DER of the
 * SubjectPublicKeyInfo)) - a documented deviation (README), still unique per key.
 */
export function makeCertificate({ subject = "/CN=dirbridge-graph-test" } = {}) {
  if (haveOpenssl()) {
    const dir = mkdtempSync(join(tmpdir(), "graph-standin-cert-"));
    try {
      execFileSync("openssl", [
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "30",
        "-subj", subject, "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"),
      ], { stdio: "ignore" });
      const privateKeyPem = createPrivateKey(readFileSync(join(dir, "key.pem"))).export({ type: "pkcs8", format: "pem" });
      const certificatePem = readFileSync(join(dir, "cert.pem"), "utf8");
      const { x5t, x5tS256 } = thumbprintsOf(certificatePem);
      return { privateKeyPem, certificatePem, thumbprint: x5t, thumbprintS256: x5tS256, selfSigned: true };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const spki = publicKey.export({ type: "spki", format: "der" });
  return {
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }),
    thumbprint: createHash("sha1").update(spki).digest("base64url"),
    thumbprintS256: createHash("sha256").update(spki).digest("base64url"),
    selfSigned: false,
  };
}

/**
 * An app registration for tests: {clientId, clientSecret, certificate?, roles}.
 * Pass the result to startGraphStandin({apps: [app]}) or standin.registerApp(app); the stand-in
 * only reads the public half of the certificate.
 * @param {{withCertificate?: boolean, withSecret?: boolean, clientId?: string, roles?: string[]}} [opts]
 */
export function makeApp({ withCertificate = false, withSecret = true, clientId, roles } = {}) {
  const app = { clientId: clientId ?? randomUUID() };
  // Portal-generated secrets are 40 characters drawn from letters, digits and ~ . _ -.
  if (withSecret) {
    const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789~._-";
    app.clientSecret = [...randomBytes(40)].map((b) => abc[b % abc.length]).join("");
  }
  if (withCertificate) app.certificate = makeCertificate();
  if (roles) app.roles = roles;
  return app;
}

/**
 * Signs a client assertion for `app` (certificate-credentials "Assertion format"). Every part
 * can be overridden so tests can build bad assertions.
 * @param {{certificate: {privateKeyPem: string, thumbprint: string, thumbprintS256?: string}, clientId: string}} app
 * @param {{aud?: string, tenantId?: string, iss?: string, sub?: string, jti?: string,
 *          nbf?: number, iat?: number, exp?: number, nowSeconds?: number, alg?: "RS256"|"PS256",
 *          header?: object, claims?: object, signWith?: string}} [opts]
 *   aud defaults to assertionAudience(tenantId). Times are seconds; exp defaults to nbf + 600.
 *   alg PS256 puts x5t#S256 in the header instead of x5t. `claims` are merged last.
 */
export function signClientAssertion(app, opts = {}) {
  if (!app.certificate?.privateKeyPem) throw new Error("signClientAssertion: app has no certificate");
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  const alg = opts.alg ?? "RS256";
  const header = opts.header ?? (alg === "PS256"
    ? { alg, typ: "JWT", "x5t#S256": app.certificate.thumbprintS256 }
    : { alg, typ: "JWT", x5t: app.certificate.thumbprint });
  const aud = opts.aud ?? (opts.tenantId ? assertionAudience(opts.tenantId) : undefined);
  if (aud === undefined) throw new Error("signClientAssertion: give aud or tenantId");
  const nbf = opts.nbf ?? now;
  const claims = {
    aud,
    exp: opts.exp ?? nbf + 600,
    iss: opts.iss ?? app.clientId,
    jti: opts.jti ?? randomUUID(),
    nbf,
    sub: opts.sub ?? app.clientId,
    iat: opts.iat ?? nbf,
    ...(opts.claims ?? {}),
  };
  const input = `${Buffer.from(JSON.stringify(header)).toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
  const key = opts.signWith ?? app.certificate.privateKeyPem;
  let signature;
  if (header.alg === "PS256") {
    signature = createSign("sha256").update(input).sign({
      key, padding: cryptoConstants.RSA_PKCS1_PSS_PADDING, saltLength: cryptoConstants.RSA_PSS_SALTLEN_DIGEST,
    });
  } else {
    signature = createSign("sha256").update(input).sign(key);
  }
  return `${input}.${signature.toString("base64url")}`;
}
