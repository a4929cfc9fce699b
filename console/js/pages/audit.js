// The audit log: filtered, paged by its `next` cursor.
import * as api from '../api.js';
import { h, page, field, table, clear, fmtTime } from '../dom.js';
import { actorText, subjectNode } from './events.js';

const TYPES = ['user.provisioned', 'user.updated', 'user.suspended', 'user.reactivated', 'user.deprovisioned',
  'user.reinvited', 'user.offboarded', 'user.reactivation_held', 'user.archived', 'user.removed',
  'user.attribute_conflict', 'group.created', 'group.updated', 'group.deleted', 'group.member_added',
  'group.member_removed', 'change.held', 'change.approved', 'change.discarded', 'entitlement.granted',
  'entitlement.revoked', 'rule.set', 'rule.deleted', 'precedence.set'];

const localToRfc3339 = (v) => {
  if (!v) return undefined;
  const t = new Date(v);
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString().replace(/\.000Z$/, 'Z');
};

export function render(main) {
  const p = page(main, 'Audit log');
  const text = { type: 'text', autocomplete: 'off', spellcheck: 'false' };
  const user = field('User', text, 'input', 'A user id or user name.');
  const group = field('Group', text, 'input', 'A group id.');
  const actor = field('Actor', text, 'input', 'A connection id, a source kind (okta, admin…) or an admin\'s name.');
  const listId = 'audit-types';
  const type = field('Event type', { ...text, list: listId });
  const since = field('Since', { type: 'datetime-local', step: 1 }, 'input', 'Your local time; sent as UTC.');
  const until = field('Until', { type: 'datetime-local', step: 1 }, 'input', 'Your local time; sent as UTC.');
  const apply = h('button', { type: 'submit', class: 'primary' }, 'Apply filters');
  const form = h('form', { class: 'card filters', novalidate: true },
    h('div', { class: 'grid' }, [user, group, actor, type, since, until].map((f) => f.wrap)),
    h('datalist', { id: listId }, TYPES.map((t) => h('option', { value: t }))),
    h('div', { class: 'actions' }, apply));
  const grid = table(['Time', 'Type', 'Actor', 'Subject', 'Details'], []);
  const tbody = grid.querySelector('tbody');
  const out = h('div', {});
  const info = h('p', { class: 'hint' });
  const more = h('button', { type: 'button' }, 'More');
  p.body.append(form, out, info, h('div', { class: 'actions' }, more));
  let query = {};
  let next;
  let count = 0;
  let scanned = 0;

  function rows(entries) {
    for (const e of entries) {
      const data = e.data && Object.keys(e.data).length ? JSON.stringify(e.data) : '';
      const details = [data, e.request ? `request ${e.request}` : ''].filter(Boolean).join(' · ') || '—';
      tbody.appendChild(h('tr', {}, [fmtTime(e.at), String(e.type ?? ''), actorText(e), subjectNode(e),
        h('code', { class: 'details' }, details)].map((c) => h('td', {}, c))));
    }
  }

  async function fetchPage(first) {
    const before = info.textContent;
    const done = p.loading(first ? out : info);
    more.disabled = true;
    try {
      const r = (await api.get('/audit', { ...query, after: first ? undefined : next, limit: 100 })) || {};
      const entries = r.entries || [];
      if (first) {
        clear(tbody);
        count = 0;
        scanned = 0;
      }
      rows(entries);
      count += entries.length;
      scanned += Number(r.scanned) || 0;
      next = r.next;
      info.textContent = `${count} entries shown; ${scanned} events read.${next !== undefined && next !== null ? ' More may match: choose More.' : ''}`;
      if (count) { if (!out.contains(tbody)) out.replaceChildren(grid); } else out.replaceChildren(h('p', { class: 'empty' }, 'No entries match.'));
      p.ok();
    } catch (e) {
      if (first) clear(out); else info.textContent = before;
      p.fail(e);
    } finally {
      done();
      more.disabled = false;
      more.hidden = next === undefined || next === null;
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    query = {
      user: user.input.value.trim(), group: group.input.value.trim(), actor: actor.input.value.trim(),
      type: type.input.value.trim(), since: localToRfc3339(since.input.value), until: localToRfc3339(until.input.value),
    };
    fetchPage(true);
  });
  more.addEventListener('click', () => fetchPage(false));
  fetchPage(true);
}
