// Held changes: the guardrail's settings and the removals it held, to approve or discard.
import * as api from '../api.js';
import { h, page, table, clear, when, confirmDialog, link, enc, newId } from '../dom.js';
import { actorText } from './events.js';

function guardText(g) {
  if (!g || g.enabled === false) return 'The guardrail is off: no removal is held.';
  const mins = Math.round((Number(g.windowSeconds) || 0) / 60);
  return `The guardrail is on. Each source may suspend or delete at most ${g.threshold} users within ${mins} minutes ` +
    `(the larger of ${g.users} users and ${g.percent}% of the tenant's users); removals past that are held here.`;
}

export function render(main) {
  const p = page(main, 'Held changes');
  const guard = h('p', { class: 'guard' });
  const bulk = h('div', { class: 'actions' });
  const out = h('div', {});
  p.body.append(guard, bulk, out);

  async function listAll() {
    const all = [];
    let after;
    for (let i = 0; i < 50; i++) {
      const r = await api.get('/pending', { after, limit: 200 });
      all.push(...((r && r.pending) || []));
      if (!r || !r.next) break;
      after = r.next;
    }
    return all;
  }

  const decide = (x, what) => api.post(`/pending/${enc(x.user)}/${what}`, { by: 'console' });

  async function one(x, what, btn) {
    btn.disabled = true;
    try {
      await decide(x, what);
      p.ok();
      p.status(`${what === 'approve' ? 'Approved' : 'Discarded'} ${x.userName || x.user}`);
      load();
    } catch (e) { btn.disabled = false; p.fail(e); }
  }

  async function all(list, what) {
    const n = list.length;
    const verb = what === 'approve' ? 'Approve' : 'Discard';
    const text = what === 'approve'
      ? `Approve all ${n} held changes? Each removal is applied now, as the admin.`
      : `Discard all ${n} held changes? The removals are forgotten and the users stay as they are.`;
    if (!(await confirmDialog(text, `${verb} all ${n}`, what !== 'approve'))) return;
    p.ok();
    let done = 0;
    for (const x of list) {
      try { await decide(x, what); done++; } catch (e) { if (e.silent) return; p.fail(`${x.userName || x.user}: ${e.message}`); }
    }
    p.status(`${what === 'approve' ? 'Approved' : 'Discarded'} ${done} changes`);
    load();
  }

  async function load() {
    const stop = p.loading(out);
    try {
      const [g, list] = await Promise.all([api.get('/guardrail').catch((e) => { p.fail(e); return undefined; }), listAll()]);
      guard.textContent = g === undefined ? '' : guardText(g);
      clear(bulk);
      clear(out);
      if (!list.length) { out.appendChild(h('p', { class: 'empty' }, 'Nothing is held.')); return; }
      bulk.append(h('button', { type: 'button', class: 'primary', onclick: () => all(list, 'approve') }, 'Approve all'),
        h('button', { type: 'button', class: 'danger', onclick: () => all(list, 'discard') }, 'Discard all'));
      out.appendChild(table(['User name', 'Action', 'Source', 'Held at', 'Actions'], list.map((x) => {
        const nameId = newId('u');
        return [h('span', { id: nameId }, link(`#/users/${enc(x.user)}`, x.userName || x.user)), String(x.action ?? '—'),
          actorText({ source: x.source }), x.at ? when(x.at) : '—',
          h('div', { class: 'row-actions' },
            h('button', { type: 'button', 'aria-describedby': nameId, onclick: (e) => one(x, 'approve', e.currentTarget) }, 'Approve'),
            h('button', { type: 'button', class: 'danger', 'aria-describedby': nameId, onclick: (e) => one(x, 'discard', e.currentTarget) }, 'Discard'))];
      })));
    } catch (e) { clear(out); p.fail(e); } finally { stop(); }
  }
  load();
}
