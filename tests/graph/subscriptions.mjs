// Change-notification subscriptions on users and groups: the subscription resource, its rules,
// and the notification URL validation handshake.
//
// Sources:
//   subscription resource: https://learn.microsoft.com/graph/api/resources/subscription
//     changeType: "User and group change notifications support updated and deleted changeType"
//     (updated covers created, updated and soft deleted; deleted is the permanent delete);
//     clientState at most 128 characters; latestSupportedTlsVersion v1_0..v1_3, default v1_2;
//     "Maximum length of subscription per resource type": user, group: 41760 minutes.
//   create:      https://learn.microsoft.com/graph/api/subscription-post-subscriptions (201 + resource)
//   update:      https://learn.microsoft.com/graph/api/subscription-update (200 + resource)
//   get, delete: https://learn.microsoft.com/graph/api/subscription-get, /subscription-delete (204)
//   reauthorize: https://learn.microsoft.com/graph/api/subscription-reauthorize (204)
//   supported resource paths: /users, /users/{id}, /groups, /groups/{id}
//     (https://learn.microsoft.com/graph/change-notifications-overview, supported resources)
//   validation:  https://learn.microsoft.com/graph/change-notifications-delivery-webhooks
//     ("notificationUrl validation"): POST {notificationUrl}?validationToken={opaque token},
//     Content-Type: text/plain; charset=utf-8; the endpoint must answer within 10 seconds with
//     200, Content-Type text/plain and the URL-decoded token as the body; both notificationUrl
//     and lifecycleNotificationUrl are validated
//     (https://learn.microsoft.com/graph/change-notifications-lifecycle-events).
// Error texts the service is known to send: "Subscription validation request failed.
// Notification endpoint must respond with 200 OK to validation request.", "Subscription
// validation request failed. Response must exactly match validationToken query parameter.",
// "Subscription validation request timeout.", ExtensionError "Subscription expiration can only
// be N minutes in the future.", "expirationDateTime is a required property for subscription
// creation.", 404 ResourceNotFound "The object was not found." (README lists the ones invented).

