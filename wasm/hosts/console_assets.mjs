// The admin console's pages, as both hosts serve them (GET or HEAD of /console/...):
// from the bundle deploy/local/bundle_console.mjs makes (dist/console/assets.mjs),
// each with a strict Content-Security-Policy (no inline script or style, nothing from
// another origin, no framing), nosniff, no referrer, and an ETag to revalidate with
// (Cache-Control: no-cache: a new deployment is seen at once). Its sign-in
// (/console/session) and everything else go to the router.

export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const SECURITY_HEADERS = {
  "content-security-policy": CONSOLE_CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
};

// The answer ({status, headers, body}) to `method` `pathname` from `assets`, or null
// when it is not the console's to answer (another path, another method, the session).
export function consoleAnswer(method, pathname, ifNoneMatch, assets) {
  if (method !== "GET" && method !== "HEAD") return null;
  if (pathname === "/console") {
    return { status: 308, headers: { location: "/console/", ...SECURITY_HEADERS }, body: "" };
  }
  if (!pathname.startsWith("/console/") || pathname === "/console/session") return null;
  const asset = assets[pathname === "/console/" ? "/console/index.html" : pathname];
  if (!asset) {
    return {
      status: 404,
      headers: { "content-type": "text/plain; charset=utf-8", ...SECURITY_HEADERS },
      body: method === "HEAD" ? "" : "no such console page\n",
    };
  }
  const headers = { "content-type": asset.type, etag: asset.etag, "cache-control": "no-cache", ...SECURITY_HEADERS };
  if (ifNoneMatch && ifNoneMatch.split(",").some((t) => t.trim() === asset.etag)) {
    return { status: 304, headers, body: "" };
  }
  return { status: 200, headers, body: method === "HEAD" ? "" : asset.body };
}
