// The OIDC provider stand-in's own contract (tests/support/oidc_provider.mjs): discovery,
// JWKS, ID tokens checked with node:crypto alone, rotation, faults, closing.
// Run with: node --test tests/federation/oidc_provider.test.mjs

import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHmac, createPublicKey, generateKeyPairSync, verify as cryptoVerify } from "node:crypto";
import { startOidcProvider } from "../support/oidc_provider.mjs";

const PROVIDER_URL = new URL("../support/oidc_provider.mjs", import.meta.url);
const PRIVATE_JWK_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

function decode(token) {
  const parts = token.split(".");
  return {
    parts,
    header: JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8")),
    payload: JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")),
    input: Buffer.from(`${parts[0]}.${parts[1]}`),
    signature: Buffer.from(parts[2] ?? "", "base64url"),
  };
}

async function getJson(url) {
  const res = await fetch(url);
  return { status: res.status, headers: res.headers, body: await res.json() };
}

async function fetchJwks(idp) {
  const r = await getJson(idp.jwksUri);
  assert.equal(r.status, 200);
  return r.body;
}

// Verifies a token the way a relying party would: the JWK by kid from the served JWKS,
// createPublicKey({format: "jwk"}), crypto.verify. Returns false for any mismatch.
async function verifiesAgainstJwks(idp, token) {
  const { header, input, signature } = decode(token);
  const jwk = (await fetchJwks(idp)).keys.find((k) => k.kid === header.kid);
  if (!jwk || jwk.alg !== header.alg) return false;
  const key = createPublicKey({ key: jwk, format: "jwk" });
  if (header.alg === "RS256") return cryptoVerify("sha256", input, key, signature);
  if (header.alg === "ES256") return cryptoVerify("sha256", input, { key, dsaEncoding: "ieee-p1363" }, signature);
  return false;
}

describe("discovery and JWKS", () => {
  let idp;
  before(async () => { idp = await startOidcProvider({ name: "acme", algs: ["RS256", "ES256"], clientId: "app-123" }); });
  after(() => idp.close());

  test("issuer, jwksUri and discoveryUri have the documented shapes", () => {
    assert.match(idp.issuer, /^http:\/\/127\.0\.0\.1:\d+\/idp-acme$/);
    assert.equal(idp.jwksUri, `${idp.issuer}/keys`);
    assert.equal(idp.discoveryUri, `${idp.issuer}/.well-known/openid-configuration`);
  });

  test("the discovery document names the issuer, jwks_uri and signing algs", async () => {
    const fetchesBefore = idp.discoveryFetches;
    const r = await getJson(idp.discoveryUri);
    assert.equal(r.status, 200);
    assert.match(r.headers.get("content-type"), /^application\/json/);
    assert.equal(r.body.issuer, idp.issuer);
    assert.equal(r.body.jwks_uri, idp.jwksUri);
    assert.deepEqual(r.body.id_token_signing_alg_values_supported, ["RS256", "ES256"]);
    assert.ok(r.body.response_types_supported.includes("id_token"));
    assert.deepEqual(r.body.subject_types_supported, ["public"]);
    for (const f of ["authorization_endpoint", "token_endpoint"]) assert.ok(r.body[f].startsWith(idp.issuer), f);
    assert.equal(idp.discoveryFetches, fetchesBefore + 1);
  });

  test("the default issuer name is idp and RS256 is always there", async () => {
    const plain = await startOidcProvider();
    try {
      assert.match(plain.issuer, /\/idp-idp$/);
      const d = (await getJson(plain.discoveryUri)).body;
      assert.deepEqual(d.id_token_signing_alg_values_supported, ["RS256"]);
      const { keys } = await fetchJwks(plain);
      assert.equal(keys.length, 1);
      assert.equal(keys[0].kty, "RSA");
    } finally {
      await plain.close();
    }
  });

  test("JWKS: one RSA 2048 and one P-256 key, kid/kty/alg/use and public members only", async () => {
    const { keys } = await fetchJwks(idp);
    assert.equal(keys.length, 2);
    const rsa = keys.find((k) => k.kty === "RSA");
    const ec = keys.find((k) => k.kty === "EC");
    assert.ok(rsa && ec);
    assert.deepEqual(Object.keys(rsa).sort(), ["alg", "e", "kid", "kty", "n", "use"]);
    assert.deepEqual(Object.keys(ec).sort(), ["alg", "crv", "kid", "kty", "use", "x", "y"]);
    assert.equal(rsa.alg, "RS256");
    assert.equal(ec.alg, "ES256");
    assert.equal(ec.crv, "P-256");
    for (const k of keys) {
      assert.equal(k.use, "sig");
      assert.ok(typeof k.kid === "string" && k.kid.length >= 8);
      for (const m of PRIVATE_JWK_MEMBERS) assert.equal(k[m], undefined, `${k.kty} has ${m}`);
    }
    assert.notEqual(rsa.kid, ec.kid);
    assert.equal(Buffer.from(rsa.n, "base64url").length, 256);
    assert.equal(Buffer.from(ec.x, "base64url").length, 32);
    assert.equal(Buffer.from(ec.y, "base64url").length, 32);
    assert.equal(createPublicKey({ key: rsa, format: "jwk" }).asymmetricKeyDetails.modulusLength, 2048);
  });

  test("unknown paths are 404, other methods 405", async () => {
    assert.equal((await fetch(`${idp.issuer}/nothing`)).status, 404);
    assert.equal((await fetch(idp.jwksUri.replace("/idp-acme", "/idp-other"))).status, 404);
    const r = await fetch(idp.jwksUri, { method: "POST", body: "x" });
    assert.equal(r.status, 405);
    await r.arrayBuffer();
  });
});

