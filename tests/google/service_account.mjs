// Test service accounts: a key file shaped like the JSON key Google Cloud hands out, plus a
// helper that signs a JWT-bearer assertion the way Google's guide describes.
//
// Key file fields: https://cloud.google.com/iam/docs/keys-create-delete#creating
//   (type, project_id, private_key_id, private_key, client_email, client_id, auth_uri,
//    token_uri, auth_provider_x509_cert_url, client_x509_cert_url, universe_domain)
// Assertion: https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests
//   header {"alg":"RS256","typ":"JWT","kid":<private_key_id>}
//   claims {iss, sub?, scope, aud: "https://oauth2.googleapis.com/token", iat, exp <= iat + 3600}

import { createSign, generateKeyPairSync, randomBytes, randomInt } from "node:crypto";

export const GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token";

function randomDigits(n) {
  let s = String(randomInt(1, 10));
  while (s.length < n) s += String(randomInt(0, 10));
  return s;
}

/**
 * @param {{clientEmail?: string, tokenUri?: string, projectId?: string}} [opts]
 *   tokenUri defaults to Google's; set it to the stand-in's `tokenUrl` once that is known
 *   (keyJson is a plain object, so `sa.keyJson.token_uri = standin.tokenUrl` also works).
 * @returns {{keyJson: object, publicKey: import("node:crypto").KeyObject}}
 */
export function makeServiceAccount({ clientEmail, tokenUri, projectId } = {}) {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const project = projectId ?? `dirbridge-test-${randomBytes(3).toString("hex")}`;
  const email = clientEmail ?? `dirbridge-sync@${project}.iam.gserviceaccount.com`;
  const keyJson = {
    type: "service_account",
    project_id: project,
    private_key_id: randomBytes(20).toString("hex"),
    private_key: privateKey.export({ type: "pkcs8", format: "pem" }),
    client_email: email,
    client_id: randomDigits(21),
    auth_uri: "https://accounts.google.com/o/oauth2/auth",
    token_uri: tokenUri ?? GOOGLE_TOKEN_AUDIENCE,
    auth_provider_x509_cert_url: "https://www.googleapis.com/oauth2/v1/certs",
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(email)}`,
    universe_domain: "googleapis.com",
  };
  return { keyJson, publicKey };
}

export function base64url(bufOrString) {
  return Buffer.from(bufOrString).toString("base64url");
}

/**
 * Signs a JWT-bearer assertion with the key file's private key. Every field can be overridden
 * so tests can build bad assertions (wrong aud, expired, unknown kid, other alg...).
 * @param {object} keyJson a key file from makeServiceAccount
 * @param {{sub?: string, scope?: string|string[], aud?: string, iat?: number, exp?: number,
 *          iss?: string, header?: object, claims?: object, signWith?: string}} [opts]
 *   iat/exp are seconds; default iat = now, exp = iat + 3600. `claims` are merged last.
 *   `signWith` is a PEM private key to sign with instead of keyJson's.
 */
export function signJwtAssertion(keyJson, opts = {}) {
  const iat = opts.iat ?? Math.floor(Date.now() / 1000);
  const header = opts.header ?? { alg: "RS256", typ: "JWT", kid: keyJson.private_key_id };
  const scope = Array.isArray(opts.scope) ? opts.scope.join(" ") : opts.scope;
  const claims = {
    iss: opts.iss ?? keyJson.client_email,
    ...(opts.sub !== undefined ? { sub: opts.sub } : {}),
    ...(scope !== undefined ? { scope } : {}),
    aud: opts.aud ?? GOOGLE_TOKEN_AUDIENCE,
    iat,
    exp: opts.exp ?? iat + 3600,
    ...(opts.claims ?? {}),
  };
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signer = createSign("RSA-SHA256");
  signer.update(input);
  const signature = signer.sign(opts.signWith ?? keyJson.private_key).toString("base64url");
  return `${input}.${signature}`;
}
