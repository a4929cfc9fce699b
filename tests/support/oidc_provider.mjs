// A local stand-in for an OpenID Connect provider (the tenant's IdP, as dirbridge's K2
// service sees it): signing keys, a JWKS, a discovery document and ID tokens. Plain
// node:http and node:crypto, no dependencies. It signs tokens in-process (mintIdToken);
// it has no authorization or token endpoint, because dirbridge never calls them.
//
// Sources (the public contract, nothing provider-specific):
//   OpenID Connect Core 1.0 §2 (ID token: iss, sub, aud, exp, iat, nonce; aud may be an
//     array), §3.1.3.7 (validation), §10.1.1 (rotation: a new kid in jwks_uri):
//     https://openid.net/specs/openid-connect-core-1_0.html
//   OpenID Connect Discovery 1.0 §3 (metadata), §4 (issuer + "/.well-known/openid-configuration"):
//     https://openid.net/specs/openid-connect-discovery-1_0.html
//   RFC 7515 (JWS compact serialization, base64url without padding), RFC 7517 (JWK / JWK Set:
//   kid, kty, use, alg), RFC 7518 §3.2 (HS256), §3.3 (RS256: RSASSA-PKCS1-v1_5 SHA-256),
//   §3.4 (ES256: P-256, the signature is R || S, 64 bytes), §3.6 ("none": empty signature),
//   RFC 7519 (JWT: exp, nbf, iat, jti).
//
//   const idp = await startOidcProvider({ name: "entra", algs: ["RS256", "ES256"] });
//   const token = idp.mintIdToken({ email: "ada@example.com", nonce: "n-1" });
//   const stale = idp.rotate();            // the old RS256 key leaves the JWKS
//   idp.failJwks(503); idp.failJwks(null); idp.setJwksDelayMs(200);
//   idp.jwksFetches;                       // GET /keys so far
//   await idp.close();

import http from "node:http";
import { createHmac, generateKeyPairSync, randomBytes, randomUUID, sign as cryptoSign } from "node:crypto";
import { closeServer, listenOnLoopback } from "../loopback_server.mjs";

const JSON_TYPE = "application/json; charset=utf-8";
const SIGNING_ALGS = ["RS256", "ES256"];
const DEFAULT_LIFETIME_SECONDS = 300;

function b64url(bufOrString) {
  return Buffer.from(bufOrString).toString("base64url");
}

// {…a, …b} where a key b sets to undefined is dropped.
function mergeDropUndefined(a, b) {
  const out = { ...a, ...b };
  for (const [k, v] of Object.entries(out)) if (v === undefined) delete out[k];
  return out;
}

function newKeyPair(alg) {
  if (alg === "RS256") return generateKeyPairSync("rsa", { modulusLength: 2048 });
  if (alg === "ES256") return generateKeyPairSync("ec", { namedCurve: "P-256" });
  throw new Error(`oidc_provider: no key type for alg ${alg} (RS256 or ES256)`);
}

// The JWS signature of `input` with `privateKey`, by the key's own type: RSA keys sign
// RSASSA-PKCS1-v1_5 SHA-256 (RS256), EC keys ECDSA SHA-256 as R || S (ES256).
function signWithKey(input, privateKey) {
  const type = privateKey.asymmetricKeyType;
  if (type === "rsa") return cryptoSign("sha256", Buffer.from(input), privateKey);
  if (type === "ec") return cryptoSign("sha256", Buffer.from(input), { key: privateKey, dsaEncoding: "ieee-p1363" });
  throw new Error(`oidc_provider: cannot sign with a ${type} key`);
}

/**
 * @param {{name?: string, clientId?: string, algs?: string[], now?: () => number,
 *          defaultSub?: string, jwksCacheControl?: string}} [options]
 *   name: the issuer's last path segment is "idp-" + name (default "idp").
 *   clientId: the default `aud` (default "dirbridge-client").
 *   algs: the signing algs it starts with a key for and advertises (default ["RS256"];
 *     RS256 is always included, as Discovery §3 requires).
 *   now: a clock in ms for the default iat/exp (default Date.now).
 *   defaultSub: the default `sub` (default "user-1").
 *   jwksCacheControl: a Cache-Control header for /keys (default: none sent).
 */
