// Consent over HTTP on wrangler dev (issue 9, items 1 and 3): the real plugin's signed checkout requests
// (../shared/fixtures/woocommerce-more/plugin), re-addressed to the demo store, dated now and signed again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, nightshiftSignature, repoRoot } from './lib/local-worker.mjs';
import { assert, assertEqual, eventually } from './lib/checks.mjs';
import { contactByEmail } from './webhooks.mjs';

const PLUGIN = join(repoRoot, '..', 'shared', 'fixtures', 'woocommerce-more', 'plugin');

/** The captured batch `name` for `email` and `visitorId`, with fresh event ids, as the plugin would send it now. */
function pluginBatch(name, { email, visitorId, tag }) {
  const batch = JSON.parse(readFileSync(join(PLUGIN, `${name}.body`), 'utf8'));
  const ts = Date.now();
  const events = batch.events.map((e, i) => ({ ...e, id: `${tag}-${i}-${e.id}`.slice(0, 64), ts, ...(e.email ? { email } : {}) }));
  return { body: JSON.stringify({ ...batch, store: DEMO.storeId, visitorId, events }), keys: events.map((e) => `${visitorId}:${e.id}`) };
}

export async function consentChecks({ check, worker, admin, adminToken }) {
  const send = async (name, who, tag) => {
    const { body, keys } = pluginBatch(name, { ...who, tag });
    const res = await fetch(`${worker.url}/collect`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Nightshift-Signature': nightshiftSignature(DEMO.webhookSecret, body) }, body });
    assertEqual(res.status, 204, `POST /collect ${name}`);
    return keys;
  };
  const exported = async (email) => {
    const contact = await contactByEmail(admin, email);
    return { contact, data: (await admin(`/api/contacts/${contact.id}/export?store=${DEMO.storeId}`)).data };
  };
  const consents = (data) => data.consents.map((r) => `${r.channel}:${r.granted ? 'granted' : 'withdrawn'}`).sort();

  await check('an unticked box never withdraws consent: a no-consent checkout capture after a grant leaves the ledger as it was', async () => {
    const who = { email: `e2e.consent+${Date.now()}@example.fr`, visitorId: `v_e2e_consent_${Date.now()}` };
    await send('checkout.capture.both-consents', who, 'grant');
    await eventually(async () => assertEqual(consents((await exported(who.email)).data), ['email:granted', 'sms:granted'], 'ledger after the grant'));
    const keys = await send('checkout.capture.no-consent', who, 'untick');
    await eventually(async () => {
      const { data } = await exported(who.email);
      assert(keys.every((k) => data.events.some((e) => e.eventKey === k)), 'the no-consent capture is stored');
    });
    const { data } = await exported(who.email);
    assertEqual(consents(data), ['email:granted', 'sms:granted'], 'ledger after the unticked checkout (changes only, no withdrawal)');
  });

  await check('welcome email 1 reaches a subscriber who ticked the box at checkout a second after typing her email', async () => {
    const res = await fetch(`${worker.url}/api/flows/welcome?store=${DEMO.storeId}`, { method: 'PATCH', headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ enabled: true }) });
    assertEqual(res.status, 200, 'enable the welcome flow');
    const who = { email: `e2e.welcome+${Date.now()}@example.fr`, visitorId: `v_e2e_welcome_${Date.now()}` };
    await send('checkout.capture.no-consent', who, 'first');
    await eventually(async () => assert(await contactByEmail(admin, who.email), 'contact from the first capture'));
    await send('checkout.capture.email-consent', who, 'ticked');
    await eventually(async () => {
      const contact = await contactByEmail(admin, who.email);
      const { messages } = await admin(`/api/messages?store=${DEMO.storeId}&contact=${contact.id}`);
      const first = messages.find((m) => m.stepId === 'email_1');
      assert(first, `welcome email 1 among ${JSON.stringify(messages.map((m) => m.stepId))}`);
      assertEqual(first.to, who.email, 'recipient');
      assert(/Bienvenue|Welcome/.test(first.subject), `rendered subject: ${first.subject}`);
    });
  });
}
