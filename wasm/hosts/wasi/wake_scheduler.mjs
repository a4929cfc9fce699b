// The node:wasi host's timers: one wake-up per tenant, at the earliest time anything
// asked for (as the Durable Object's single alarm under workerd). When it fires, the
// tenant's outbox is drained (drainOutbox in host_runtime.mjs) and the wake-up is
// re-armed where the drain left it. Drains of one tenant never overlap: a wake-up that
// fires during a drain runs another drain right after it.
//
// arm(tenant, at) keeps the earlier of `at` and the time already armed; a wake-up that
// finds nothing due costs one tick. A drain that throws is tried again after
// RETRY_AFTER_FAILURE_MS.

export const RETRY_AFTER_FAILURE_MS = 5000;
const MAX_TIMEOUT_MS = 2 ** 31 - 1; // setTimeout's limit; longer waits re-arm on the way

export class WakeScheduler {
  #drain;
  #log;
  #tenants = new Map(); // tenant -> {at, timer, running, again}
  #closed = false;
  #idle = new Set(); // resolvers waiting for all drains to finish

  // drain(tenant) -> Promise<next wake (ms) | null>; log(level, message).
  constructor({ drain, log }) {
    this.#drain = drain;
    this.#log = log;
  }

  #state(tenant) {
    let s = this.#tenants.get(tenant);
    if (!s) {
      s = { at: null, timer: null, running: false, again: false };
      this.#tenants.set(tenant, s);
    }
    return s;
  }

  // Wakes `tenant` at `at` (ms since the epoch) unless it is already due to wake
  // earlier; null asks for nothing.
  arm(tenant, at) {
    if (this.#closed || at === null || at === undefined || !Number.isFinite(Number(at))) return;
    at = Number(at);
    const s = this.#state(tenant);
    if (s.at !== null && s.at <= at) return;
    if (s.timer) clearTimeout(s.timer);
    s.at = at;
    const wait = Math.min(MAX_TIMEOUT_MS, Math.max(0, at - Date.now()));
    s.timer = setTimeout(() => {
      s.timer = null;
      s.at = null;
      if (Date.now() < at) this.arm(tenant, at); // a wait longer than setTimeout allows
      else this.#run(tenant);
    }, wait);
  }

  // When `tenant` next wakes (ms), or null.
  armedAt(tenant) {
    return this.#tenants.get(tenant)?.at ?? null;
  }

  async #run(tenant) {
    const s = this.#state(tenant);
    if (s.running) {
      s.again = true;
      return;
    }
    s.running = true;
    let next;
    try {
      next = await this.#drain(tenant);
    } catch (e) {
      this.#log(3, `dirbridge effects: draining tenant ${tenant} failed: ${(e && e.stack) || e}`);
      next = Date.now() + RETRY_AFTER_FAILURE_MS;
    }
    s.running = false;
    if (s.again) {
      s.again = false;
      next = Date.now();
    }
    this.arm(tenant, next);
    if (![...this.#tenants.values()].some((t) => t.running)) for (const r of this.#idle) r();
  }

  // Stops every timer; resolves once drains in progress have finished.
  async close() {
    this.#closed = true;
    for (const s of this.#tenants.values()) {
      if (s.timer) clearTimeout(s.timer);
      s.timer = null;
    }
    if (![...this.#tenants.values()].some((t) => t.running)) return;
    await new Promise((resolve) => this.#idle.add(resolve));
  }
}
