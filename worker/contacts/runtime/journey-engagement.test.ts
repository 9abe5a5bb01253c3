import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { listAudienceForExport } from '../../db/queries/audiences';
import { listContactProperties } from '../../db/queries/contact-tags';
import { findContactByEmail } from '../../db/queries/contacts';
import { listContactMessages } from '../../db/queries/messages';
import { linkSigningKey } from '../../db/queries/store-settings';
import { upsertStore } from '../../db/queries/stores';
import { processCollectMessage } from '../../ingest/collect/collect-processor';
import { importTokenKey } from '../../lib/tokens';
import { openPixelUrl, readClickToken } from '../../messaging/email/links';
import { middayZone } from '../../test/clock';
import { contactAgentName } from '../domain-events';
import { completeSender } from '../../test/sender';

const MIN = 60_000;
const HOUR = 60 * MIN;
const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const d = () => db(env.DB);

async function seed(store: string, flow: string) {
  await upsertStore(d(), {
    id: store, name: 'Shop', siteUrl: 'https://shop.example', webhookSecret: 'whsec_engagement_0001', siteKey: `pk_${store}`,
    timezone: middayZone(Date.now()), createdAt: 1, updatedAt: 1,
  });
    await completeSender(d(), store);
  const res = await SELF.fetch(`https://ns.test/api/flows/${flow}?store=${store}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ enabled: true, holdoutPercent: 0 }) });
  expect(res.status).toBe(200);
}

async function identify(store: string, email: string, extra: Record<string, unknown>[] = []) {
  const ts = Date.now();
  await processCollectMessage(env, {
    kind: 'collect', storeId: store, trusted: true, visitorId: 'v_engaged_visitor', receivedAt: ts, ipHash: null, userAgent: null,
    events: [
      { id: 'evt_engaged_id', type: 'identify', ts, email, phone: '+33611223344', consent: { emailMarketing: true, smsMarketing: true }, source: 'checkout' },
      ...extra,
    ],
  });
  const contact = (await findContactByEmail(d(), store, email))!;
  return { contact, agent: env.CONTACT_AGENT.getByName(contactAgentName(store, contact.id)) };
}

describe('opens and clicks steer running journeys', () => {
  it('a clicked cart reminder gets no SMS (an open alone does not count); the cart still reaches the audience after 24 h', async () => {
    const store = 'jg-opened';
    await seed(store, 'abandoned-cart');
    const { contact, agent } = await identify(store, 'opened@example.com');
    const cart = { items: [{ productId: 10, quantity: 1, price: 30 }], value: 30, currency: 'EUR' };
    const enteredAt = Date.now() - 31 * MIN;
    await agent.recordEvents(
      [{ id: 'cart-opened-1', storeId: store, contactId: contact.id, occurredAt: enteredAt, visitorId: 'v_engaged_visitor', type: 'cart_updated', cart: { ...cart, currency: 'EUR', itemCount: 1 } }],
      enteredAt,
    );
    await agent.runDue(Date.now());
    const [email] = await listContactMessages(d(), store, contact.id);
    expect(email).toMatchObject({ stepId: 'email_1', status: 'outbox' });

    const key = await importTokenKey(await linkSigningKey(d(), store, 0));
    const pixel = await SELF.fetch(await openPixelUrl({ baseUrl: 'https://ns.test', key }, email!.id));
    expect(pixel.status).toBe(200);
    expect((await agent.journeyStatus()).running).toMatchObject([{ cursor: 'engaged' }]);
    const token = email!.html!.match(/\/c\/([A-Za-z0-9._~-]+)/)?.[1];
    expect(token).toBeDefined();
    expect((await SELF.fetch(`https://ns.test/c/${token}`, { redirect: 'manual' })).status).toBe(302);
    expect((await agent.journeyStatus()).running).toMatchObject([{ cursor: 'later' }]);

    await agent.runDue(Date.now() + 2 * HOUR);
    expect(await listContactMessages(d(), store, contact.id)).toHaveLength(1);
    await agent.runDue(enteredAt + 24 * HOUR);
    expect((await listAudienceForExport(d(), store, 'abandoned-cart')).map((r) => r.contactId)).toEqual([contact.id]);
    expect((await agent.journeyStatus()).running).toEqual([]);
  });

  it('the welcome email’s choice link records the answer on the contact', async () => {
    const store = 'jg-welcome';
    await seed(store, 'welcome');
    const { contact, agent } = await identify(store, 'chooser@example.com');
    const [email] = await listContactMessages(d(), store, contact.id);
    expect(email).toMatchObject({ flowId: 'welcome', stepId: 'email_1', status: 'outbox' });
    const key = await importTokenKey(await linkSigningKey(d(), store, 0));
    const tokens = [...(email!.html ?? '').matchAll(/\/c\/([A-Za-z0-9_.-]+)/g)].map((m) => m[1]!);
    const clicks = await Promise.all(tokens.map(async (t) => ({ t, click: await readClickToken(key, t) })));
    const deals = clicks.find((c) => c.click?.url.includes('nightshift_choice=deals'));
    expect(deals).toBeDefined();
    const res = await SELF.fetch(`https://ns.test/c/${deals!.t}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(await listContactProperties(d(), store, contact.id)).toMatchObject({ interest: 'deals' });
    expect((await agent.journeyStatus()).running).toMatchObject([{ flowId: 'welcome', cursor: 'settle' }]);
  });
});
