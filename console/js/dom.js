// Tiny DOM helpers. Text goes in only through textContent, createTextNode and
// setAttribute; nothing here parses markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

function fill(el, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'value' || k === 'checked') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  add(el, children);
  return el;
}

export function add(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
  return el;
}

// h('button', {class: 'danger', onclick: f}, 'Revoke')
export const h = (tag, attrs, ...children) => fill(document.createElement(tag), attrs, children);
export const s = (tag, attrs, ...children) => fill(document.createElementNS(SVG_NS, tag), attrs, children);

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

let uid = 0;
export const newId = (p = 'id') => `${p}-${++uid}`;

// A labelled field: returns {wrap, input}.
export function field(label, attrs = {}, tag = 'input', hint) {
  const id = newId('f');
  const hintId = hint ? newId('h') : undefined;
  const input = h(tag, { id, 'aria-describedby': hintId, ...attrs });
  const wrap = h('div', { class: 'field' }, h('label', { for: id }, label), input,
    hint && h('p', { class: 'hint', id: hintId }, hint));
  return { wrap, input };
}

// A table in a scroller: columns are header names, rows arrays of cells (nodes or text).
export function table(columns, rows, caption) {
  return h('div', { class: 'table-wrap' }, h('table', {},
    caption && h('caption', {}, caption),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c)))))));
}

// A definition list from pairs [term, value]; objects nest, arrays are listed.
export function dl(pairs) {
  return h('dl', { class: 'dl' }, pairs.filter((p) => p[1] !== undefined).map(([k, v]) =>
    [h('dt', {}, k), h('dd', {}, valueNode(v))]));
}

export function valueNode(v, depth = 0) {
  if (v instanceof Node) return v;
  if (v === null || v === undefined) return '—';
  if (Array.isArray(v)) {
    if (!v.length) return 'none';
    if (v.every((x) => typeof x !== 'object' || x === null)) return v.join(', ');
    return h('ul', { class: 'plain' }, v.map((x) => h('li', {}, valueNode(x, depth + 1))));
  }
  if (typeof v === 'object') {
    if (depth > 3) return JSON.stringify(v);
    const keys = Object.keys(v);
    if (!keys.length) return 'none';
    return dl(keys.map((k) => [k, valueNode(v[k], depth + 1)]));
  }
  if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(v)) return when(v);
  return String(v);
}

// Times: ms numbers or RFC 3339 strings, shown as "YYYY-MM-DD HH:MM:SS UTC".
export function toMs(v) {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v) { const t = Date.parse(v); return Number.isNaN(t) ? null : t; }
  return null;
}

export function fmtTime(v) {
  const t = toMs(v);
  if (t === null) return v === undefined || v === null || v === '' ? '—' : String(v);
  return new Date(t).toISOString().slice(0, 19).replace('T', ' ') + ' UTC';
}

const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
export function relTime(v) {
  const t = toMs(v);
  if (t === null) return '';
  let d = (t - Date.now()) / 1000;
  for (const [unit, n] of [['second', 60], ['minute', 60], ['hour', 24], ['day', 30], ['month', 12]]) {
    if (Math.abs(d) < n) return rtf.format(Math.round(d), unit);
    d /= n;
  }
  return rtf.format(Math.round(d), 'year');
}

// "3 minutes ago (2025-01-01 10:00:00 UTC)" in a <time>.
export function when(v) {
  const t = toMs(v);
  if (t === null) return fmtTime(v);
  return h('time', { datetime: new Date(t).toISOString() }, `${relTime(t)} (${fmtTime(t)})`);
}

// The frame of every page: a heading, one alert, one status, a body.
export function page(main, title) {
  const heading = h('h1', { tabindex: '-1' }, title);
  const alert = h('div', { role: 'alert', class: 'alert' });
  const status = h('div', { role: 'status', class: 'status' });
  const body = h('div', { class: 'body' });
  add(main, [heading, alert, status, body]);
  const p = {
    heading, body, status: (msg) => { status.textContent = msg || ''; },
    // Adds an error (text) to the page's alert, moved next to `near` when given.
    fail(err, near) {
      if (err && err.silent) return;
      if (near && near.isConnected) near.after(alert);
      const msg = (err && err.message) || String(err);
      if (![...alert.children].some((x) => x.textContent === msg)) alert.appendChild(h('p', {}, msg));
      alert.scrollIntoView({ block: 'nearest' });
    },
    ok() { clear(alert); },
    loading(el = body) {
      clear(el).appendChild(h('p', { class: 'loading' }, 'Loading…'));
      main.setAttribute('aria-busy', 'true');
      return () => { main.removeAttribute('aria-busy'); };
    },
  };
  return p;
}

// A modal confirmation; resolves true when confirmed, false on Cancel or Esc.
export function confirmDialog(message, confirmLabel, danger = true) {
  return new Promise((resolve) => {
    const msgId = newId('d');
    const dlg = h('dialog', { 'aria-labelledby': msgId },
      h('p', { id: msgId }, message));
    const done = (v) => { if (dlg.open) dlg.close(); dlg.remove(); resolve(v); };
    const yes = h('button', { type: 'button', class: danger ? 'danger' : 'primary', onclick: () => done(true) }, confirmLabel);
    const no = h('button', { type: 'button', onclick: () => done(false) }, 'Cancel');
    dlg.appendChild(h('div', { class: 'actions' }, yes, no));
    dlg.addEventListener('cancel', (e) => { e.preventDefault(); done(false); });
    document.body.appendChild(dlg);
    dlg.showModal();
    no.focus();
  });
}

// A readonly secret with its "Copy {label}" button.
export function secretField(label, value, say) {
  const f = field(label, { type: 'text', readonly: true, value, class: 'secret', spellcheck: 'false', autocomplete: 'off' });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      f.input.focus();
      f.input.select();
      document.execCommand('copy');
    }
    if (say) say(`Copied ${label}`);
  };
  f.wrap.appendChild(h('button', { type: 'button', onclick: copy }, `Copy ${label}`));
  f.wrap.classList.add('copyable');
  return f.wrap;
}

export const link = (href, text) => h('a', { href }, text);
export const enc = encodeURIComponent;
