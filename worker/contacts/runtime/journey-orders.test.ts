import { env, SELF } from 'cloudflare:test';
import { middayZone } from '../../test/clock';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { listContactTags } from '../../db/queries/contact-tags';
import { findContactByEmail } from '../../db/queries/contacts';
import { listContactEnrollments, listEnrollmentLog } from '../../db/queries/enrollments';
import { listContactMessages } from '../../db/queries/messages';
import { upsertStore } from '../../db/queries/stores';
import { processCollectMessage } from '../../ingest/collect/collect-processor';
import { processWooMessage } from '../../ingest/woo/woo-processor';
import { fixture, SECRET, wireText } from '../../test/woo-fixtures';
import { completeSender } from '../../test/sender';

const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const d = () => db(env.DB);
const EMAIL = 'jane.doe@example.com';

async function seed(store: string) {
  await upsertStore(d(), {
    id: store, name: 'Shop', siteUrl: 'https://shop.example', webhookSecret: SECRET, siteKey: `pk_${store}`,
    timezone: middayZone(Date.now()), createdAt: 1, updatedAt: 1,
  });
    await completeSender(d(), store);
  const res = await SELF.fetch(`https://ns.test/api/flows/vip-loyalty?store=${store}`, {
    method: 'PATCH',
    headers: auth,
    body: JSON.stringify({ enabled: true, holdoutPercent: 0, settings: { vipThreshold: 50 } }),
  });
  expect(res.status).toBe(200);
  const ts = Date.now();
  await processCollectMessage(env, {
    kind: 'collect', storeId: store, trusted: true, visitorId: 'v_orders_visitor', receivedAt: ts, ipHash: null, userAgent: null,
    events: [{ id: 'evt_vip_ident', type: 'identify', ts, email: EMAIL, consent: { emailMarketing: true } }],
  });
}

async function deliverFixture(store: string, name: string) {
  const f = fixture(name);
  await processWooMessage(env, { kind: 'woo', storeId: store, deliveryId: f.delivery_id, topic: f.topic, receivedAt: Date.now(), body: { inline: wireText(f.raw_body) } });
}

describe('order-driven journeys from the WooCommerce fixtures', () => {
  it('a paid order that crosses the VIP threshold tags the contact and sends the perks email, once', async () => {
    const store = 'jo-vip';
    await seed(store);
    await deliverFixture(store, 'order.updated.processing');
    const contact = (await findContactByEmail(d(), store, EMAIL))!;
    expect(await listContactTags(d(), store, contact.id)).toEqual(['vip']);
    const [email] = await listContactMessages(d(), store, contact.id);
    expect(email).toMatchObject({ flowId: 'vip-loyalty', stepId: 'vip_email', channel: 'email', status: 'outbox' });
    expect(email!.html).toContain('Livraison offerte'); // the shipped perk, in the French store's language

    const [enrollment] = await listContactEnrollments(d(), store, contact.id);
    expect(enrollment).toMatchObject({ flowId: 'vip-loyalty', status: 'completed' });
    const log = await listEnrollmentLog(d(), store, enrollment!.id);
    expect(log.map((l) => l.what)).toEqual(['enrolled', 'completed']);

    await deliverFixture(store, 'order.updated.processing');
    await deliverFixture(store, 'order.updated.completed');
    expect(await listContactMessages(d(), store, contact.id)).toHaveLength(1);
    expect(await listContactEnrollments(d(), store, contact.id)).toHaveLength(1);
  });

  it('a contact without email consent is tagged but gets no email, and the skip is logged', async () => {
    const store = 'jo-noconsent';
    await upsertStore(d(), { id: store, name: 'Shop', siteUrl: 'https://shop.example', webhookSecret: SECRET, siteKey: `pk_${store}`, createdAt: 1, updatedAt: 1 });
    await SELF.fetch(`https://ns.test/api/flows/vip-loyalty?store=${store}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ enabled: true, holdoutPercent: 0, settings: { vipThreshold: 50 } }) });
    await deliverFixture(store, 'order.updated.processing');
    const contact = (await findContactByEmail(d(), store, EMAIL))!;
    expect(await listContactTags(d(), store, contact.id)).toEqual(['vip']);
    expect(await listContactMessages(d(), store, contact.id)).toEqual([]);
    const [enrollment] = await listContactEnrollments(d(), store, contact.id);
    const log = await listEnrollmentLog(d(), store, enrollment!.id);
    expect(log.map((l) => l.what)).toContain('skipped');
  });
});
