// What Okta sends, shaped as its documentation shows: LogEvent objects (the events
// of an Event Hook delivery and of a System Log page) and the Event Hook envelope.
// Shared by the Okta tests and bench/okta_hook_bench.mjs.
import crypto from "node:crypto";

export function userTarget(id, login, name) {
  return { id, type: "User", alternateId: login, displayName: name, detailEntry: null };
}

export function groupTarget(id, name) {
  return { id, type: "UserGroup", alternateId: "unknown", displayName: name, detailEntry: null };
}

// One LogEvent of `eventType`, published at `published` (RFC 3339), about `targets`.
export function logEvent(eventType, published, targets, uuid = crypto.randomUUID()) {
  return {
    uuid,
    published,
    eventType,
    version: "0",
    displayMessage: eventType,
    severity: "INFO",
    actor: userTarget("00uadmin", "admin@example.com", "Okta Admin"),
    outcome: { result: "SUCCESS", reason: null },
    target: targets,
  };
}

// An Event Hook delivery carrying `events`.
export function hookDelivery(events) {
  return {
    eventType: "com.okta.event_hook",
    eventTypeVersion: "1.0",
    cloudEventsVersion: "0.1",
    source: "https://example.okta.com/api/v1/eventHooks/whotest",
    eventId: crypto.randomUUID(),
    data: { events },
  };
}
