// Events: the tenant's event log as a timeline, paged by sequence number.
import * as api from '../api.js';
import { h, page, clear, fmtTime, link, enc } from '../dom.js';

const PAGE = 100;

// The event with sequence k, or null past the end.
async function probe(k) {
  const r = await api.get('/events', { after: k - 1, limit: 1 });
  return (r && r.events && r.events[0]) || null;
}

// The smallest sequence k >= 1 whose event (null past the end) satisfies `pred`,
// which must be false then true along the log: a galloping, then binary, search.
export async function firstSequence(pred) {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 48 && !pred(await probe(hi)); i++) { lo = hi; hi *= 2; }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (pred(await probe(mid))) hi = mid; else lo = mid;
  }
  return hi;
}

export function actorText(e) {
  const s = e.source || {};
  const by = e.data && typeof e.data.by === 'string' ? e.data.by : '';
  return [s.connection || s.kind, s.connection && s.kind && `(${s.kind})`, s.via && `via ${s.via}`, by && `by ${by}`]
    .filter(Boolean).join(' ') || '—';
}

export function subjectNode(e) {
  const d = e.data || {};
  const parts = [];
  if (e.user) parts.push(link(`#/users/${enc(e.user)}`, typeof d.userName === 'string' ? d.userName : e.user));
  if (e.group) {
    if (parts.length) parts.push(' in ');
    parts.push(link(`#/groups/${enc(e.group)}`, typeof d.displayName === 'string' ? d.displayName : e.group));
  }
  return parts.length ? h('span', {}, parts) : '—';
}

function item(e) {
  return h('li', {},
    h('span', { class: 'when' }, fmtTime(e.at)),
    h('span', { class: 'type' }, String(e.type ?? '')),
    h('span', { class: 'subject' }, subjectNode(e)),
    h('span', { class: 'meta' }, `#${e.sequence} · ${actorText(e)}`));
}

export function render(main) {
  const p = page(main, 'Events');
  const list = h('ol', { class: 'timeline', 'aria-label': 'Events, oldest first' });
  const older = h('button', { type: 'button' }, 'Older');
  const more = h('button', { type: 'button' }, 'Load more');
  const latest = h('button', { type: 'button' }, 'Jump to latest');
  const note = h('p', { class: 'hint' });
  let first = 0;
  let last = 0;
  p.body.append(h('div', { class: 'actions' }, older, latest), list, note, h('div', { class: 'actions' }, more));

  function paint() {
    older.hidden = first <= 1;
    if (!list.firstChild) note.textContent = 'No events.';
  }

  async function fetchRange(after, limit) {
    const r = await api.get('/events', { after, limit });
    return (r && r.events) || [];
  }

  async function run(f, btn) {
    const done = p.loading(note);
    if (btn) btn.disabled = true;
    try { await f(); note.textContent = ''; p.ok(); } catch (e) { note.textContent = ''; p.fail(e); } finally {
      done();
      if (btn) btn.disabled = false;
      paint();
    }
  }

  async function loadFrom(after) {
    const evs = await fetchRange(after, PAGE);
    clear(list);
    for (const e of evs) list.appendChild(item(e));
    first = evs.length ? evs[0].sequence : after + 1;
    last = evs.length ? evs[evs.length - 1].sequence : after;
  }

  more.addEventListener('click', () => run(async () => {
    const evs = await fetchRange(last, PAGE);
    for (const e of evs) list.appendChild(item(e));
    if (evs.length) last = evs[evs.length - 1].sequence;
    p.status(evs.length ? `Loaded ${evs.length} newer events` : 'No newer events yet.');
  }, more));

  older.addEventListener('click', () => run(async () => {
    const after = Math.max(0, first - 1 - PAGE);
    const evs = await fetchRange(after, first - 1 - after);
    list.prepend(...evs.map(item));
    if (evs.length) first = evs[0].sequence;
    p.status(`Loaded ${evs.length} older events`);
  }, older));

  latest.addEventListener('click', () => run(async () => {
    const end = (await firstSequence((e) => e === null)) - 1;
    await loadFrom(Math.max(0, end - PAGE));
    p.status(`Showing events up to #${end}`);
  }, latest));

  run(() => loadFrom(0));
}
