import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../db/client';
import { findContactByEmail } from '../db/queries/contacts';
import { listContactMessages } from '../db/queries/messages';
import { linkSigningKey } from '../db/queries/store-settings';
import { upsertStore } from '../db/queries/stores';
import { processCollectMessage } from '../ingest/collect/collect-processor';
import { importTokenKey } from '../lib/tokens';
import { readClickToken } from '../messaging/email/links';
import { middayZone } from '../test/clock';
import { completeSender } from '../test/sender';

const STORE = 'choice-journey';
const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const d = () => db(env.DB);

/** The /c/ links of an email whose target is a choice, by choice key. */
async function choiceLinks(html: string): Promise<Map<string, string>> {
  const key = await importTokenKey(await linkSigningKey(d(), STORE, 0));
  const found = new Map<string, string>();
  for (const [path, token] of html.matchAll(/\/c\/([A-Za-z0-9_.-]+)/g)) {
    const target = await readClickToken(key, token ?? '');
    const choice = target && new URL(target.url).searchParams.get('nightshift_choice');
    if (choice) found.set(choice, path);
  }
  return found;
}

describe('lead nurture end to end', () => {
  it('the clicked choice link decides the path: email 1 → click "b" → the expert path email', async () => {
    await upsertStore(d(), { id: STORE, name: 'Shop', siteUrl: 'https://shop.example', webhookSecret: 'whsec_choice_journey_01', siteKey: 'pk_choice_journey', timezone: middayZone(Date.now()), createdAt: 1, updatedAt: 1 });
    await completeSender(d(), STORE);
    const enable = await SELF.fetch(`https://ns.test/api/flows/lead-nurture?store=${STORE}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ enabled: true, holdoutPercent: 0 }) });
    expect(enable.status).toBe(200);
    const ts = Date.now();
    await processCollectMessage(env, {
      kind: 'collect',
      storeId: STORE,
      trusted: true,
      visitorId: 'v_choice_journey_visitor',
      receivedAt: ts,
      ipHash: null,
      userAgent: null,
      events: [{ id: 'evt_choice_ident', type: 'identify', ts, email: 'lead@example.com', firstName: 'Lea', consent: { emailMarketing: true }, source: 'checkout' }],
    });
    const contact = await findContactByEmail(d(), STORE, 'lead@example.com');
    const sent = async () => (await listContactMessages(d(), STORE, contact?.id ?? '')).reverse();
    const [choose] = await sent();
    expect(choose?.stepId).toBe('choose');

    const links = await choiceLinks(choose?.html ?? '');
    expect([...links.keys()].sort()).toEqual(['a', 'b']);
    const res = await SELF.fetch(`https://ns.test${links.get('b')}`, { redirect: 'manual' });
    expect(res.status).toBe(302);

    const after = await sent();
    expect(after.map((m) => m.stepId)).toEqual(['choose', 'b_1']);
    // The store is French: the shipped path title is shown in French.
    expect(after[1]?.html).toContain('Pour les connaisseurs');
  });
});
