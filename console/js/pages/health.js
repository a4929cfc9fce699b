// Health: each connection's activity, its Google or Graph status, a chart of its
// changes over the last 24 hours, and the outbox's failed (parked) effects.
import * as api from '../api.js';
import { h, s, page, dl, table, clear, when, fmtTime, toMs, enc, newId } from '../dom.js';
import { listConnections, stateText } from './connections.js';
import { firstSequence } from './events.js';

const HOUR = 3600000;

async function changesSince(actor, since, after) {
  const times = [];
  let next = after;
  let partial = false;
  for (let i = 0; i <= 5; i++) {
    const r = await api.get('/audit', { actor, since: new Date(since).toISOString(), limit: 1000, after: next });
    for (const e of (r && r.entries) || []) times.push(toMs(e.at));
    next = r && r.next;
    partial = next !== undefined && next !== null;
    if (!partial) break;
  }
  return { times, partial };
}

function chart(id, since, { times, partial }) {
  const buckets = new Array(24).fill(0);
  for (const t of times) {
    const i = Math.floor((t - since) / HOUR);
    if (t !== null && i >= 0 && i < 24) buckets[i]++;
  }
  const total = buckets.reduce((a, b) => a + b, 0);
  const max = Math.max(1, ...buckets);
  const [x0, y0, w, hgt] = [28, 8, 286, 92];
  const bw = w / 24;
  const label = `Changes per hour for ${id}: ${partial ? 'at least ' : ''}${total} in the last 24 hours`;
  return s('svg', { role: 'img', 'aria-label': label, viewBox: '0 0 320 126', class: 'chart' },
    s('text', { x: x0 - 4, y: y0 + 8, class: 'axis end' }, String(max)),
    s('text', { x: x0 - 4, y: y0 + hgt, class: 'axis end' }, '0'),
    buckets.map((n, i) => {
      const bh = (n / max) * hgt;
      const from = new Date(since + i * HOUR);
      return s('rect', { x: (x0 + i * bw + 1).toFixed(1), y: (y0 + hgt - bh).toFixed(1), width: (bw - 2).toFixed(1), height: bh.toFixed(1), class: 'bar' },
        s('title', {}, `${n} from ${fmtTime(from.getTime())}`));
    }),
    s('rect', { x: x0, y: y0 + hgt, width: w, height: 1, class: 'baseline' }),
    s('text', { x: x0, y: 118, class: 'axis' }, '24 hours ago'),
    s('text', { x: x0 + w, y: 118, class: 'axis end' }, 'now'));
}

export function render(main) {
  const p = page(main, 'Health');
  const cards = h('div', { class: 'cards' });
  const effects = h('div', {});
  const effectsHead = h('h2', {}, 'Failed effects');
  p.body.append(cards, h('section', { 'aria-labelledby': effectsHead.id = newId('s') }, effectsHead, effects));

  async function card(c, since, startAfter) {
    const a = c.activity || {};
    const lastEvent = h('span', {}, a.lastEvent !== undefined ? `#${a.lastEvent}` : '—');
    const detail = h('div', {});
    const graph = h('div', { class: 'chart-box' }, h('p', { class: 'loading' }, 'Loading…'));
    const art = h('article', { class: 'card' },
      h('h2', {}, `${c.id} (${c.kind})`),
      dl([['Last request', a.lastRequest || '—'], ['Last change', a.lastChange ? when(a.lastChange) : '—'],
        ['Last event', lastEvent], ['State', stateText(c)], ['Created', fmtTime(c.created)],
        ['Token rotated', c.tokenRotated ? when(c.tokenRotated) : undefined],
        ['Previous token valid until', c.previousTokenValidUntil ? when(c.previousTokenValidUntil) : undefined]]),
      detail, h('h3', {}, 'Changes per hour, last 24 hours'), graph);
    cards.appendChild(art);
    const jobs = [];
    if (a.lastEvent) {
      jobs.push(api.get('/events', { after: a.lastEvent - 1, limit: 1 }).then((r) => {
        const e = r && r.events && r.events[0];
        if (e) lastEvent.append(' ', when(e.at));
      }));
    }
    if (['google', 'entra', 'signed_webhook'].includes(c.kind) && !c.revoked) {
      jobs.push(api.get(`/connections/${enc(c.id)}`).then((r) => {
        const skip = new Set(['id', 'tenant', 'kind', 'created']);
        const rest = Object.entries(r || {}).filter(([k]) => !skip.has(k));
        if (rest.length) detail.append(h('h3', {}, 'Status'), dl(rest));
      }));
    }
    jobs.push(changesSince(c.id, since, startAfter).then((r) => clear(graph).appendChild(chart(c.id, since, r)),
      (e) => { clear(graph).appendChild(h('p', {}, 'No chart: the audit log could not be read.')); throw e; }));
    for (const r of await Promise.allSettled(jobs)) if (r.status === 'rejected') p.fail(r.reason);
  }

  async function loadConnections() {
    const done = p.loading(cards);
    try {
      const cs = await listConnections();
      clear(cards);
      if (!cs.length) { cards.appendChild(h('p', { class: 'empty' }, 'No connections yet.')); return; }
      const since = Date.now() - 24 * HOUR;
      // Where the last 24 hours start in the log, so that each audit query reads only them.
      let startAfter;
      try { startAfter = (await firstSequence((e) => e === null || toMs(e.at) >= since)) - 1; } catch (e) { if (e.silent) throw e; }
      await Promise.all(cs.map((c) => card(c, since, startAfter || undefined)));
    } catch (e) { clear(cards); p.fail(e); } finally { done(); }
  }

  async function retry(id, btn) {
    btn.disabled = true;
    try {
      await api.post(`/effects/${enc(id)}/retry`, {});
      p.ok();
      p.status(`Retried ${id}`);
      loadEffects();
    } catch (e) { btn.disabled = false; p.fail(e, effectsHead); }
  }

  async function loadEffects() {
    const done = p.loading(effects);
    try {
      const r = await api.get('/effects', { phase: 'parked', limit: 100 });
      const list = (r && r.effects) || [];
      clear(effects);
      if (!list.length) { effects.appendChild(h('p', { class: 'empty' }, 'No failed effects.')); return; }
      effects.appendChild(table(['Effect', 'Kind/URL', 'Attempts', 'Last error', 'Parked at', 'Actions'], list.map((e) => {
        const req = e.request || {};
        const what = req.url ? `${req.method || ''} ${req.url}`.trim() : `timer ${e.continuation || ''}`.trim();
        const idNode = h('span', { class: 'mono', id: newId('e') }, String(e.id));
        return [idNode, [e.module ? `${e.module}: ` : '', what], String(e.attempts ?? '—') + (e.maxAttempts ? ` of ${e.maxAttempts}` : ''),
          String(e.lastError ?? '—'), fmtTime(e.parkedAt ?? e.parked ?? e.due),
          h('button', { type: 'button', 'aria-describedby': idNode.id, onclick: (ev) => retry(e.id, ev.currentTarget) }, 'Retry')];
      })));
      if (r.next) effects.appendChild(h('p', { class: 'hint' }, 'Showing the first 100 failed effects.'));
    } catch (e) { clear(effects); p.fail(e, effectsHead); } finally { done(); }
  }

  loadConnections();
  loadEffects();
}
