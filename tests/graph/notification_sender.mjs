// Change notifications and lifecycle notifications, as Microsoft Graph delivers them to webhooks.
//
// Sources:
//   https://learn.microsoft.com/graph/change-notifications-delivery-webhooks
//     - a POST to notificationUrl whose body is a changeNotificationCollection {"value": [...]};
//       several notifications may come in one POST ("Microsoft Graph may send multiple
//       notifications that correspond to different subscriptions in the same POST request");
//     - the receiver answers 2xx (202 Accepted when it persists and processes later) within
//       3 seconds; otherwise Graph resends "multiple times, for up to 4 hours", then discards;
//       notifications are published with "an HTTP client with a 3-second timeout" and a
//       response slower than 2900 ms counts as slow.
//   https://learn.microsoft.com/graph/api/resources/changenotificationcollection,
//   https://learn.microsoft.com/graph/api/resources/changenotification
//     {id, subscriptionId, subscriptionExpirationDateTime, changeType, resource, resourceData,
//      clientState, tenantId} (lifecycle notifications: lifecycleEvent instead of a change).
//   Directory (user, group) notifications: resource "Users/{id}" / "Groups/{id}", resourceData
//     {"@odata.type": "#Microsoft.Graph.User" | "#Microsoft.Graph.Group", "@odata.id", "id",
//      "organizationId", "eventTime", "sequenceNumber"}, subscriptionExpirationDateTime with a
//     +00:00 offset - the Microsoft Entra events page shows this same payload:
//     https://learn.microsoft.com/azure/event-grid/microsoft-entra-events
//     A membership change is an "updated" on the group; resourceData says nothing about which
//     member (no members@delta is documented for notifications): the app asks delta query.
//   https://learn.microsoft.com/graph/change-notifications-lifecycle-events
//     {"value": [{"subscriptionId", "subscriptionExpirationDateTime", "tenantId", "clientState",
//      "lifecycleEvent": "reauthorizationRequired" | "subscriptionRemoved" | "missed"}]} to
//     lifecycleNotificationUrl; answered with 202.
// Here the retries are a few (configurable) with a doubling delay instead of four hours.

import http from "node:http";
import https from "node:https";
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { offsetDateTime } from "./subscriptions.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const LIFECYCLE_EVENTS = new Set(["reauthorizationRequired", "subscriptionRemoved", "missed"]);
const SLOW_MS = 2900;

function postJson(address, raw, timeoutMs) {
  return new Promise((resolve) => {
    let url;
    try { url = new URL(address); } catch (e) { resolve({ status: null, error: String(e.message), latencyMs: 0 }); return; }
    const mod = url.protocol === "https:" ? https : http;
    const started = performance.now();
    let settled = false;
    const done = (r) => { if (!settled) { settled = true; clearTimeout(timer); resolve({ ...r, latencyMs: performance.now() - started }); } };
    const req = mod.request(url, {
      method: "POST",
      headers: { "Content-Type": "application/json; charset=utf-8", "Content-Length": String(Buffer.byteLength(raw)) },
    }, (res) => {
      res.resume();
      res.on("end", () => done({ status: res.statusCode, error: null }));
      res.on("error", (e) => done({ status: res.statusCode, error: String(e.message) }));
    });
    const timer = setTimeout(() => { done({ status: null, error: "timeout", timedOut: true }); req.destroy(); }, timeoutMs);
    req.on("error", (e) => done({ status: null, error: String(e.message) }));
    req.end(raw);
  });
}

export class NotificationSender {
  /**
   * @param {{nowMs: () => number, tenantId: string, timeoutMs?: number, retries?: number,
   *          retryBaseMs?: number, batchMs?: number}} opts
   *   batchMs > 0: notifications for one URL queued within that window go in one POST.
   */
  constructor({ nowMs, tenantId, timeoutMs = 3000, retries = 3, retryBaseMs = 50, batchMs = 0 }) {
    this.nowMs = nowMs;
    this.tenantId = tenantId;
    this.timeoutMs = timeoutMs;
    this.retries = retries;
    this.retryBaseMs = retryBaseMs;
    this.batchMs = batchMs;
    this.log = [];
    this.pending = new Set();
    this.queues = new Map(); // url -> promise chain (one POST at a time per URL, in order)
    this.batches = new Map(); // url -> {items, subs, timer}
    this.dropRules = []; // {remaining, subscriptionId?, resource?, lifecycle?}
    this.sequence = BigInt(Date.now()) * 10000n;
  }

  /** Drops the next `n` change notifications matching {subscriptionId?, kind?: "user"|"group", lifecycle?: true}. */
  dropNext(n, filter = {}) {
    this.dropRules.push({ remaining: n, ...filter });
  }

  takeDrop(sub, lifecycle, kind) {
    const rule = this.dropRules.find((r) => r.remaining > 0 &&
      Boolean(r.lifecycle) === lifecycle &&
      (r.subscriptionId === undefined || r.subscriptionId === sub.id) &&
      (r.kind === undefined || r.kind === kind));
    if (!rule) return false;
    rule.remaining--;
    return true;
  }