describe("ID tokens", () => {
  let idp;
  before(async () => { idp = await startOidcProvider({ algs: ["RS256", "ES256"] }); });
  after(() => idp.close());

  test("RS256: default claims, verifies against the JWKS with node:crypto", async () => {
    const t0 = Math.floor(Date.now() / 1000);
    const token = idp.mintIdToken({ email: "ada@example.com", nonce: "n-1" });
    const { parts, header, payload, signature } = decode(token);
    assert.equal(parts.length, 3);
    assert.deepEqual(header, { alg: "RS256", typ: "JWT", kid: idp.currentKid("RS256") });
    assert.equal(payload.iss, idp.issuer);
    assert.equal(payload.aud, "dirbridge-client");
    assert.equal(payload.sub, "user-1");
    assert.ok(Math.abs(payload.iat - t0) <= 2);
    assert.equal(payload.exp, payload.iat + 300);
    assert.equal(payload.nbf, undefined);
    assert.match(payload.jti, /^[0-9a-f-]{36}$/);
    assert.equal(payload.email, "ada@example.com");
    assert.equal(payload.nonce, "n-1");
    assert.equal(signature.length, 256);
    assert.ok(!/[=+/]/.test(token), "base64url without padding");
    assert.equal(await verifiesAgainstJwks(idp, token), true);
  });

  test("ES256: a 64-byte R||S signature that verifies against the JWKS", async () => {
    const token = idp.mintIdToken({ sub: "u-9" }, { alg: "ES256" });
    const { header, payload, signature, input } = decode(token);
    assert.equal(header.alg, "ES256");
    assert.equal(header.kid, idp.currentKid("ES256"));
    assert.equal(payload.sub, "u-9");
    assert.equal(signature.length, 64);
    assert.equal(await verifiesAgainstJwks(idp, token), true);
    // DER would be 70-72 bytes and not verify as P1363.
    const jwk = (await fetchJwks(idp)).keys.find((k) => k.kid === header.kid);
    assert.equal(cryptoVerify("sha256", input, createPublicKey({ key: jwk, format: "jwk" }), signature), false);
  });

  test("given claims override, undefined removes, nbf only when given, jti differs", () => {
    const a = decode(idp.mintIdToken({ aud: ["x", "y"], iss: "https://other", jti: undefined, sub: undefined, nbf: 5, exp: 10, iat: 1 })).payload;
    assert.deepEqual(a, { iss: "https://other", aud: ["x", "y"], iat: 1, exp: 10, nbf: 5 });
    const j1 = decode(idp.mintIdToken()).payload.jti;
    const j2 = decode(idp.mintIdToken()).payload.jti;
    assert.notEqual(j1, j2);
  });

  test("the clientId and now options set aud and iat/exp", async () => {
    const fixed = Date.UTC(2030, 0, 1);
    const other = await startOidcProvider({ clientId: "cid-7", now: () => fixed, defaultSub: "00u1" });
    try {
      const p = decode(other.mintIdToken()).payload;
      assert.equal(p.aud, "cid-7");
      assert.equal(p.sub, "00u1");
      assert.equal(p.iat, fixed / 1000);
      assert.equal(p.exp, fixed / 1000 + 300);
    } finally {
      await other.close();
    }
  });

  test("header fields can be added, overridden and removed", () => {
    const { header } = decode(idp.mintIdToken({}, { header: { typ: undefined, kid: "nope", x5t: "abc" } }));
    assert.deepEqual(header, { alg: "RS256", kid: "nope", x5t: "abc" });
  });

  test("alg none: header alg none, no kid, empty signature", () => {
    const token = idp.mintIdToken({}, { alg: "none" });
    const { parts, header } = decode(token);
    assert.equal(parts.length, 3);
    assert.equal(parts[2], "");
    assert.ok(token.endsWith("."));
    assert.deepEqual(header, { alg: "none", typ: "JWT" });
  });

  test("HS256 with hmacKey: an HMAC-SHA256 over the signing input", () => {
    const token = idp.mintIdToken({}, { alg: "HS256", hmacKey: "shared" });
    const { header, input, signature } = decode(token);
    assert.equal(header.alg, "HS256");
    assert.equal(header.kid, undefined);
    assert.deepEqual(signature, createHmac("sha256", "shared").update(input).digest());
    assert.throws(() => idp.mintIdToken({}, { alg: "HS256" }), /hmacKey/);
  });

  test("signWith: the header keeps the kid but the signature does not verify", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const bad = idp.mintIdToken({}, { signWith: privateKey });
    assert.equal(decode(bad).header.kid, idp.currentKid("RS256"));
    assert.equal(await verifiesAgainstJwks(idp, bad), false);
    const { privateKey: ecKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const badEc = idp.mintIdToken({}, { alg: "ES256", signWith: ecKey });
    assert.equal(decode(badEc).signature.length, 64);
    assert.equal(await verifiesAgainstJwks(idp, badEc), false);
  });

  test("tamperPayload: the payload changes after signing, the signature no longer verifies", async () => {
    const t1 = decode(idp.mintIdToken({ sub: "ada" }, { tamperPayload: true }));
    assert.equal(t1.payload.sub, "ada-tampered");
    assert.equal(await verifiesAgainstJwks(idp, t1.parts.join(".")), false);
    const t2 = decode(idp.mintIdToken({ sub: "ada" }, { tamperPayload: { sub: "eve" } }));
    assert.equal(t2.payload.sub, "eve");
    const t3 = decode(idp.mintIdToken({ exp: 1 }, { alg: "ES256", tamperPayload: (p) => ({ ...p, exp: 9e9 }) }));
    assert.equal(t3.payload.exp, 9e9);
    assert.equal(await verifiesAgainstJwks(idp, t3.parts.join(".")), false);
  });

  test("omitSignature: an empty third segment, or none", () => {
    const a = idp.mintIdToken({}, { omitSignature: true });
    assert.equal(a.split(".").length, 3);
    assert.ok(a.endsWith("."));
    const b = idp.mintIdToken({}, { omitSignature: "segment" });
    assert.equal(b.split(".").length, 2);
  });

  test("unknown kid and unsupported alg throw", () => {
    assert.throws(() => idp.mintIdToken({}, { kid: "no-such-kid" }), /no key/);
    assert.throws(() => idp.mintIdToken({}, { alg: "PS256" }), /cannot sign/);
  });
});

