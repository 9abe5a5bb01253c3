import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { db } from '../db/client';
import { findContactByEmail } from '../db/queries/contacts';
import { updateStoreSettings } from '../db/queries/store-settings';
import { upsertStore } from '../db/queries/stores';
import { processCollectMessage } from '../ingest/collect/collect-processor';
import { contactAgentName } from '../contacts/domain-events';
import { countingD1 } from '../messaging/test/counting-d1';
import { middayZone } from '../test/clock';

const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const mutable = env as { DB: D1Database; PUBLIC_BASE_URL: string };
const realDb = env.DB;
const devBaseUrl = env.PUBLIC_BASE_URL;
afterEach(() => {
  mutable.DB = realDb;
  mutable.PUBLIC_BASE_URL = devBaseUrl;
});

describe('profile: the D1 round trips of one woken agent sending its cart reminder', () => {
  it('prints them', async () => {
    const { SELF } = await import('cloudflare:test');
    const store = 'prof-store';
    const now = Date.now();
    const d = db(env.DB);
    mutable.PUBLIC_BASE_URL = 'https://ns.example';
    await upsertStore(d, { id: store, name: 'Shop', siteUrl: 'https://shop.example', webhookSecret: 'whsec_profile_01', siteKey: `pk_${store}`, timezone: middayZone(now), createdAt: 1, updatedAt: 1 });
    await updateStoreSettings(d, store, { postmarkServerToken: 'pm-prof', fromEmail: 'hello@shop.example' }, now);
    await SELF.fetch(`https://ns.test/api/flows/abandoned-cart?store=${store}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ enabled: true }) });
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
    mutable.DB = countingD1(realDb, log);
    await agent.runDue(idle!.dueAt);
    mutable.DB = realDb;
    console.log(`${log.length} D1 round trips:\n${log.map((l, i) => `${i + 1}. ${l}`).join('\n')}`);
    expect(log.length).toBeGreaterThan(0);
  });
});