  /** A change notification for `rec` (a directory record) to subscription `sub`. */
  sendChange(sub, { kind, id }, changeType) {
    const typeName = kind === "user" ? "User" : "Group";
    const path = `${typeName}s/${id}`;
    this.sequence += 1n + BigInt(Math.floor(Math.random() * 1000));
    const item = {
      id: randomUUID(),
      subscriptionId: sub.id,
      subscriptionExpirationDateTime: offsetDateTime(sub.expiration),
      changeType,
      resource: path,
      resourceData: {
        "@odata.type": `#Microsoft.Graph.${typeName}`,
        "@odata.id": path,
        id,
        organizationId: this.tenantId,
        eventTime: offsetDateTime(this.nowMs()),
        sequenceNumber: Number(this.sequence % 9007199254740991n),
      },
      clientState: sub.clientState,
      tenantId: this.tenantId,
    };
    if (sub.paused) {
      this.log.push(this.entry("change", sub.notificationUrl, [sub.id], [item], { lost: "paused" }));
      return;
    }
    if (this.takeDrop(sub, false, kind)) {
      this.log.push(this.entry("change", sub.notificationUrl, [sub.id], [item], { dropped: true }));
      return;
    }
    this.enqueue("change", sub.notificationUrl, sub.id, item);
  }

  /** A lifecycle notification to sub.lifecycleNotificationUrl. @returns false when it has none. */
  sendLifecycle(sub, lifecycleEvent) {
    if (!sub.lifecycleNotificationUrl) return false;
    const item = {
      subscriptionId: sub.id,
      subscriptionExpirationDateTime: offsetDateTime(sub.expiration),
      tenantId: this.tenantId,
      clientState: sub.clientState,
      lifecycleEvent,
    };
    if (this.takeDrop(sub, true, undefined)) {
      this.log.push(this.entry("lifecycle", sub.lifecycleNotificationUrl, [sub.id], [item], { dropped: true }));
      return true;
    }
    this.enqueue("lifecycle", sub.lifecycleNotificationUrl, sub.id, item);
    return true;
  }

  entry(kind, url, subscriptionIds, items, extra = {}) {
    return {
      kind,
      url,
      subscriptionIds,
      body: { value: items },
      items: items.length,
      time: this.nowMs(),
      dropped: false,
      lost: null,
      delivered: false,
      status: null,
      statuses: [],
      attempts: [],
      latencyMs: null,
      inTime: false,
      slow: false,
      error: null,
      ...extra,
    };
  }

  enqueue(kind, url, subscriptionId, item) {
    const key = `${kind} ${url}`;
    if (this.batchMs > 0) {
      let b = this.batches.get(key);
      if (!b) {
        let release;
        const gate = new Promise((r) => { release = r; });
        b = { items: [], subs: new Set(), gate, release };
        b.timer = setTimeout(() => { this.batches.delete(key); release(); }, this.batchMs);
        this.batches.set(key, b);
        this.schedule(kind, url, b);
      }
      b.items.push(item);
      b.subs.add(subscriptionId);
      return;
    }
    this.schedule(kind, url, { items: [item], subs: new Set([subscriptionId]), gate: null });
  }

  schedule(kind, url, batch) {
    const prev = this.queues.get(url) ?? Promise.resolve();
    const p = prev.then(async () => {
      if (batch.gate) await batch.gate;
      const e = this.entry(kind, url, [...batch.subs], batch.items);
      this.log.push(e);
      await this.deliver(e);
    });
    this.queues.set(url, p);
    this.pending.add(p);
    p.finally(() => this.pending.delete(p));
  }

  async deliver(e) {
    const raw = JSON.stringify(e.body);
    for (let attempt = 0; ; attempt++) {
      const r = await postJson(e.url, raw, this.timeoutMs);
      const ok = r.status !== null && r.status >= 200 && r.status < 300;
      e.attempts.push({ status: r.status, latencyMs: r.latencyMs, error: r.error, time: this.nowMs() });
      e.statuses.push(r.status);
      e.status = r.status;
      e.latencyMs = r.latencyMs;
      e.error = r.error;
      e.slow = r.latencyMs > SLOW_MS;
      if (ok) {
        e.delivered = true;
        e.inTime = r.latencyMs <= this.timeoutMs;
        return;
      }
      if (attempt >= this.retries) return;
      await sleep(this.retryBaseMs * 2 ** attempt);
    }
  }

  /** Resolves when every notification queued so far has been answered or given up on. */
  async flush() {
    for (;;) {
      // open batches go out now rather than at the end of their window
      for (const [key, b] of [...this.batches]) {
        clearTimeout(b.timer);
        this.batches.delete(key);
        b.release();
      }
      if (!this.pending.size) return;
      await Promise.allSettled([...this.pending]);
    }
  }
}
