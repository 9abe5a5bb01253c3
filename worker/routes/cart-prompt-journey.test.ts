import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { contactAgentName } from '../contacts/domain-events';
import { db } from '../db/client';
import { findContactByEmail } from '../db/queries/contacts';
import { upsertStore } from '../db/queries/stores';
import { processCollectMessage } from '../ingest/collect/collect-processor';
import { processWooMessage } from '../ingest/woo/woo-processor';
import { sha256Hex } from '../lib/hmac';
import { middayZone } from '../test/clock';
import { fixture, SECRET, wireText } from '../test/woo-fixtures';

/** jane.doe of the WooCommerce fixtures: her order 17 is paid in `order.updated.processing`. */
const EMAIL = 'jane.doe@example.com';
const VID = 'v_cart_prompt_visitor';
const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const d = () => db(env.DB);

async function shopperWithCart(storeId: string) {
  await upsertStore(d(), {
    id: storeId, name: 'Shop', siteUrl: `https://${storeId}.example`, webhookSecret: SECRET, siteKey: `pk_${storeId}`,
    allowedOrigins: [`https://${storeId}.example`], timezone: middayZone(Date.now()), locale: 'fr', createdAt: 1, updatedAt: 1,
  });
  const enable = await SELF.fetch(`https://ns.test/api/flows/abandoned-cart?store=${storeId}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ enabled: true, holdoutPercent: 0, settings: { followUpChannel: 'email' } }) });
  expect(enable.status).toBe(200);
  const ts = Date.now();
  const cart = { items: [{ productId: 10, quantity: 2, price: 20, name: 'Charcoal grill' }], value: 40, currency: 'EUR' };
  await processCollectMessage(env, {
    kind: 'collect', storeId, trusted: true, visitorId: VID, receivedAt: ts, ipHash: null, userAgent: null,
    events: [
      { id: 'evt_cp_ident', type: 'identify', ts, email: EMAIL, firstName: 'Jane', consent: { emailMarketing: true }, source: 'checkout' },
      { id: 'evt_cp_cart', type: 'cart_updated', ts: ts + 1, cart },
    ],
  });
  const contact = await findContactByEmail(d(), storeId, EMAIL);
  if (!contact) throw new Error('contact not created');
  const agent = env.CONTACT_AGENT.getByName(contactAgentName(storeId, contact.id));
  const prompt = () => SELF.fetch(`https://ns.test/widgets/prompt?store=pk_${storeId}&vid=${VID}`, { headers: { Origin: `https://${storeId}.example` } });
  return { agent, prompt };
}

describe('abandoned cart: on-site reminder and retargeting audience', () => {
  it('shows the cart on the next page view, then adds the contact to the exported audience', async () => {
    const store = 'cp-journey';
    const { agent, prompt } = await shopperWithCart(store);
    expect((await prompt()).status).toBe(204);
    const [idle] = (await agent.journeyStatus()).pendingTimers;
    await agent.runDue(idle!.dueAt);

    const shown = await prompt();
    expect(shown.status).toBe(200);
    const body = await shown.json<{ title: string; lines: { name: string; quantity: number }[]; cta: { url: string } }>();
    expect(body.title).toBe('Votre panier vous attend');
    expect(body.lines).toEqual([{ name: 'Charcoal grill', quantity: 2 }]);
    expect(new URL(body.cta.url).searchParams.get('nightshift_cart')).toBeTruthy();

    for (let i = 0; i < 5; i++) {
      const [next] = (await agent.journeyStatus()).pendingTimers;
      if (!next) break;
      await agent.runDue(next.dueAt);
    }
    const csv = await SELF.fetch(`https://ns.test/api/audiences/abandoned-cart/export.csv?store=${store}`, { headers: auth });
    expect(await csv.text()).toBe(`email_sha256,phone_sha256\r\n${await sha256Hex(EMAIL)},\r\n`);
  });

  it('stops showing the reminder once the order is paid', async () => {
    const store = 'cp-journey-paid';
    const { agent, prompt } = await shopperWithCart(store);
    const [idle] = (await agent.journeyStatus()).pendingTimers;
    await agent.runDue(idle!.dueAt);
    expect((await prompt()).status).toBe(200);
    const f = fixture('order.updated.processing');
    await processWooMessage(env, { kind: 'woo', storeId: store, deliveryId: f.delivery_id, topic: f.topic, receivedAt: Date.now(), body: { inline: wireText(f.raw_body) } });
    expect((await prompt()).status).toBe(204);
  });
});
