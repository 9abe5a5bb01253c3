import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { findContactByEmail } from '../../db/queries/contacts';
import { listContactMessages } from '../../db/queries/messages';
import { updateStoreSettings } from '../../db/queries/store-settings';
import { upsertStore } from '../../db/queries/stores';
import { processCollectMessage } from '../../ingest/collect/collect-processor';
import { countingD1 } from '../../messaging/test/counting-d1';
import { middayZone } from '../../test/clock';
import { contactAgentName } from '../domain-events';
import { isSendIntent, type SendIntent } from './send-intent';

const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
// The ContactAgent shares this env object: the test swaps its D1 binding (to count) and its SEND queue (to look).
const mutable = env as { DB: D1Database; SEND: Queue; PUBLIC_BASE_URL: string };
const [realDb, realSend, devBaseUrl] = [env.DB, env.SEND, env.PUBLIC_BASE_URL];
afterEach(() => {
  mutable.DB = realDb;
  mutable.SEND = realSend;
  mutable.PUBLIC_BASE_URL = devBaseUrl;
});

/**
 * Issue 10 ("Sending fast"): a woken agent used to make 25 D1 round trips to send its cart reminder (world,
 * facts, guardrails, rendering, claiming the row), one contact at a time. It now hands the email off, and reads
 * its world and the contact's facts in one round trip (they were three: world, facts, the contact again).
 */
describe('a woken ContactAgent of a store with a Postmark token', () => {
  it('hands its cart reminder to the send stage as one intent, in at most 2 D1 round trips (world and facts together, then the on-site prompt)', async () => {
    const { SELF } = await import('cloudflare:test');
    const store = 'prof-store';
    const now = Date.now();
    const d = db(env.DB);
    mutable.PUBLIC_BASE_URL = 'https://ns.example';
    await upsertStore(d, { id: store, name: 'Shop', siteUrl: 'https://shop.example', webhookSecret: 'whsec_profile_01', siteKey: `pk_${store}`, timezone: middayZone(now), createdAt: 1, updatedAt: 1 });
    await updateStoreSettings(d, store, { postmarkServerToken: 'pm-prof', fromEmail: 'hello@shop.example', postalAddress: '1 rue de la Paix, 75002 Paris' }, now);
    await SELF.fetch(`https://ns.test/api/flows/abandoned-cart?store=${store}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ enabled: true, holdoutPercent: 0 }) });
    const email = 'prof@example.com';
    await processCollectMessage(env, {
      kind: 'collect', storeId: store, trusted: true, visitorId: 'v_prof_visitor', receivedAt: now, ipHash: null, userAgent: null,
      events: [
        { id: 'evt_prof_ident', type: 'identify', ts: now, email, firstName: 'Jo', consent: { emailMarketing: true }, source: 'checkout' },
        { id: 'evt_prof_cart1', type: 'cart_updated', ts: now + 1, cart: { items: [{ productId: 10, quantity: 1, price: 20, name: 'Grill' }], value: 20, currency: 'EUR' } },
      ],
    });
    const contact = await findContactByEmail(d, store, email);
    const agent = env.CONTACT_AGENT.getByName(contactAgentName(store, contact!.id));
    const [idle] = (await agent.journeyStatus()).pendingTimers;
    const log: string[] = [];
    const sent: unknown[] = [];
    mutable.DB = countingD1(realDb, log);
    mutable.SEND = { send: async (body: unknown) => void sent.push(body) } as unknown as Queue;
    await agent.runDue(idle!.dueAt);
    mutable.DB = realDb;
    expect(log.length, log.join('\n')).toBeLessThanOrEqual(2);
    expect(sent).toHaveLength(1);
    expect(isSendIntent(sent[0])).toBe(true);
    expect((sent[0] as SendIntent).actions.map((a) => a.nodeId)).toEqual(['email_1']);
    expect(await listContactMessages(d, store, contact!.id)).toEqual([]);
    // Woken again (a replay of the alarm), the agent has nothing left to hand off.
    await agent.runDue(idle!.dueAt + 1);
    expect(sent).toHaveLength(1);
  });
});
