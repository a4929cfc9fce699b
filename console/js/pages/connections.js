// Connections: list, rotate a token (shown once), revoke.
import * as api from '../api.js';
import { h, page, table, clear, fmtTime, when, confirmDialog, secretField, link, enc, newId } from '../dom.js';

// Every connection, following `next` (at most 20 pages of 200).
export async function listConnections() {
  const all = [];
  let after;
  for (let i = 0; i < 20; i++) {
    const r = await api.get('/connections', { after, limit: 200 });
    all.push(...((r && r.connections) || []));
    if (!r || !r.next) break;
    after = r.next;
  }
  return all;
}

export const stateText = (c) => (c.revoked ? `Revoked ${fmtTime(c.revoked)}` : 'Active');

export function render(main) {
  const p = page(main, 'Connections');
  const tools = h('p', {}, link('#/connections/new', 'Connect an IdP'));
  const panel = h('div', {});
  const list = h('div', {});
  p.heading.after(tools);
  p.body.append(panel, list);

  function showToken(c, r) {
    const say = (m) => p.status(m);
    clear(panel).appendChild(h('section', { role: 'region', 'aria-label': 'New token', class: 'card secret-panel' },
      h('h2', {}, `New token for ${c.id}`),
      h('p', {}, 'This token is shown only once: copy it into the IdP now. dirbridge keeps only its hash.'),
      secretField('Bearer token', r.token || '', say),
      r.previousTokenValidUntil && h('p', {}, `The previous token keeps working until ${fmtTime(r.previousTokenValidUntil)}.`)));
    panel.querySelector('input')?.focus();
  }

  async function rotate(c, btn) {
    btn.disabled = true;
    try {
      const r = await api.post(`/connections/${enc(c.id)}/token`, {});
      p.ok();
      showToken(c, r || {});
      p.status(`New token issued for ${c.id}`);
    } catch (e) { p.fail(e, panel); } finally { btn.disabled = false; }
  }

  async function revoke(c) {
    const yes = await confirmDialog(
      `Revoke connection ${c.id} (${c.kind})? Its token and secrets stop working at once; this cannot be undone.`,
      `Revoke ${c.id}`);
    if (!yes) return;
    try {
      await api.del(`/connections/${enc(c.id)}`);
      p.ok();
      clear(panel);
      p.status(`Revoked ${c.id}`);
      load();
    } catch (e) { p.fail(e); }
  }

  async function load() {
    const done = p.loading(list);
    try {
      const cs = await listConnections();
      clear(list);
      if (!cs.length) {
        list.appendChild(h('p', { class: 'empty' }, 'No connections yet. Connect an IdP to start.'));
        return;
      }
      list.appendChild(table(['Connection', 'Kind', 'Created', 'Last request', 'Last change', 'State', 'Actions'],
        cs.map((c) => {
          const a = c.activity || {};
          const nameId = newId('c');
          const actions = c.revoked ? '—' : h('div', { class: 'row-actions' },
            h('button', { type: 'button', 'aria-describedby': nameId, onclick: (e) => rotate(c, e.currentTarget) }, 'Rotate token'),
            h('button', { type: 'button', class: 'danger', 'aria-describedby': nameId, onclick: () => revoke(c) }, 'Revoke'));
          return [h('span', { id: nameId, class: 'mono' }, c.id), c.kind, fmtTime(c.created),
            a.lastRequest ? h('span', { class: 'mono' }, a.lastRequest) : '—',
            a.lastChange ? when(a.lastChange) : '—', stateText(c), actions];
        })));
    } catch (e) {
      clear(list);
      p.fail(e);
    } finally { done(); }
  }
  load();
}
