// The fetch wrapper and the console session. The admin token is sent once, to
// POST /console/session, and never stored; the session is an HttpOnly cookie and
// the CSRF value lives only in this module's memory.

const TENANT_KEY = 'dirbridge.tenant';
let csrf = '';
let expiresAt = 0;
let expiryTimer = 0;
let onEnded = () => {};

export class ApiError extends Error {
  constructor(status, message, silent = false) {
    super(message);
    this.status = status;
    this.silent = silent;
  }
}

// Called (once per ending) when a call answers 401 or the session expires.
export function onSessionEnded(f) { onEnded = f; }
export const signedIn = () => csrf !== '';
export const tenant = () => sessionStorage.getItem(TENANT_KEY) || '';
export const setTenant = (t) => sessionStorage.setItem(TENANT_KEY, t);

function errorMessage(status, body, fallback) {
  if (body && typeof body === 'object') {
    const e = body.error;
    if (e && typeof e === 'object') return e.message || e.detail || e.code || fallback;
    if (typeof body.detail === 'string' && body.detail) return body.detail;
    if (typeof body.message === 'string' && body.message) return body.message;
    if (typeof e === 'string' && e) return e;
  }
  return fallback || `The request failed (HTTP ${status}).`;
}

async function readBody(res) {
  const text = await res.text();
  if (!text) return null;
  try { return JSON.parse(text); } catch { return text; }
}

// Keeps the session and ends it at its expiry, measured on the server's clock
// (its Date header) so that a wrong local clock cannot end it early.
function keep(session, res) {
  csrf = session.csrf || '';
  expiresAt = Number(session.expiresAt) || 0;
  clearTimeout(expiryTimer);
  if (expiresAt) {
    const serverNow = Date.parse(res.headers.get('date') || '') || Date.now();
    const wait = Math.min(expiresAt - serverNow, 2 ** 31 - 1);
    expiryTimer = setTimeout(ended, Math.max(wait, 1000));
  }
}

function ended() {
  const was = csrf !== '';
  csrf = '';
  clearTimeout(expiryTimer);
  if (was) onEnded();
}

async function send(method, url, body) {
  const headers = { Accept: 'application/json' };
  const write = method !== 'GET' && method !== 'HEAD';
  if (write) {
    headers['Content-Type'] = 'application/json';
    headers['X-CSRF-Token'] = csrf;
  }
  let res;
  try {
    res = await fetch(url, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: write && body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new ApiError(0, 'dirbridge could not be reached; check the connection and try again.');
  }
  const data = await readBody(res);
  return { res, data };
}

// GET /console/session: true when the cookie holds a valid session.
export async function checkSession() {
  const { res, data } = await send('GET', '/console/session');
  if (res.ok && data && data.csrf) { keep(data, res); return true; }
  csrf = '';
  if (res.status === 401) return false;
  throw new ApiError(res.status, errorMessage(res.status, data));
}

export async function signIn(token) {
  const { res, data } = await send('POST', '/console/session', { token });
  if (!res.ok) throw new ApiError(res.status, errorMessage(res.status, data, 'Sign in failed.'));
  keep(data || {}, res);
}

export async function signOut() {
  try { await send('DELETE', '/console/session'); } finally {
    csrf = '';
    clearTimeout(expiryTimer);
  }
}

// An admin API call under /admin/v1/tenants/{tenant}; `path` starts with '/'.
// Query values that are undefined or '' are left out.
export async function call(method, path, body, query) {
  let url = `/admin/v1/tenants/${encodeURIComponent(tenant())}${path}`;
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
    const qs = q.toString();
    if (qs) url += `?${qs}`;
  }
  const { res, data } = await send(method, url, body);
  if (res.status === 401) {
    ended();
    throw new ApiError(401, 'Your session has ended; sign in again.', true);
  }
  if (!res.ok) throw new ApiError(res.status, errorMessage(res.status, data));
  return data;
}

export const get = (path, query) => call('GET', path, undefined, query);
export const post = (path, body = {}) => call('POST', path, body);
export const put = (path, body) => call('PUT', path, body);
export const del = (path) => call('DELETE', path);
