// Sign in: the admin token is exchanged for a session cookie and then forgotten.
import * as api from '../api.js';
import { h, page, field } from '../dom.js';

export function render(main, { message, done }) {
  const p = page(main, 'Sign in to dirbridge');
  const tenant = field('Tenant', { type: 'text', name: 'tenant', required: true, autocomplete: 'off', spellcheck: 'false', value: api.tenant() });
  const token = field('Admin token', { type: 'password', name: 'token', autocomplete: 'off', spellcheck: 'false', required: !api.signedIn() },
    'input', api.signedIn()
      ? 'You are signed in: leave the token empty to switch to another tenant.'
      : 'The token is sent once to start a 30-minute session; the console never keeps it.');
  const button = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h('form', { class: 'card narrow', novalidate: true }, tenant.wrap, token.wrap, h('div', { class: 'actions' }, button));
  p.body.appendChild(form);
  if (message) p.fail(message);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    p.ok();
    const t = tenant.input.value.trim();
    const secret = token.input.value;
    token.input.value = '';
    if (!t) { p.fail('Enter the tenant id.'); tenant.input.focus(); return; }
    if (!secret && !api.signedIn()) { p.fail('Enter the admin token.'); token.input.focus(); return; }
    button.disabled = true;
    try {
      if (secret) await api.signIn(secret);
      api.setTenant(t);
      await api.get('');  // the tenant must exist
      p.ok();
      done();
    } catch (err) {
      p.fail(err.silent ? 'Your session has ended; sign in again.' : err);
      token.input.focus();
    } finally {
      button.disabled = false;
    }
  });
}
