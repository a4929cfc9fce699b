// Groups: search and page through them; one group with its members.
import * as api from '../api.js';
import { h, page, dl, clear, when, fmtTime, link, enc } from '../dom.js';
import { pagedList } from './users.js';

const memo = {};

export function render(main) {
  const p = page(main, 'Groups');
  pagedList(p, {
    label: 'Search groups', memo, empty: 'No groups found.',
    columns: ['Display name', 'External ID', 'Version', 'Last modified'],
    async load(q, after) {
      const r = await api.get('/groups', { displayName: q, after, limit: 50 });
      return { items: (r && r.groups) || [], next: r && r.next };
    },
    row: (g) => [link(`#/groups/${enc(g.id)}`, g.displayName || g.id), g.externalId || '—',
      g.version !== undefined ? String(g.version) : '—', fmtTime(g.lastModified)],
  });
}

export function renderGroup(main, id) {
  const p = page(main, 'Group');
  const members = h('ul', { class: 'members' });
  const more = h('button', { type: 'button' }, 'More members');
  let after;

  async function loadMembers() {
    more.disabled = true;
    try {
      const r = await api.get(`/groups/${enc(id)}/members`, { after, limit: 200 });
      for (const m of (r && r.members) || []) {
        members.appendChild(h('li', {}, link(`#/users/${enc(m.id)}`, m.display || m.id)));
      }
      after = r && r.next;
      more.hidden = !after;
      if (!members.firstChild) members.replaceWith(h('p', { class: 'empty' }, 'No members.'));
    } catch (e) { p.fail(e); } finally { more.disabled = false; }
  }

  (async () => {
    const done = p.loading();
    try {
      const g = (await api.get(`/groups/${enc(id)}`)) || {};
      p.heading.textContent = g.displayName || g.id || id;
      document.title = `${p.heading.textContent} – dirbridge`;
      more.hidden = true;
      more.addEventListener('click', loadMembers);
      clear(p.body).append(dl([['ID', h('span', { class: 'mono' }, g.id || id)], ['External ID', g.externalId || '—'],
        ['Version', g.version !== undefined ? String(g.version) : undefined],
        ['Created', g.created ? when(g.created) : undefined], ['Last modified', g.lastModified ? when(g.lastModified) : undefined]]),
      h('h2', {}, 'Members'), members, h('div', { class: 'actions' }, more));
      await loadMembers();
    } catch (e) { clear(p.body); p.fail(e); } finally { done(); }
  })();
}
