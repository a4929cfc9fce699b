// Hash routing: "#/users/abc" -> the route whose pattern is "users/:id".

const routes = [];

// pattern: "users/:id"; render(params) is called on each match.
export function route(pattern, render) {
  routes.push({ parts: pattern.split('/').filter(Boolean), render });
}

export function current() {
  const raw = location.hash.replace(/^#\/?/, '').split('?')[0];
  return raw.split('/').filter(Boolean).map((p) => {
    try { return decodeURIComponent(p); } catch { return p; }
  });
}

export function match(parts = current()) {
  for (const r of routes) {
    if (r.parts.length !== parts.length) continue;
    const params = {};
    const ok = r.parts.every((p, i) => (p.startsWith(':') ? ((params[p.slice(1)] = parts[i]), true) : p === parts[i]));
    if (ok) return { route: r, params, name: r.parts.join('/') };
  }
  return null;
}

export function go(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}

export function start(onChange) {
  window.addEventListener('hashchange', () => onChange(match()));
  onChange(match());
}
