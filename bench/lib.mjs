// Small helpers shared by the benches: settings from the environment, statistics,
// table printing, and loud failures that carry the server's answer.

export const SCIM_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
export const SCIM_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const SCIM_PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

// A positive integer from the environment, or `fallback`; anything else is an error.
export function envInt(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw.replace(/_/g, ""));
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name}=${raw}: expected a non-negative integer`);
  return n;
}

// A comma-separated list of positive integers ("300,2000").
export function envIntList(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const list = raw.split(",").map((s) => Number(s.trim().replace(/_/g, "")));
  if (!list.length || list.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new Error(`${name}=${raw}: expected a comma-separated list of positive integers`);
  }
  return list;
}

// Nearest-rank percentile of an ascending array.
export function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function fmt(n, digits = 0) {
  if (typeof n === "string") return n;
  if (n === undefined || n === null || Number.isNaN(n)) return "-";
  return n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function mib(bytes) {
  return `${fmt(bytes / 1024 / 1024, 0)} MiB`;
}

// Prints rows (arrays of cells) under a header, columns padded; numbers align right.
export function printTable(header, rows, out = console.log) {
  const cells = [header, ...rows].map((r) => r.map((c) => String(c)));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r) =>
    r
      .map((c, i) => (i === 0 || !/^[-\d.,]+( [a-zµ/]+)?x?$/.test(c) ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join("  ")
      .trimEnd();
  out(line(cells[0]));
  out(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of cells.slice(1)) out(line(r));
}

// An error that names the request and carries the answer's status and body.
export class AnswerError extends Error {
  constructor(what, status, body) {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    super(`${what} answered ${status}: ${text.length > 600 ? text.slice(0, 600) + "…" : text}`);
    this.status = status;
    this.body = text;
  }
}

// A stable pseudo-random sequence (mulberry32), so runs pick the same ids.
export function rng(seed = 1) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// An Entra-shaped user (what Entra's default attribute mappings send on create).
export function entraUser(i, prefix = "user") {
  const userName = `${prefix}${i}@bench.example.com`;
  return {
    schemas: [SCIM_USER, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
    externalId: `${prefix}-ext-${i}`,
    userName,
    active: true,
    displayName: `Bench User ${i}`,
    name: { formatted: `Bench User ${i}`, familyName: `User ${i}`, givenName: "Bench" },
    emails: [{ primary: true, type: "work", value: userName }],
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { department: `Dept ${i % 20}` },
  };
}

export function membersAdd(ids) {
  return {
    schemas: [SCIM_PATCH],
    Operations: [{ op: "Add", path: "members", value: ids.map((value) => ({ value })) }],
  };
}
