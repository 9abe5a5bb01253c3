import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { findContactByEmail } from '../../db/queries/contacts';
import { listContactMessages } from '../../db/queries/messages';
import { upsertStore } from '../../db/queries/stores';
import { processCollectMessage } from '../../ingest/collect/collect-processor';
import { middayZone } from '../../test/clock';
import { login, page, seedDashboardStore } from '../../test/dashboard-session';
import { SECRET } from '../../test/woo-fixtures';
import { contactAgentName } from '../domain-events';

const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const d = () => db(env.DB);
const CART = { items: [{ productId: 10, quantity: 1, price: 40, name: 'Lampe' }], value: 40, currency: 'EUR' };

/** A shopper with email and SMS consent whose first cart reminder has just gone out. */
async function afterFirstReminder(storeId: string, visitorId: string) {
  await upsertStore(d(), {
    id: storeId, name: storeId, siteUrl: `https://${storeId}.example`, webhookSecret: SECRET, siteKey: `pk_${storeId}`,
    allowedOrigins: [`https://${storeId}.example`], timezone: middayZone(Date.now()), locale: 'fr', createdAt: 1, updatedAt: 1,
  });
  const res = await SELF.fetch(`https://ns.test/api/flows/abandoned-cart?store=${storeId}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ enabled: true, holdoutPercent: 0, settings: { incentiveEnabled: false } }) });
  expect(res.status).toBe(200);
  const ts = Date.now();
  await processCollectMessage(env, {
    kind: 'collect', storeId, trusted: true, visitorId, receivedAt: ts, ipHash: null, userAgent: null,
    events: [
      { id: `id_${visitorId}`, type: 'identify', ts, email: `${visitorId}@example.com`, phone: '+33612345678', source: 'checkout', consent: { emailMarketing: true, smsMarketing: true } },
      { id: `cart_${visitorId}`, type: 'cart_updated', ts: ts + 1, cart: CART },
    ],
  });
  const contact = (await findContactByEmail(d(), storeId, `${visitorId}@example.com`))!;
  const agent = env.CONTACT_AGENT.getByName(contactAgentName(storeId, contact.id));
  const [idle] = (await agent.journeyStatus()).pendingTimers;
  await agent.runDue(idle!.dueAt);
  const channels = async () => (await listContactMessages(d(), storeId, contact.id)).map((m) => m.channel).sort();
  expect(await channels()).toEqual(['email']);
  const [engagementWait] = (await agent.journeyStatus()).pendingTimers;
  return { agent, channels, followUpAt: engagementWait!.dueAt, at: idle!.dueAt };
}

describe('the cart follow-up decides on engagement Nightshift can observe', () => {
  it('a visit to the site after the email (a browser page view) means no SMS', async () => {
    const { agent, channels, followUpAt, at } = await afterFirstReminder('ce-visit', 'v_ce_visitor_1');
    await processCollectMessage(env, {
      kind: 'collect', storeId: 'ce-visit', trusted: false, visitorId: 'v_ce_visitor_1', receivedAt: at + 60_000, ipHash: null, userAgent: null,
      events: [
        { id: 'pv_ce_visit_1', type: 'page_view', ts: at + 60_000, url: 'https://ce-visit.example/' },
        { id: 'pv_ce_visit_2', type: 'page_view', ts: at + 61_000, url: 'https://ce-visit.example/boutique/' },
      ],
    });
    await agent.runDue(followUpAt + 60_000);
    expect(await channels()).toEqual(['email']);
    expect((await agent.listEvents()).filter((e) => e.type === 'page_view')).toHaveLength(1);
  });

  it('no click, no visit, no cart change: the SMS goes', async () => {
    const { agent, channels, followUpAt } = await afterFirstReminder('ce-silent', 'v_ce_visitor_2');
    await agent.runDue(followUpAt + 60_000);
    expect(await channels()).toEqual(['email', 'sms']);
  });

  it('the flow says so in French and in English', async () => {
    await seedDashboardStore('ce-dash');
    const cookie = await login();
    const fr = await page(cookie, '/admin/stores/ce-dash/flows?lang=fr');
    expect(fr).toContain('Relance de panier abandonné');
    expect(fr).toContain('ni clic, ni visite du site, ni changement de panier');
    expect(fr).toContain('Relancer sans clic, visite ni changement de panier dans un délai de');
    const en = await page(cookie, '/admin/stores/ce-dash/flows?lang=en');
    expect(en).toContain('no click, no visit to the site, no cart change');
    expect(en).toContain('Follow up when there is no click, visit or cart change within');
  });
});
