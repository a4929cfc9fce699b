// Opaque state tokens: the $skiptoken of an @odata.nextLink and the $deltatoken of an
// @odata.deltaLink.
//
// https://learn.microsoft.com/graph/delta-query-overview ("State tokens"): the tokens are opaque
// to the client, reflect the state of that round, and encode the query parameters of the first
// request ($select), so nextLink and deltaLink are used as-is. Here a token is base64url JSON
// followed by a 22-character base64url HMAC, so a token that was cut, edited or minted by hand
// is refused (400) instead of being read as some other position.

import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

const MAC_CHARS = 22; // 16 bytes

export class StateTokens {
  constructor() {
    this.key = randomBytes(32);
  }

  mac(body) {
    return createHmac("sha256", this.key).update(body).digest().subarray(0, 16).toString("base64url");
  }

  /** @param {object} payload JSON-serialisable */
  encode(payload) {
    const body = Buffer.from(JSON.stringify({ ...payload, n: randomBytes(4).toString("base64url") })).toString("base64url");
    return body + this.mac(body);
  }

  /** @returns the payload, or null when the token is not one of ours or was altered. */
  decode(token) {
    if (typeof token !== "string" || token.length <= MAC_CHARS || !/^[A-Za-z0-9_-]+$/.test(token)) return null;
    const body = token.slice(0, -MAC_CHARS);
    const given = Buffer.from(token.slice(-MAC_CHARS));
    const want = Buffer.from(this.mac(body));
    if (given.length !== want.length || !timingSafeEqual(given, want)) return null;
    try {
      const p = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
      return p && typeof p === "object" ? p : null;
    } catch {
      return null;
    }
  }
}
