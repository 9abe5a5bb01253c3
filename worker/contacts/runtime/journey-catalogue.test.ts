import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { findContactByEmail } from '../../db/queries/contacts';
import { listContactMessages } from '../../db/queries/messages';
import { linkSigningKey } from '../../db/queries/store-settings';
import { upsertStore } from '../../db/queries/stores';
import { processCollectMessage } from '../../ingest/collect/collect-processor';
import { LIFESPAN_META_KEY } from '../../ingest/woo/woo-catalog';
import { processWooMessage } from '../../ingest/woo/woo-processor';
import { importTokenKey } from '../../lib/tokens';
import { readClickToken } from '../../messaging/email/links';
import { middayZone } from '../../test/clock';
import { fixture, SECRET, wireText } from '../../test/woo-fixtures';
import { contactAgentName } from '../domain-events';
import { completeSender } from '../../test/sender';

const DAY = 86_400_000;
const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const d = () => db(env.DB);
const EMAIL = 'jane.doe@example.com';

async function deliver(store: string, name: string, edit?: (body: Record<string, unknown>) => void) {
  const f = fixture(name);
  const body = JSON.parse(wireText(f.raw_body)) as Record<string, unknown>;
  edit?.(body);
  await processWooMessage(env, { kind: 'woo', storeId: store, deliveryId: `${f.delivery_id}${edit ? '-edited' : ''}`, topic: f.topic, receivedAt: Date.now(), body: { inline: JSON.stringify(body) } });
}

const patch = (store: string, flow: string, body: unknown) =>
  SELF.fetch(`https://ns.test/api/flows/${flow}?store=${store}`, { method: 'PATCH', headers: auth, body: JSON.stringify(body) });

describe('journeys that read the catalogue', () => {
  it('order lines carry the products’ categories and lifespans: post-purchase enrolls, replenishment reminds at lifespan − lead time with a re-order link', async () => {
    const store = 'jc-catalogue';
    await upsertStore(d(), { id: store, name: 'Shop', siteUrl: 'https://shop.example', webhookSecret: SECRET, siteKey: `pk_${store}`, timezone: middayZone(Date.now()), createdAt: 1, updatedAt: 1 });
    await completeSender(d(), store);
    // The T-shirt of the fixtures, with the lifespan meta the plugin bridge adds to a product.
    await deliver(store, 'product.created', (p) => {
      p.meta_data = [...(p.meta_data as unknown[]), { id: 9001, key: LIFESPAN_META_KEY, value: '30' }];
    });
    expect((await patch(store, 'replenishment', { enabled: true, holdoutPercent: 0 })).status).toBe(200);
    expect((await patch(store, 'post-purchase', { enabled: true, holdoutPercent: 0, settings: { triggerCategories: [17] } })).status).toBe(200);
    const ts = Date.now();
    await processCollectMessage(env, {
      kind: 'collect', storeId: store, trusted: true, visitorId: 'v_catalogue_01', receivedAt: ts, ipHash: null, userAgent: null,
      events: [{ id: 'evt_cat_ident', type: 'identify', ts, email: EMAIL, consent: { emailMarketing: true }, source: 'checkout' }],
    });
    const paidAt = Date.now();
    await deliver(store, 'order.updated.processing');

    const contact = (await findContactByEmail(d(), store, EMAIL))!;
    const agent = env.CONTACT_AGENT.getByName(contactAgentName(store, contact.id));
    const { running, pendingTimers } = await agent.journeyStatus();
    expect(running.map((r) => r.flowId).sort()).toEqual(['post-purchase', 'replenishment']);
    const refill = pendingTimers.find((t) => t.flowId === 'replenishment')!;
    expect(refill.dueAt - paidAt).toBeGreaterThanOrEqual(25 * DAY);
    expect(refill.dueAt - paidAt).toBeLessThan(25 * DAY + 60_000);

    await agent.runDue(refill.dueAt);
    const reminder = (await listContactMessages(d(), store, contact.id)).find((m) => m.flowId === 'replenishment');
    expect(reminder).toMatchObject({ stepId: 'email', channel: 'email', status: 'outbox' });
    const key = await importTokenKey(await linkSigningKey(d(), store, 0));
    const targets = await Promise.all([...(reminder!.html ?? '').matchAll(/\/c\/([A-Za-z0-9_.-]+)/g)].map((m) => readClickToken(key, m[1]!)));
    expect(targets.map((t) => t?.url)).toContain('https://shop.example/?add-to-cart=10&quantity=2');
  });
});
