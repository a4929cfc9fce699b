// Users: search and page through the tenant's users.
import * as api from '../api.js';
import { h, page, field, table, clear, link, enc } from '../dom.js';

export const userState = (u) => (u.offboarded ? 'Offboarded' : u.archived ? 'Archived' : u.active === false ? 'Suspended' : 'Active');

// A search form and a paged table; kept per list between visits.
export function pagedList(p, { label, load, columns, row, empty, memo }) {
  const search = field(label, { type: 'search', value: memo.q || '', autocomplete: 'off', spellcheck: 'false' });
  const form = h('form', { class: 'search', role: 'search' }, search.wrap, h('button', { type: 'submit', class: 'primary' }, 'Search'));
  const out = h('div', {});
  const prev = h('button', { type: 'button' }, 'Previous page');
  const next = h('button', { type: 'button' }, 'Next page');
  p.body.append(form, out, h('div', { class: 'actions pager' }, prev, next));
  memo.stack = memo.stack || [];
  let nextCursor;

  async function show() {
    const done = p.loading(out);
    prev.disabled = next.disabled = true;
    try {
      const r = await load(memo.q || '', memo.after);
      const items = r.items || [];
      nextCursor = r.next;
      clear(out).appendChild(items.length ? table(columns, items.map(row))
        : h('p', { class: 'empty' }, nextCursor ? 'No matches on this page; Next page searches on.' : empty));
      p.ok();
    } catch (e) { clear(out); p.fail(e); } finally {
      done();
      prev.disabled = memo.stack.length === 0;
      next.disabled = !nextCursor;
    }
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    memo.q = search.input.value.trim();
    memo.stack = [];
    memo.after = undefined;
    show();
  });
  next.addEventListener('click', () => { memo.stack.push(memo.after); memo.after = nextCursor; show(); });
  prev.addEventListener('click', () => { memo.after = memo.stack.pop(); show(); });
  show();
}

const memo = {};

export function render(main) {
  const p = page(main, 'Users');
  pagedList(p, {
    label: 'Search users', memo, empty: 'No users found.',
    columns: ['User name', 'Display name', 'Email', 'State'],
    async load(q, after) {
      const r = await api.get('/users', { q, after, limit: 50 });
      return { items: (r && r.users) || [], next: r && r.next };
    },
    row: (u) => [link(`#/users/${enc(u.id)}`, u.userName || u.id), u.displayName || '—', u.email || '—', userState(u)],
  });
}