describe("keys: add, remove, rotate", () => {
  let idp;
  before(async () => { idp = await startOidcProvider({ algs: ["RS256", "ES256"] }); });
  after(() => idp.close());

  test("addKey publishes a new key that signs by default; removeKey withdraws it", async () => {
    const first = idp.currentKid("RS256");
    const kid = idp.addKey("RS256");
    assert.notEqual(kid, first);
    let kids = (await fetchJwks(idp)).keys.map((k) => k.kid);
    assert.ok(kids.includes(kid) && kids.includes(first));
    const token = idp.mintIdToken();
    assert.equal(decode(token).header.kid, kid);
    assert.equal(await verifiesAgainstJwks(idp, token), true);

    assert.equal(idp.removeKey(kid), true);
    assert.equal(idp.removeKey(kid), false);
    kids = (await fetchJwks(idp)).keys.map((k) => k.kid);
    assert.ok(!kids.includes(kid));
    assert.equal(idp.currentKid("RS256"), first);
    // The removed key still signs on request; the token names a kid the JWKS lacks.
    const stale = idp.mintIdToken({}, { kid });
    assert.equal(decode(stale).header.kid, kid);
    assert.equal(await verifiesAgainstJwks(idp, stale), false);
  });

  test("rotate replaces every key of that alg in the JWKS; the old keys still mint", async () => {
    idp.addKey("RS256");
    const oldRsa = (await fetchJwks(idp)).keys.filter((k) => k.alg === "RS256").map((k) => k.kid);
    assert.ok(oldRsa.length >= 2);
    const ecKid = idp.currentKid("ES256");
    const preRotation = idp.mintIdToken({}, { kid: oldRsa[0] });
    assert.equal(await verifiesAgainstJwks(idp, preRotation), true);

    const newKid = idp.rotate();
    const published = (await fetchJwks(idp)).keys;
    assert.deepEqual(published.filter((k) => k.alg === "RS256").map((k) => k.kid), [newKid]);
    assert.deepEqual(published.filter((k) => k.alg === "ES256").map((k) => k.kid), [ecKid]);
    for (const old of oldRsa) assert.ok(!published.some((k) => k.kid === old), `${old} still published`);

    assert.equal(await verifiesAgainstJwks(idp, preRotation), false);
    const stale = idp.mintIdToken({}, { kid: oldRsa[0] });
    assert.equal(decode(stale).header.kid, oldRsa[0]);
    const fresh = idp.mintIdToken();
    assert.equal(decode(fresh).header.kid, newKid);
    assert.equal(await verifiesAgainstJwks(idp, fresh), true);

    const newEc = idp.rotate("ES256");
    assert.notEqual(newEc, ecKid);
    assert.deepEqual((await fetchJwks(idp)).keys.filter((k) => k.alg === "ES256").map((k) => k.kid), [newEc]);
  });

  test("with no published key of an alg, minting without a kid throws", async () => {
    const p = await startOidcProvider();
    try {
      assert.throws(() => p.mintIdToken({}, { alg: "ES256" }), /no published ES256 key/);
      const kid = p.addKey("ES256");
      assert.equal(decode(p.mintIdToken({}, { alg: "ES256" })).header.kid, kid);
      assert.equal(p.keyPair(kid).publicKey.asymmetricKeyDetails.namedCurve, "prime256v1");
    } finally {
      await p.close();
    }
  });
});

