// The entry: session check, header and navigation, routes.
import * as api from './api.js';
import { h, clear } from './dom.js';
import { route, start, go, match } from './router.js';
import * as signin from './pages/signin.js';
import * as connections from './pages/connections.js';
import * as connect from './pages/connect.js';
import * as health from './pages/health.js';
import * as users from './pages/users.js';
import * as user from './pages/user.js';
import * as groups from './pages/groups.js';
import * as events from './pages/events.js';
import * as audit from './pages/audit.js';
import * as held from './pages/held.js';

const main = document.getElementById('main');
const top = document.getElementById('top');
const SECTIONS = [
  ['Connections', 'connections'], ['Health', 'health'], ['Users', 'users'], ['Groups', 'groups'],
  ['Events', 'events'], ['Audit', 'audit'], ['Held changes', 'held'],
];
let returnTo = '';
let signInMessage = '';
let first = true;

route('signin', () => signin.render(main, {
  message: signInMessage,
  done() { signInMessage = ''; const to = returnTo || '#/connections'; returnTo = ''; go(to); },
}));
route('connections', () => connections.render(main));
route('connections/new', () => connect.render(main));
route('health', () => health.render(main));
route('users', () => users.render(main));
route('users/:id', (p) => user.render(main, p.id));
route('groups', () => groups.render(main));
route('groups/:id', (p) => groups.renderGroup(main, p.id));
route('events', () => events.render(main));
route('audit', () => audit.render(main));
route('held', () => held.render(main));

function header(section) {
  clear(top);
  if (!api.signedIn()) return;
  const signOut = async () => {
    try { await api.signOut(); } catch { /* the cookie expires anyway */ }
    signInMessage = '';
    returnTo = '';
    go('#/signin');
  };
  top.appendChild(h('div', { class: 'bar' },
    h('p', { class: 'brand' }, 'dirbridge', h('span', { class: 'tenant' }, 'Tenant ', h('strong', {}, api.tenant()))),
    h('nav', { 'aria-label': 'Sections' },
      h('ul', {}, SECTIONS.map(([label, path]) => h('li', {},
        h('a', { href: `#/${path}`, 'aria-current': section === path ? 'page' : undefined }, label))))),
    h('button', { type: 'button', class: 'signout', onclick: signOut }, 'Sign out')));
}

function show(m) {
  const hash = location.hash || '';
  if (!m) { go(api.signedIn() ? '#/connections' : '#/signin'); return; }
  const isSignin = m.name === 'signin';
  if (!isSignin && (!api.signedIn() || !api.tenant())) {
    returnTo = hash;
    go('#/signin');
    return;
  }
  header(isSignin ? '' : m.name.split('/')[0]);
  clear(main);
  main.removeAttribute('aria-busy');
  m.route.render(m.params);
  document.title = `${main.querySelector('h1')?.textContent || 'Console'} – dirbridge`;
  if (!first) (main.querySelector('h1') || main).focus();
  first = false;
}

api.onSessionEnded(() => {
  signInMessage = 'Your session has ended; sign in again.';
  const m = match();
  returnTo = m && m.name !== 'signin' ? location.hash : '';
  go('#/signin');
});

document.querySelector('.skip')?.addEventListener('click', (e) => {
  e.preventDefault();
  (main.querySelector('h1') || main).focus();
});

(async () => {
  try {
    await api.checkSession();
  } catch (e) {
    signInMessage = e.message;
  }
  start(show);
})();
