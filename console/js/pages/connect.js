// Connect an IdP: the guided setup per kind, the connection's secrets shown once,
// and the follow-up settings of Google Workspace and Entra's Graph path.
import * as api from '../api.js';
import { h, page, field, clear, secretField, dl, enc, valueNode } from '../dom.js';

// A step is text in which `back-quoted` parts are code.
const step = (t) => t.split('`').map((part, i) => (i % 2 ? h('code', {}, part) : part));
const CREATE = 'Choose Create connection below. The `SCIM base URL` and `Bearer token` are shown once: keep this page open.';

// [kind, option name, steps].
const KINDS = [
  ['entra', 'Microsoft Entra ID', [
    'In the Microsoft Entra admin center, open Enterprise applications → New application → Create your own application (non-gallery) and name it.',
    CREATE,
    'In the application, open Provisioning and set Provisioning Mode to Automatic. Under Admin Credentials, paste the `SCIM base URL` into Tenant URL and the `Bearer token` into Secret Token, then choose Test Connection and Save.',
    'Under Mappings, map `objectId` to `externalId` (the default sends mailNickname), so that SCIM and Graph find the same user.',
    'Assign users and groups, then set Provisioning Status to On. Entra pushes changes about every 40 minutes.',
    'Optional, for changes within seconds: register an app with the application permissions `User.Read.All` and `Group.Read.All` (admin consent) and a client secret, and enter them in the Graph form shown once the connection exists.',
  ]],
  ['okta', 'Okta', [
    'In the Okta Admin Console, open Applications → Applications → your password manager\'s app (or a SCIM 2.0 app) → General → App Settings, set Provisioning to SCIM and save.',
    CREATE,
    'Open Provisioning → Integration → Edit: SCIM connector base URL = the `SCIM base URL`; Unique identifier field for users = `userName`; actions: Push New Users, Push Profile Updates, Push Groups; Authentication Mode = HTTP Header; Authorization = the `Bearer token`. Choose Test Connector Configuration, then Save.',
    'Under Provisioning → To App, enable Create Users, Update User Attributes and Deactivate Users. Assign people and push groups.',
    'Optional, for changes within seconds: Workflow → Event Hooks → Create Event Hook: URL = `Event hook URL`, Authentication field = `Event hook header`, Authentication secret = `Event hook secret`; subscribe to the events listed with them, then Verify.',
  ]],
  ['google', 'Google Workspace', [
    'Google Workspace is watched, not pushed by SCIM: dirbridge reads it through the Admin SDK with a service account.',
    'In the Google Cloud console, IAM & Admin → Service Accounts: create a service account and a JSON key for it.',
    'In the Google Admin console, Security → Access and data control → API controls → Domain-wide delegation → Add new: the service account\'s client ID with the scopes `https://www.googleapis.com/auth/admin.directory.user.readonly`, `https://www.googleapis.com/auth/admin.directory.group.readonly` and `https://www.googleapis.com/auth/admin.reports.audit.readonly`.',
    'Choose Create connection below.',
    'In the form shown then, paste the key file, the admin email the service account acts as and, if needed, the customer ID (default `my_customer`). dirbridge opens push channels and runs a first full sync. Google pushes to this site, so it must be served over HTTPS with a valid certificate.',
  ]],
  ['onelogin', 'OneLogin', [
    'In OneLogin, Applications → Add App: choose "SCIM Provisioner with SAML (SCIM v2 Enterprise)" and save it.',
    CREATE,
    'On the Configuration tab, paste the `SCIM base URL` into SCIM Base URL and the `Bearer token` into SCIM Bearer Token; save, then enable the API connection.',
    'On the Provisioning tab, enable provisioning and choose Suspend for deleted and suspended users; save.',
    'Give access to the app (users, roles) and map groups with rules; OneLogin then pushes them.',
  ]],
  ['pingone', 'PingOne / PingFederate', [
    'In PingOne, Integrations → Provisioning → New Connection → Identity Store → SCIM Outbound. (PingFederate: an SP connection with outbound provisioning through the SCIM connector.)',
    CREATE,
    'Under Configure Authentication: SCIM BASE URL = the `SCIM base URL`; Authentication Method = OAuth 2 Bearer Token; access token = the `Bearer token`. Test the connection.',
    'Use `userName` as the unique identifier, allow create, update and disable, save and enable the connection, then add a rule that picks the users and groups.',
  ]],
  ['jumpcloud', 'JumpCloud', [
    'In the JumpCloud Admin Portal, SSO Applications → Add New Application (your password manager, or a custom application), then open its Identity Management tab.',
    CREATE,
    'Choose SCIM 2.0; Base URL = the `SCIM base URL`; Token Key = the `Bearer token`. Choose Test Connection, then Activate.',
    'On the User Groups tab, bind the groups whose members need accounts, and save. Group management pushes the groups too.',
  ]],
  ['ad', 'Active Directory connector', [
    'The AD connector, `dirbridge-ad`, runs on a member server inside the customer network (never on a domain controller), reads AD over LDAPS and pushes changes by SCIM.',
    CREATE,
    'Write its `config.json` from `ad_connector/example-config.json`: `ldap.url` (ldaps://…), `ldap.caFile`, `ldap.bindDn` with `ldap.passwordEnv`, `ldap.baseDn`, `target.scimUrl` = the `SCIM base URL`, `target.tokenEnv` (or a 0600 `target.tokenFile`) holding the `Bearer token`, and `sync.stateFile`.',
    'Run `dirbridge-ad --config config.json --dry-run` to see what it would change, then `--once`, then run it as a service (`ad_connector/dirbridge-ad.service`).',
  ]],
  ['custom', 'Custom API', [
    'The custom API accepts LastPass Enterprise API scripts unchanged but for the URL and credentials.',
    'Choose Create connection below. The `Custom API URL` and the `Provisioning hash` are shown once.',
    'In the scripts, post to the `Custom API URL` with `cid` = the tenant id (a string) and `provhash` = the `Provisioning hash`; the body stays `{"cid", "provhash", "cmd", "data"}`.',
    'Commands: batchadd, batchchangegrp, deluser, disableuser, enableuser, reinviteuser, getuserdata. A new provisioning hash (the old one then stops) comes from `POST …/connections/{c}/provhash`.',
  ]],
  ['signed_webhook', 'Signed webhooks', [
    'A signed webhook connection accepts lifecycle events from any system (an HR system, a script), signed as the Standard Webhooks specification says.',
    'Choose Create connection below. The `Webhook URL` and `Webhook secret` (whsec_…) are shown once.',
    'The sender posts one event, or `{"events": [...]}` with up to 100, to the `Webhook URL` with the headers `webhook-id`, `webhook-timestamp` and `webhook-signature` (`v1,` and base64 of HMAC-SHA256 of `{id}.{timestamp}.{body}` under the secret).',
    'Event types: user.created, user.updated, user.suspended, user.reactivated, user.deleted, group.created, group.deleted, group.member_added, group.member_removed; each with an id and occurredAt.',
  ]],
];

