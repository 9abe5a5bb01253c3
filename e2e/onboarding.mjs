// The overview's onboarding checklist on a fresh store, over HTTP against the real `wrangler dev`: every item to do and
// the promotional hold at first; after the sender, the postal address and a flow are set (admin API) and a delivery
// signed with a wrong secret is refused, the page says so.
import { createHmac } from 'node:crypto';
import { assert, assertEqual } from './lib/checks.mjs';

const STORE = 'e2e-onboarding';

const state = (html, key) => new RegExp(`<li id="onboarding-${key}" data-state="(\\w+)"`).exec(html)?.[1];

export async function onboardingChecks({ check, worker, adminToken }) {
  const api = (path, method, body) =>
    fetch(`${worker.url}${path}`, { method, headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  let cookie = '';
  const overview = async (lang) => {
    const res = await fetch(`${worker.url}/admin/stores/${STORE}?lang=${lang}`, { headers: { Cookie: cookie } });
    assertEqual(res.status, 200, 'overview status');
    return res.text();
  };

  await check('onboarding: a fresh store lists what is left to do and says promotional email is blocked (fr, en)', async () => {
    assertEqual((await api('/api/stores', 'POST', { id: STORE, name: 'Boutique neuve', siteUrl: 'https://neuve.example' })).status, 201, 'create');
    const login = await fetch(`${worker.url}/admin/login`, { method: 'POST', body: new URLSearchParams({ token: adminToken }), redirect: 'manual' });
    cookie = login.headers.getSetCookie().find((c) => c.startsWith('ns_admin=')).split(';', 1)[0];
    const fr = await overview('fr');
    assert(fr.includes('Pour bien démarrer') && fr.includes('0 sur 4 fait'), 'French checklist with its progress');
    assertEqual(['connect', 'sender', 'flows', 'tracker'].map((k) => state(fr, k)), ['todo', 'todo', 'todo', 'todo'], 'item states');
    assert(fr.includes('id="promotional-held"') && fr.includes('Les e-mails promotionnels sont bloqués'), 'the promotional hold banner');
    const en = await overview('en');
    assert(en.includes('Getting started') && en.includes('Promotional emails are blocked'), 'English checklist and banner');
  });

  await check('onboarding: sender, postal address and a flow set → those items are done and the banner is gone; a forged delivery is counted', async () => {
    assertEqual((await api(`/api/stores/${STORE}/settings`, 'PATCH', { fromEmail: 'bonjour@neuve.example', postalAddress: '5 rue Neuve, 44000 Nantes' })).status, 200, 'settings');
    assertEqual((await api(`/api/flows/welcome?store=${STORE}`, 'PATCH', { enabled: true })).status, 200, 'flow on');
    const body = JSON.stringify({ id: 1, status: 'processing' });
    const forged = await fetch(`${worker.url}/webhooks/woocommerce/${STORE}`, {
      method: 'POST', body,
      headers: { 'Content-Type': 'application/json', 'X-WC-Webhook-Topic': 'order.created', 'X-WC-Webhook-Signature': createHmac('sha256', 'not-the-secret').update(body).digest('base64') },
    });
    assertEqual(forged.status, 401, 'wrong secret refused');
    const html = await overview('en');
    assertEqual(['sender', 'flows'].map((k) => state(html, k)), ['done', 'done'], 'sender and flows done');
    assert(!html.includes('id="promotional-held"'), 'no hold banner');
    assert(html.includes('1 WooCommerce delivery refused in the last 7 days'), 'the refused delivery is on the overview');
    const store = await (await api(`/api/stores/${STORE}`, 'GET')).json();
    assertEqual(store.webhooks.rejectedLast7Days.count, 1, 'GET /api/stores/:store counts it');
  });
}
