// Consent over HTTP on wrangler dev (issue 9, items 1 and 3), with the requests the real plugin sent from a real
// WordPress (../shared/fixtures/woocommerce-more/plugin): the store is created and connected with the captured
// connect call, then the captured signed checkout batches are replayed, dated now and signed again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nightshiftSignature, repoRoot } from './lib/local-worker.mjs';
import { middayZone } from './lib/journey-kit.mjs';
import { assert, assertEqual, eventually } from './lib/checks.mjs';

const PLUGIN = join(repoRoot, '..', 'shared', 'fixtures', 'woocommerce-more', 'plugin');
const STORE = 'boutique-nuit';
const read = (name) => readFileSync(join(PLUGIN, name), 'utf8');

/** The captured batch `name`, with fresh event ids (`tag`) and, when given, another shopper's email. */
function pluginBatch(name, { tag, email }) {
  const batch = JSON.parse(read(`${name}.body`));
  const ts = Date.now();
  const events = batch.events.map((e, i) => ({ ...e, id: `${tag}-${i}-${e.id}`.slice(0, 64), ts, ...(email && e.email ? { email } : {}) }));
  return { body: JSON.stringify({ ...batch, events }), keys: events.map((e) => `${batch.visitorId}:${e.id}`) };
}

export async function consentChecks({ check, worker, adminToken }) {
  const api = async (method, path, body, auth = `Bearer ${adminToken}`) => {
    const res = await fetch(`${worker.url}${path}`, { method, headers: { Authorization: auth, 'Content-Type': 'application/json' }, ...(body ? { body } : {}) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text);
  };
  const connect = JSON.parse(read('connect.body'));
  const send = async (name, tag, email) => {
    const { body, keys } = pluginBatch(name, { tag, email });
    const res = await fetch(`${worker.url}/collect`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Nightshift-Signature': nightshiftSignature(connect.webhookSecret, body) }, body });
    assertEqual(res.status, 204, `POST /collect ${name}`);
    return keys;
  };
  const contactOf = async (email) => {
    const { contacts } = await api('GET', `/api/contacts?store=${STORE}&email=${encodeURIComponent(email)}`);
    assertEqual(contacts.length, 1, `contacts with email ${email}`);
    return contacts[0];
  };
  const exported = async (email) => (await api('GET', `/api/contacts/${(await contactOf(email)).id}/export?store=${STORE}`)).data;
  const ledger = (data) => data.consents.map((r) => `${r.channel}:${r.granted ? 'granted' : 'withdrawn'}:${r.source}`).sort();

  await check('the plugin connects a new store with its captured connect call; welcome is switched on', async () => {
    const { connectToken } = await api('POST', '/api/stores', JSON.stringify({ id: STORE, name: 'Boutique Nuit', siteUrl: 'https://boutique-nuit.example', locale: 'fr' }));
    await api('POST', `/api/stores/${STORE}/connect`, JSON.stringify({ ...connect, timezone: middayZone() }), `Bearer ${connectToken}`);
    // Welcome is promotional: it waits for a sender and a postal address (the owner's settings page).
    await api('PATCH', `/api/stores/${STORE}/settings`, JSON.stringify({ fromEmail: 'bonjour@boutique-nuit.example', fromName: 'Boutique Nuit', postalAddress: '3 rue des Étoiles, 69001 Lyon' }));
    await api('PATCH', `/api/flows/welcome?store=${STORE}`, JSON.stringify({ enabled: true, holdoutPercent: 0 }));
  });

  await check('an unticked box never withdraws consent: a no-consent checkout capture after a grant leaves the ledger as it was', async () => {
    const email = 'camille.martin@example.fr';
    await send('checkout.capture.both-consents', 'grant');
    const granted = ['email:granted:checkout', 'sms:granted:checkout'];
    await eventually(async () => assertEqual(ledger(await exported(email)), granted, 'ledger after the grant'));
    const keys = await send('checkout.capture.no-consent', 'untick');
    await eventually(async () => {
      const data = await exported(email);
      assert(keys.every((k) => data.events.some((e) => e.eventKey === k)), 'the no-consent capture is stored');
    });
    assertEqual(ledger(await exported(email)), granted, 'ledger after the unticked checkout (changes only, no withdrawal)');
  });

  await check('welcome email 1 reaches a subscriber who ticked the box at checkout a second after typing her email', async () => {
    const email = `e2e.welcome+${Date.now()}@example.fr`;
    await send('checkout.capture.no-consent', 'first', email);
    await eventually(async () => assert(await contactOf(email), 'contact from the first capture'));
    await send('checkout.capture.email-consent', 'ticked', email);
    await eventually(async () => {
      const contact = await contactOf(email);
      const { messages } = await api('GET', `/api/messages?store=${STORE}&contact=${contact.id}`);
      const first = messages.find((m) => m.stepId === 'email_1');
      assert(first, `welcome email 1 among ${JSON.stringify(messages.map((m) => [m.stepId, m.status]))}`);
      assertEqual(first.to, email, 'recipient');
      assert(first.subject.startsWith('Bienvenue chez Boutique Nuit'), `rendered subject: ${first.subject}`);
    });
  });
}