export const kindName = (k) => (KINDS.find((x) => x[0] === k) || [k, k])[1];

export function render(main) {
  const p = page(main, 'Connect an IdP');
  const say = (m) => p.status(m);
  const select = field('Identity provider', {}, 'select');
  for (const [kind, name] of KINDS) select.input.appendChild(h('option', { value: kind }, name));
  const stepsHead = h('h2', {});
  const steps = h('ol', { class: 'steps' });
  const appId = field('Okta app ID (optional)', { type: 'text', spellcheck: 'false', autocomplete: 'off' }, 'input',
    'The Okta id of the password manager\'s app (0oa…): with it, only people assigned to that app get an account through the event hook.');
  const create = h('button', { type: 'button', class: 'primary' }, 'Create connection');
  const result = h('div', {});
  const form = h('div', { class: 'card' }, select.wrap, stepsHead, steps, appId.wrap, h('div', { class: 'actions' }, create));
  p.body.append(form, result);

  function showSteps() {
    const kind = select.input.value;
    const [, name, list] = KINDS.find((x) => x[0] === kind);
    stepsHead.textContent = `Steps for ${name}`;
    clear(steps);
    for (const t of list) steps.appendChild(h('li', {}, step(t)));
    appId.wrap.hidden = kind !== 'okta';
  }
  select.input.addEventListener('change', showSteps);
  showSteps();

  create.addEventListener('click', async () => {
    const kind = select.input.value;
    const body = { kind };
    if (kind === 'okta' && appId.input.value.trim()) body.appId = appId.input.value.trim();
    create.disabled = true;
    try {
      const r = await api.post('/connections', body);
      p.ok();
      showCreated(r || {});
      say(`Created connection ${r && r.id}`);
    } catch (e) { p.fail(e, form); } finally { create.disabled = false; }
  });

  function showCreated(r) {
    clear(result);
    const hook = r.eventHook || {};
    const custom = r.customApi || {};
    const secrets = [['SCIM base URL', r.scimBaseUrl], ['Bearer token', r.token],
      ['Event hook URL', hook.url], ['Event hook header', hook.header], ['Event hook secret', hook.secret],
      ['Custom API URL', custom.url], ['Provisioning hash', custom.provhash],
      ['Webhook URL', r.webhookUrl], ['Webhook secret', r.webhookSecret]];
    const region = h('section', { role: 'region', 'aria-label': 'New connection', class: 'card secret-panel' },
      h('h2', {}, `New connection ${r.id} (${kindName(r.kind)})`),
      h('p', { class: 'warn' }, 'These secrets are shown only once: copy them into the IdP now. dirbridge keeps only hashes or sealed copies, and leaving this page drops them.'),
      secrets.filter(([, v]) => typeof v === 'string' && v).map(([label, v]) => secretField(label, v, say)),
      dl([['Connection', r.id], ['Kind', r.kind], ['Created', r.created !== undefined ? valueNode(r.created) : undefined],
        ['cid', custom.cid], ['Okta app ID', hook.appId],
        ['Events to subscribe to', Array.isArray(hook.events) ? hook.events.join(', ') : undefined]]));
    result.appendChild(region);
    if (r.kind === 'ad' && r.scimBaseUrl) {
      result.appendChild(h('section', { class: 'card' }, h('h2', {}, 'Connector configuration'),
        h('p', {}, 'The target part of config.json; the token comes from the environment (or a 0600 file), never from the file:'),
        h('pre', {}, JSON.stringify({ target: { scimUrl: r.scimBaseUrl, tokenEnv: 'DIRBRIDGE_SCIM_TOKEN' } }, null, 2))));
    }
    if (r.kind === 'google') result.appendChild(googleForm(r.id));
    if (r.kind === 'entra') result.appendChild(graphForm(r.id));
    region.querySelector('input')?.focus();
  }

  function settingsForm(title, intro, fields, buttonText, send) {
    const out = h('div', {});
    const button = h('button', { type: 'submit', class: 'primary' }, buttonText);
    const f = h('form', { class: 'card', novalidate: true }, h('h2', {}, title), h('p', {}, intro),
      fields.map((x) => x.wrap), h('div', { class: 'actions' }, button), out);
    f.addEventListener('submit', async (e) => {
      e.preventDefault();
      button.disabled = true;
      try {
        const r = await send();
        p.ok();
        clear(out).appendChild(dl(Object.entries(r || {})));
      } catch (err) { p.fail(err, button.parentNode); } finally { button.disabled = false; }
    });
    return f;
  }

  function googleForm(id) {
    const key = field('Service account key (JSON)', { rows: 6, spellcheck: 'false', autocomplete: 'off' }, 'textarea',
      'The whole key file. It is sealed and never shown again; only its client_email and key id are.');
    const admin = field('Admin email', { type: 'email', autocomplete: 'off' }, 'input', 'The Workspace admin the service account acts as.');
    const customer = field('Customer ID', { type: 'text', autocomplete: 'off' }, 'input', 'Optional; my_customer when left empty.');
    return settingsForm('Google Workspace settings', `Connect ${id} to Google Workspace: dirbridge then opens push channels and runs a first full sync.`,
      [key, admin, customer], 'Save Google settings', async () => {
        const text = key.input.value.trim();
        const body = { adminEmail: admin.input.value.trim() };
        if (text) {
          try { body.serviceAccountKey = JSON.parse(text); } catch { throw new Error('The service account key is not valid JSON.'); }
        }
        if (customer.input.value.trim()) body.customerId = customer.input.value.trim();
        const r = await api.put(`/connections/${enc(id)}/google`, body);
        key.input.value = '';
        say('Google settings saved; setup scheduled.');
        return r;
      });
  }

  function graphForm(id) {
    const tid = field('Directory (tenant) ID', { type: 'text', spellcheck: 'false', autocomplete: 'off' });
    const cid = field('Application (client) ID', { type: 'text', spellcheck: 'false', autocomplete: 'off' });
    const secret = field('Client secret', { type: 'password', autocomplete: 'off' }, 'input', 'Sealed and never shown again; only its fingerprint is.');
    return settingsForm('Graph change notifications (optional)', `Give ${id} an app registration's credentials: dirbridge subscribes to Graph change notifications and applies a change within seconds.`,
      [tid, cid, secret], 'Save Graph settings', async () => {
        const body = { tenantId: tid.input.value.trim(), clientId: cid.input.value.trim() };
        if (secret.input.value) body.clientSecret = secret.input.value;
        const r = await api.put(`/connections/${enc(id)}/graph`, body);
        secret.input.value = '';
        say('Graph settings saved; setup scheduled.');
        return r;
      });
  }
}