describe("JWKS faults and counting", () => {
  let idp;
  before(async () => { idp = await startOidcProvider({ jwksCacheControl: "public, max-age=60" }); });
  after(() => idp.close());

  test("jwksFetches counts every GET of /keys, failed ones too, and nothing else", async () => {
    const n = idp.jwksFetches;
    await fetchJwks(idp);
    await fetchJwks(idp);
    await getJson(idp.discoveryUri);
    assert.equal(idp.jwksFetches, n + 2);
    idp.failJwks(500);
    await (await fetch(idp.jwksUri)).arrayBuffer();
    idp.failJwks(null);
    assert.equal(idp.jwksFetches, n + 3);
  });

  test("failJwks(status) answers that status until failJwks(null)", async () => {
    idp.failJwks(503);
    let r = await getJson(idp.jwksUri);
    assert.equal(r.status, 503);
    assert.equal(r.body.keys, undefined);
    idp.failJwks(404);
    assert.equal((await getJson(idp.jwksUri)).status, 404);
    assert.equal((await getJson(idp.discoveryUri)).status, 200, "discovery is unaffected");
    idp.failJwks(null);
    r = await getJson(idp.jwksUri);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("cache-control"), "public, max-age=60");
    assert.equal(r.body.keys.length, 1);
  });

  test("setJwksDelayMs delays /keys only", async () => {
    idp.setJwksDelayMs(300);
    try {
      let t = Date.now();
      await fetchJwks(idp);
      assert.ok(Date.now() - t >= 280, `answered after ${Date.now() - t} ms`);
      t = Date.now();
      await getJson(idp.discoveryUri);
      assert.ok(Date.now() - t < 250);
    } finally {
      idp.setJwksDelayMs(0);
    }
    const t = Date.now();
    await fetchJwks(idp);
    assert.ok(Date.now() - t < 250);
  });
});

describe("close", () => {
  test("refuses connections afterwards and is idempotent", async () => {
    const idp = await startOidcProvider();
    await fetchJwks(idp); // a kept-alive connection
    await idp.close();
    await idp.close();
    await assert.rejects(fetch(idp.jwksUri));
  });

  // A child process that starts the provider, leaves a kept-alive connection and a /keys
  // request waiting on a 60 s delay, then closes it: it must exit by itself at once.
  test("leaves no handle open: a process that used it exits by itself", async () => {
    const script = `
      import { startOidcProvider } from ${JSON.stringify(PROVIDER_URL.href)};
      const idp = await startOidcProvider({ algs: ["RS256", "ES256"] });
      await (await fetch(idp.discoveryUri)).json();
      await (await fetch(idp.jwksUri)).json();
      idp.setJwksDelayMs(60000);
      const pending = fetch(idp.jwksUri).then(() => "answered", () => "dropped");
      await new Promise((r) => setTimeout(r, 100));
      await idp.close();
      console.log("closed", await pending);
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (c) => { out += c; });
    child.stderr.on("data", (c) => { err += c; });
    const code = await new Promise((resolve) => {
      const timer = setTimeout(() => { child.kill("SIGKILL"); resolve("timeout"); }, 10000);
      child.on("exit", (c) => { clearTimeout(timer); resolve(c); });
    });
    assert.equal(code, 0, `child: ${code}; stdout ${out}; stderr ${err}`);
    assert.match(out, /^closed dropped$/m);
  });
});