import http from "node:http";
import https from "node:https";
import { randomBytes, randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";

export const DEFAULT_MAX_SUBSCRIPTION_MINUTES = 41760;
const TLS_VERSIONS = new Set(["v1_0", "v1_1", "v1_2", "v1_3"]);
const MAX_VALIDATION_RESPONSE = 64 * 1024;

export class GraphRefusal extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const invalid = (message) => new GraphRefusal(400, "ValidationError", message);

/** "2016-11-20T18:23:45.9350000Z": seven fractional digits, as the subscription examples show. */
export function graphDateTime(ms) {
  return `${new Date(ms).toISOString().slice(0, 23)}0000Z`;
}

/** "2022-05-24T23:21:19.3550000+00:00": the offset form directory notifications carry. */
export function offsetDateTime(ms) {
  return `${new Date(ms).toISOString().slice(0, 23)}0000+00:00`;
}

/** users | users/{id} | groups | groups/{id} (leading slash and case ignored). */
export function parseResource(resource) {
  if (typeof resource !== "string") return null;
  const m = /^\/?(users|groups)(?:\/([^/?#]+))?$/i.exec(resource.trim());
  if (!m) return null;
  return { kind: m[1].toLowerCase() === "users" ? "user" : "group", id: m[2] ? decodeURIComponent(m[2]).toLowerCase() : null };
}

/**
 * The opaque validation token. Graph's tokens are free text (users report values such as
 * "Validation: Testing client application reachability for subscription Request-Id: <guid>"),
 * so this one has spaces and colons too, and a '+' and '/' (a nonce in standard base64), all of
 * which must be percent-encoded in the query and decoded by the receiver.
 */
export function makeValidationToken() {
  let nonce;
  do nonce = randomBytes(12).toString("base64"); while (!nonce.includes("+"));
  return `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()} Nonce: ${nonce}`;
}

function postValidation(target, timeoutMs) {
  return new Promise((resolve) => {
    let url;
    try { url = new URL(target); } catch (e) { resolve({ status: null, error: String(e.message) }); return; }
    const mod = url.protocol === "https:" ? https : http;
    const started = performance.now();
    let settled = false;
    const done = (r) => { if (!settled) { settled = true; clearTimeout(timer); resolve({ ...r, latencyMs: performance.now() - started }); } };
    const req = mod.request(url, {
      method: "POST",
      headers: { "Content-Type": "text/plain; charset=utf-8", "Content-Length": "0" },
    }, (res) => {
      const chunks = [];
      let size = 0;
      res.on("data", (c) => {
        size += c.length;
        if (size <= MAX_VALIDATION_RESPONSE) chunks.push(c);
      });
      res.on("end", () => done({
        status: res.statusCode,
        contentType: res.headers["content-type"] ?? "",
        body: Buffer.concat(chunks).toString("utf8"),
        oversize: size > MAX_VALIDATION_RESPONSE,
        error: null,
      }));
      res.on("error", (e) => done({ status: res.statusCode, error: String(e.message) }));
    });
    const timer = setTimeout(() => { done({ status: null, error: "timeout", timedOut: true }); req.destroy(); }, timeoutMs);
    req.on("error", (e) => done({ status: null, error: String(e.message) }));
    req.end();
  });
}

export class SubscriptionStore {
  /**
   * @param {{nowMs: () => number, tenantId: string, maxMinutes?: number,
   *          validationTimeoutMs?: number, requireHttps?: boolean,
   *          validationToken?: () => string}} opts
   */
  constructor({ nowMs, tenantId, maxMinutes = DEFAULT_MAX_SUBSCRIPTION_MINUTES, validationTimeoutMs = 10000, requireHttps = false, validationToken = makeValidationToken }) {
    this.nowMs = nowMs;
    this.tenantId = tenantId;
    this.maxMinutes = maxMinutes;
    this.validationTimeoutMs = validationTimeoutMs;
    this.requireHttps = requireHttps;
    this.validationToken = validationToken;
    this.byId = new Map();
    this.validationLog = [];
  }

  isLive(sub) {
    return !sub.removed && this.nowMs() < sub.expiration;
  }

  /** The live subscription `id` of `app`, or a 404 refusal. */
  mustGet(app, id) {
    const sub = this.byId.get(String(id).toLowerCase());
    if (!sub || !this.isLive(sub) || sub.applicationId.toLowerCase() !== app.clientId.toLowerCase()) {
      throw new GraphRefusal(404, "ResourceNotFound", "The object was not found.");
    }
    return sub;
  }

  list(app) {
    return [...this.byId.values()].filter((s) => this.isLive(s) && s.applicationId.toLowerCase() === app.clientId.toLowerCase());
  }

  checkUrl(name, value) {
    let u;
    try { u = new URL(value); } catch { u = null; }
    if (!u || !/^https?:$/.test(u.protocol)) throw invalid(`Invalid ${name}: '${value}'. The URL must be an absolute URI.`);
    if (this.requireHttps && u.protocol !== "https:") throw invalid(`The ${name} must use the https scheme.`);
  }

  expirationOf(value) {
    if (value === undefined || value === null) throw invalid("expirationDateTime is a required property for subscription creation.");
    const ms = typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
    if (!Number.isFinite(ms)) throw invalid(`Invalid expirationDateTime '${value}'.`);
    const now = this.nowMs();
    if (ms <= now) throw new GraphRefusal(400, "ExtensionError", "Subscription expiration must be in the future.");
    if (ms - now > this.maxMinutes * 60000) {
      throw new GraphRefusal(400, "ExtensionError", `Subscription expiration can only be ${this.maxMinutes} minutes in the future.`);
    }
    return ms;
  }

  /** Runs the handshake against one URL; throws the documented 400 when it fails. */
  async validate(url) {
    const token = this.validationToken();
    const target = `${url}${url.includes("?") ? "&" : "?"}validationToken=${encodeURIComponent(token)}`;
    const r = await postValidation(target, this.validationTimeoutMs);
    const entry = { url, token, time: this.nowMs(), status: r.status, latencyMs: r.latencyMs, ok: false, message: null };
    this.validationLog.push(entry);
    let message = null;
    if (r.timedOut) {
      message = "Subscription validation request timeout.";
    } else if (r.status !== 200) {
      message = "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.";
    } else if (!/^text\/plain\s*(;|$)/i.test(r.contentType)) {
      message = "Subscription validation request failed. Response Content-Type must be text/plain.";
    } else if (r.oversize || r.body !== token) {
      message = "Subscription validation request failed. Response must exactly match validationToken query parameter.";
    }
    entry.ok = message === null;
    entry.message = message;
    if (message) throw invalid(message);
  }

  /** POST /subscriptions body -> a live subscription (after validating its endpoints). */
  async create(app, body) {
    if (!body || typeof body !== "object" || Array.isArray(body)) throw invalid("The request body must be a subscription object.");
    for (const name of ["changeType", "notificationUrl", "resource"]) {
      if (typeof body[name] !== "string" || body[name] === "") throw invalid(`${name} is a required property for subscription creation.`);
    }
    const target = parseResource(body.resource);
    if (!target) throw new GraphRefusal(400, "InvalidRequest", `Resource '${body.resource}' is not supported for change notifications by this stand-in (users, users/{id}, groups, groups/{id}).`);
    const changeTypes = body.changeType.split(",").map((s) => s.trim());
    for (const ct of changeTypes) {
      if (ct === "created") {
        throw new GraphRefusal(400, "InvalidRequest", `ChangeType 'created' is not supported for resource '${body.resource}'. User and group change notifications support updated and deleted.`);
      }
      if (ct !== "updated" && ct !== "deleted") throw invalid(`Invalid changeType '${ct}'.`);
    }
    if (body.clientState !== undefined && body.clientState !== null &&
        (typeof body.clientState !== "string" || body.clientState.length > 128)) {
      throw invalid("clientState must be a string of at most 128 characters.");
    }
    if (body.includeResourceData === true) {
      throw invalid(`includeResourceData is not supported for resource '${body.resource}'.`);
    }
    const tls = body.latestSupportedTlsVersion ?? "v1_2";
    if (!TLS_VERSIONS.has(tls)) throw invalid(`Invalid latestSupportedTlsVersion '${tls}'.`);
    this.checkUrl("notificationUrl", body.notificationUrl);
    if (body.lifecycleNotificationUrl !== undefined && body.lifecycleNotificationUrl !== null) {
      this.checkUrl("lifecycleNotificationUrl", body.lifecycleNotificationUrl);
    }
    const expiration = this.expirationOf(body.expirationDateTime);

    await this.validate(body.notificationUrl);
    if (body.lifecycleNotificationUrl && body.lifecycleNotificationUrl !== body.notificationUrl) {
      await this.validate(body.lifecycleNotificationUrl);
    }
    const sub = {
      id: randomUUID(),
      resource: body.resource,
      target,
      applicationId: app.clientId,
      creatorId: app.servicePrincipalId,
      changeType: changeTypes.join(","),
      changeTypes: new Set(changeTypes),
      clientState: body.clientState ?? null,
      notificationUrl: body.notificationUrl,
      lifecycleNotificationUrl: body.lifecycleNotificationUrl ?? null,
      latestSupportedTlsVersion: tls,
      expiration,
      createdAt: this.nowMs(),
      removed: false,
      reauthorizationRequired: false,
      paused: false,
    };
    this.byId.set(sub.id, sub);
    return sub;
  }

  /** PATCH: expirationDateTime (renew, also reauthorizes) and/or notificationUrl (revalidated). */
  async update(app, id, body) {
    const sub = this.mustGet(app, id);
    if (!body || typeof body !== "object" || Array.isArray(body)) throw invalid("The request body must be a subscription object.");
    for (const k of Object.keys(body)) {
      if (k !== "expirationDateTime" && k !== "notificationUrl") throw invalid(`Property '${k}' cannot be updated; only expirationDateTime and notificationUrl can.`);
    }
    const expiration = body.expirationDateTime !== undefined ? this.expirationOf(body.expirationDateTime) : sub.expiration;
    if (body.notificationUrl !== undefined && body.notificationUrl !== sub.notificationUrl) {
      this.checkUrl("notificationUrl", body.notificationUrl);
      await this.validate(body.notificationUrl);
      sub.notificationUrl = body.notificationUrl;
    }
    sub.expiration = expiration;
    sub.reauthorizationRequired = false;
    sub.paused = false;
    return sub;
  }

  remove(app, id) {
    const sub = this.mustGet(app, id);
    sub.removed = true;
  }

  reauthorize(app, id) {
    const sub = this.mustGet(app, id);
    sub.reauthorizationRequired = false;
    sub.paused = false;
  }

  /** Live subscriptions that want `changeType` for object `id` of `kind`. */
  matching(kind, id, changeType) {
    const out = [];
    for (const s of this.byId.values()) {
      if (!this.isLive(s) || s.target.kind !== kind || !s.changeTypes.has(changeType)) continue;
      if (s.target.id !== null && s.target.id !== id.toLowerCase()) continue;
      out.push(s);
    }
    return out;
  }

  /** The subscription resource as create/get/update answer it. */
  resource(sub) {
    return {
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#subscriptions/$entity",
      id: sub.id,
      resource: sub.resource,
      applicationId: sub.applicationId,
      changeType: sub.changeType,
      clientState: sub.clientState,
      notificationUrl: sub.notificationUrl,
      notificationQueryOptions: null,
      lifecycleNotificationUrl: sub.lifecycleNotificationUrl,
      expirationDateTime: graphDateTime(sub.expiration),
      creatorId: sub.creatorId,
      includeResourceData: null,
      latestSupportedTlsVersion: sub.latestSupportedTlsVersion,
      encryptionCertificate: null,
      encryptionCertificateId: null,
      notificationUrlAppId: null,
    };
  }
}