export async function startOidcProvider(options = {}) {
  const name = options.name ?? "idp";
  const clientId = options.clientId ?? "dirbridge-client";
  const nowMs = options.now ?? Date.now;
  const defaultSub = options.defaultSub ?? "user-1";
  const algs = [...new Set(["RS256", ...(options.algs ?? [])])];
  for (const a of algs) {
    if (!SIGNING_ALGS.includes(a)) throw new Error(`oidc_provider: unsupported alg ${a} (RS256 or ES256)`);
  }

  // kid -> {kid, alg, privateKey, publicKey, published}; insertion order = age.
  const keys = new Map();
  let jwksFetches = 0;
  let discoveryFetches = 0;
  let jwksFailStatus = null;
  let jwksDelayMs = 0;
  const timers = new Set();
  let closed = false;

  function addKey(alg = "RS256") {
    const { privateKey, publicKey } = newKeyPair(alg);
    const kid = randomBytes(12).toString("base64url");
    keys.set(kid, { kid, alg, privateKey, publicKey, published: true });
    return kid;
  }

  function removeKey(kid) {
    const k = keys.get(kid);
    if (!k || !k.published) return false;
    k.published = false; // the private key stays, for tokens that must now fail
    return true;
  }

  function rotate(alg = "RS256") {
    for (const k of keys.values()) if (k.alg === alg) k.published = false;
    return addKey(alg);
  }

  function currentKid(alg) {
    let kid = null;
    for (const k of keys.values()) if (k.alg === alg && k.published) kid = k.kid;
    return kid;
  }

  function jwks() {
    const out = [];
    for (const k of keys.values()) {
      if (!k.published) continue;
      const pub = k.publicKey.export({ format: "jwk" }); // RSA {kty, n, e}; EC {kty, crv, x, y}
      out.push({ kid: k.kid, kty: pub.kty, alg: k.alg, use: "sig", ...pub });
    }
    return { keys: out };
  }

  for (const a of algs) addKey(a);

  /**
   * A compact JWS ID token.
   * @param {object} [claims] merged over the defaults; a claim set to undefined is removed.
   * @param {{kid?: string, alg?: "RS256"|"ES256"|"none"|"HS256", hmacKey?: string|Buffer,
   *          header?: object, signWith?: import("node:crypto").KeyObject,
   *          tamperPayload?: boolean|object|((payload: object) => object),
   *          omitSignature?: boolean|"segment"}} [opts]
   *   kid: sign with this key (published or removed); alg defaults to its alg.
   *   alg: without kid, the newest published key of that alg signs; "none" gives an empty
   *     signature and "HS256" an HMAC with opts.hmacKey (neither has a kid unless given).
   *   header: merged last over {alg, typ: "JWT", kid}; undefined removes a field.
   *   signWith: a private KeyObject that signs instead (RSA -> RS256 scheme, EC -> ES256);
   *     the header keeps the kid, so the signature does not match the published key.
   *   tamperPayload: after signing, the payload is replaced: true changes sub, an object is
   *     merged over the claims, a function maps the claims to new ones.
   *   omitSignature: true ends the token "header.payload." ; "segment" drops the last dot too.
   */
  function mintIdToken(claims = {}, opts = {}) {
    let key = null;
    if (opts.kid !== undefined) {
      key = keys.get(opts.kid);
      if (!key) throw new Error(`oidc_provider: no key ${opts.kid}`);
    }
    const alg = opts.alg ?? key?.alg ?? "RS256";
    if (!key && SIGNING_ALGS.includes(alg)) {
      const kid = currentKid(alg);
      if (!kid) throw new Error(`oidc_provider: no published ${alg} key (pass opts.kid or addKey("${alg}"))`);
      key = keys.get(kid);
    }
    const header = mergeDropUndefined({ alg, typ: "JWT", ...(key ? { kid: key.kid } : {}) }, opts.header ?? {});

    const iat = Math.floor(nowMs() / 1000);
    const payload = mergeDropUndefined({
      iss: issuer,
      sub: defaultSub,
      aud: clientId,
      iat,
      exp: iat + DEFAULT_LIFETIME_SECONDS,
      jti: randomUUID(),
    }, claims);

    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
    let signature;
    if (opts.signWith) signature = signWithKey(input, opts.signWith);
    else if (alg === "none") signature = Buffer.alloc(0);
    else if (alg === "HS256") {
      if (opts.hmacKey === undefined) throw new Error("oidc_provider: HS256 needs opts.hmacKey");
      signature = createHmac("sha256", opts.hmacKey).update(input).digest();
    } else if (key) signature = signWithKey(input, key.privateKey);
    else throw new Error(`oidc_provider: cannot sign alg ${alg} (RS256, ES256, HS256, none)`);

    let [h, p] = input.split(".");
    if (opts.tamperPayload) {
      const t = opts.tamperPayload;
      const changed = typeof t === "function" ? t({ ...payload })
        : typeof t === "object" ? mergeDropUndefined(payload, t)
          : { ...payload, sub: `${payload.sub ?? ""}-tampered` };
      p = b64url(JSON.stringify(changed));
    }
    if (opts.omitSignature === "segment") return `${h}.${p}`;
    if (opts.omitSignature) return `${h}.${p}.`;
    return `${h}.${p}.${b64url(signature)}`;
  }

  // ---- HTTP -----------------------------------------------------------------------------

  function sendJson(res, status, body, headers = {}) {
    const raw = JSON.stringify(body);
    res.writeHead(status, { "Content-Type": JSON_TYPE, "Content-Length": Buffer.byteLength(raw), ...headers });
    res.end(raw);
  }

  function discovery() {
    return {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: jwksUri,
      response_types_supported: ["code", "id_token", "code id_token"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: algs,
      scopes_supported: ["openid", "email", "profile"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "private_key_jwt"],
      claims_supported: ["iss", "sub", "aud", "exp", "iat", "nbf", "jti", "nonce", "email", "preferred_username", "name"],
    };
  }

  function answerJwks(res) {
    if (jwksFailStatus !== null) {
      sendJson(res, jwksFailStatus, { error: "server_error", error_description: `stand-in JWKS fault ${jwksFailStatus}` });
      return;
    }
    sendJson(res, 200, jwks(), options.jwksCacheControl ? { "Cache-Control": options.jwksCacheControl } : {});
  }

  const server = http.createServer((req, res) => {
    req.resume(); // GETs only; a body is read and dropped
    const path = new URL(req.url, "http://x").pathname;
    const route = path === discoveryPath ? "discovery" : path === keysPath ? "keys" : null;
    if (!route) return sendJson(res, 404, { error: "not_found" });
    if (req.method !== "GET" && req.method !== "HEAD") {
      return sendJson(res, 405, { error: "method_not_allowed" }, { Allow: "GET, HEAD" });
    }
    if (route === "discovery") {
      discoveryFetches++;
      return sendJson(res, 200, discovery());
    }
    jwksFetches++;
    if (jwksDelayMs > 0) {
      const t = setTimeout(() => {
        timers.delete(t);
        if (!res.destroyed) answerJwks(res);
      }, jwksDelayMs);
      timers.add(t);
      return;
    }
    answerJwks(res);
  });

  const base = await listenOnLoopback(server);
  const issuerPath = `/idp-${name}`;
  const discoveryPath = `${issuerPath}/.well-known/openid-configuration`;
  const keysPath = `${issuerPath}/keys`;
  const issuer = `${base}${issuerPath}`;
  const jwksUri = `${issuer}/keys`;
  const discoveryUri = `${issuer}/.well-known/openid-configuration`;

  return {
    issuer,
    jwksUri,
    discoveryUri,
    clientId,
    get jwksFetches() { return jwksFetches; },
    get discoveryFetches() { return discoveryFetches; },
    addKey,
    removeKey,
    rotate,
    /** The kid a mint without opts.kid uses for `alg`, or null. */
    currentKid: (alg = "RS256") => currentKid(alg),
    /** The JWK Set /keys serves now (a fresh copy). */
    jwks,
    /** {privateKey, publicKey} KeyObjects of a key, published or removed. */
    keyPair(kid) {
      const k = keys.get(kid);
      if (!k) throw new Error(`oidc_provider: no key ${kid}`);
      return { privateKey: k.privateKey, publicKey: k.publicKey };
    },
    mintIdToken,
    /** /keys answers `status` with a JSON error body until failJwks(null). */
    failJwks(statusOrNull) { jwksFailStatus = statusOrNull ?? null; },
    /** /keys waits `ms` before answering (0: at once). */
    setJwksDelayMs(ms) { jwksDelayMs = Math.max(0, Number(ms) || 0); },
    async close() {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await closeServer(server);
    },
  };
}
