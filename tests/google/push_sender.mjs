// Notification channels and the push notifications the stand-in sends to them.
//
// Sources:
//   Directory API push notifications: https://developers.google.com/workspace/admin/directory/v1/guides/push
//   Reports API push notifications:   https://developers.google.com/workspace/admin/reports/v1/guides/push
// What those guides document and this file follows:
//   - a notification is a POST to the channel's address with headers
//       X-Goog-Channel-ID, X-Goog-Channel-Token (only when the channel has a token),
//       X-Goog-Channel-Expiration (human-readable date, e.g. "Tue, 29 Oct 2013 20:32:02 GMT"),
//       X-Goog-Resource-ID, X-Goog-Resource-URI, X-Goog-Resource-State, X-Goog-Message-Number;
//   - right after a watch succeeds, a "sync" message (X-Goog-Resource-State: sync,
//     X-Goog-Message-Number: 1) with no body;
//   - message numbers increase but are not sequential (here: +1..3 at random);
//   - no messages after the channel expires or is stopped;
//   - a 500, 502, 503 or 504 answer is retried with exponential backoff.

import http from "node:http";
import https from "node:https";
import { randomInt } from "node:crypto";

const RETRY_STATUSES = new Set([500, 502, 503, 504]);

function postOnce(address, headers, body, timeoutMs) {
  return new Promise((resolve) => {
    let url;
    try { url = new URL(address); } catch (e) { resolve({ status: null, error: String(e.message) }); return; }
    const mod = url.protocol === "https:" ? https : http;
    const req = mod.request(url, { method: "POST", headers, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode, error: null }));
      res.on("error", (e) => resolve({ status: res.statusCode, error: String(e.message) }));
    });
    req.on("timeout", () => req.destroy(new Error("receiver timed out")));
    req.on("error", (e) => resolve({ status: null, error: String(e.message) }));
    req.end(body);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class PushSender {
  /**
   * @param {{nowMs: () => number, retries?: number, retryBaseMs?: number, timeoutMs?: number}} opts
   */
  constructor({ nowMs, retries = 2, retryBaseMs = 25, timeoutMs = 5000 }) {
    this.nowMs = nowMs;
    this.retries = retries;
    this.retryBaseMs = retryBaseMs;
    this.timeoutMs = timeoutMs;
    this.byId = new Map(); // channel id -> channel (ids are unique across both APIs)
    this.log = [];
    this.pending = new Set();
    this.dropRules = []; // {remaining, channelId?, api?}
  }

  /**
   * @param {{api: "directory"|"reports", id: string, address: string, token?: string,
   *          expiration: number, resourceId: string, resourceUri: string, filter: object}} spec
   */
  open(spec) {
    const ch = { ...spec, createdAt: this.nowMs(), stoppedAt: null, messageNumber: 0, queue: Promise.resolve() };
    this.byId.set(ch.id, ch);
    this.enqueue(ch, "sync", null, true);
    return ch;
  }

  has(id) {
    return this.byId.has(id);
  }

  /** Stops a channel of `api`; false when no such live-or-expired channel matches. */
  stop(api, id, resourceId) {
    const ch = this.byId.get(id);
    if (!ch || ch.api !== api || ch.resourceId !== resourceId || ch.stoppedAt !== null) return false;
    ch.stoppedAt = this.nowMs();
    return true;
  }

  isLive(ch) {
    return ch.stoppedAt === null && this.nowMs() < ch.expiration;
  }

  /**
   * Sends one notification to every live channel of `api` that `match` accepts.
   * @param {(ch) => boolean} match
   * @param {{state: string, body: object}} message
   */
  publish(api, match, message) {
    for (const ch of this.byId.values()) {
      if (ch.api === api && this.isLive(ch) && match(ch)) this.enqueue(ch, message.state, message.body, false);
    }
  }

  /** Drops the next `n` change notifications (all channels, or only `channelId` / `api`). */
  dropNext(n, { channelId, api } = {}) {
    this.dropRules.push({ remaining: n, channelId, api });
  }

  takeDrop(ch) {
    const rule = this.dropRules.find((r) => r.remaining > 0 &&
      (r.channelId === undefined || r.channelId === ch.id) && (r.api === undefined || r.api === ch.api));
    if (!rule) return false;
    rule.remaining--;
    return true;
  }

  enqueue(ch, state, body, isSync) {
    ch.messageNumber = isSync ? 1 : ch.messageNumber + randomInt(1, 4);
    const headers = {
      "Content-Type": "application/json; charset=UTF-8",
      "X-Goog-Channel-ID": ch.id,
      ...(ch.token !== undefined ? { "X-Goog-Channel-Token": ch.token } : {}),
      "X-Goog-Channel-Expiration": new Date(ch.expiration).toUTCString(),
      "X-Goog-Resource-ID": ch.resourceId,
      "X-Goog-Resource-URI": ch.resourceUri,
      "X-Goog-Resource-State": state,
      "X-Goog-Message-Number": String(ch.messageNumber),
    };
    const raw = body === null ? "" : JSON.stringify(body);
    headers["Content-Length"] = String(Buffer.byteLength(raw));
    const entry = {
      api: ch.api,
      channelId: ch.id,
      resourceId: ch.resourceId,
      address: ch.address,
      state,
      messageNumber: ch.messageNumber,
      headers,
      body,
      time: this.nowMs(),
      dropped: false,
      delivered: false,
      status: null,
      statuses: [],
      error: null,
    };
    this.log.push(entry);
    if (!isSync && this.takeDrop(ch)) {
      entry.dropped = true;
      return;
    }
    const p = (ch.queue = ch.queue.then(() => this.deliver(ch, entry, raw)));
    this.pending.add(p);
    p.finally(() => this.pending.delete(p));
  }

  async deliver(ch, entry, raw) {
    for (let attempt = 0; ; attempt++) {
      const { status, error } = await postOnce(ch.address, entry.headers, raw, this.timeoutMs);
      entry.statuses.push(status);
      entry.status = status;
      entry.error = error;
      if (!RETRY_STATUSES.has(status) || attempt >= this.retries) break;
      await sleep(this.retryBaseMs * 2 ** attempt);
    }
    entry.delivered = entry.status !== null && entry.status >= 200 && entry.status < 300;
  }

  /** Resolves when every notification queued so far has been answered (or failed). */
  async flush() {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  channels() {
    return [...this.byId.values()].map((ch) => ({
      api: ch.api,
      id: ch.id,
      resourceId: ch.resourceId,
      resourceUri: ch.resourceUri,
      address: ch.address,
      ...(ch.token !== undefined ? { token: ch.token } : {}),
      expiration: ch.expiration,
      createdAt: ch.createdAt,
      stoppedAt: ch.stoppedAt,
      live: this.isLive(ch),
      filter: ch.filter,
    }));
  }
}
