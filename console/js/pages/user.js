// One user: details, attribute sources, groups, history; offboard and restore.
import * as api from '../api.js';
import { h, page, dl, clear, when, fmtTime, valueNode, confirmDialog, link, enc } from '../dom.js';
import { userState } from './users.js';
import { actorText } from './events.js';

const sourceText = (o) => (o && typeof o === 'object'
  ? [o.connection || o.kind, o.connection && o.kind && `(${o.kind})`, o.via && `via ${o.via}`].filter(Boolean).join(' ') || JSON.stringify(o)
  : String(o));

export function render(main, id) {
  const p = page(main, 'User');

  async function load(message) {
    const done = p.loading();
    try {
      const [u, hist] = await Promise.all([
        api.get(`/users/${enc(id)}`),
        api.get('/audit', { user: id, limit: 50 }).catch((e) => { p.fail(e); return null; }),
      ]);
      paint(u || {}, hist);
      if (message) p.status(message);
    } catch (e) { clear(p.body); p.fail(e); } finally { done(); }
  }

  function paint(u, hist) {
    const name = u.userName || u.id || id;
    p.heading.textContent = name;
    document.title = `${name} – dirbridge`;
    const b = clear(p.body);
    const off = u.offboarded;
    const actions = h('div', { class: 'actions' });
    if (!off && !u.archived) {
      actions.appendChild(h('button', { type: 'button', class: 'danger', onclick: () => offboard(name) }, 'Offboard'));
    }
    if (off) actions.appendChild(h('button', { type: 'button', onclick: (e) => restore(name, e.currentTarget) }, 'Restore'));
    b.append(actions, dl([
      ['ID', h('span', { class: 'mono' }, u.id || id)], ['Display name', u.displayName || '—'], ['Email', u.email || '—'],
      ['State', userState(u)], ['Version', u.version !== undefined ? String(u.version) : undefined],
      ['Offboarded', off ? [`by ${off.by || '—'} `, when(off.at), off.reason ? ` — ${off.reason}` : ''] : undefined],
      ['Archived', u.archived ? valueNode(u.archived) : undefined],
      ['Scheduled purge', u.scheduledPurge ? valueNode(u.scheduledPurge) : undefined],
    ]));
    const owners = Object.entries(u.attributeOwners || {});
    b.append(h('h2', {}, 'Sources'), owners.length
      ? dl(owners.map(([attr, src]) => [attr, sourceText(src)]))
      : h('p', {}, 'No attribute has a recorded source.'));
    const conflicts = u.attributeConflicts && Object.keys(u.attributeConflicts).length ? u.attributeConflicts : null;
    if (conflicts) b.append(h('h3', {}, 'Attribute conflicts'), valueNode(conflicts));
    const groups = Array.isArray(u.groups) ? u.groups : [];
    b.append(h('h2', {}, 'Groups'), groups.length
      ? h('ul', {}, groups.map((g) => h('li', {}, link(`#/groups/${enc(g.id)}`, g.displayName || g.id))))
      : h('p', {}, 'None'));
    if (u.moreGroups) b.append(h('p', { class: 'hint' }, `Only the first ${groups.length} groups are shown.`));
    const entries = (hist && hist.entries) || [];
    b.append(h('h2', {}, 'History'), entries.length
      ? h('ol', { class: 'timeline' }, entries.map((e) => h('li', {},
        h('span', { class: 'when' }, fmtTime(e.at)), h('span', { class: 'type' }, String(e.type ?? '')),
        h('span', { class: 'meta' }, actorText(e)))))
      : h('p', {}, hist ? 'No recorded changes.' : 'History could not be read.'));
    if (hist && hist.next) b.append(h('p', { class: 'hint' }, h('a', { href: '#/audit' }, 'The audit log'), ' has more.'));
  }

  async function offboard(name) {
    const yes = await confirmDialog(`Offboard ${name}? They are suspended at once and no source can reactivate them.`, `Offboard ${name}`);
    if (!yes) return;
    try {
      await api.post(`/users/${enc(id)}/offboard`, { by: 'console', reason: 'offboarded in the console' });
      p.ok();
      await load(`Offboarded ${name}`);
    } catch (e) { p.fail(e); }
  }

  async function restore(name, btn) {
    btn.disabled = true;
    try {
      await api.post(`/users/${enc(id)}/restore`, { by: 'console' });
      p.ok();
      await load(`Restored ${name}`);
    } catch (e) { btn.disabled = false; p.fail(e); }
  }

  load();
}
