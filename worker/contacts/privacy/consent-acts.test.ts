/// <reference types="vite/client" />
import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { listConsents } from '../../db/queries/consents';
import { findContactByEmail } from '../../db/queries/contacts';
import { listContactMessages } from '../../db/queries/messages';
import { upsertStore } from '../../db/queries/stores';
import { processCollectMessage } from '../../ingest/collect/collect-processor';
import type { CollectMessage } from '../../ingest/messages';
import { processWooMessage } from '../../ingest/woo/woo-processor';
import { middayZone } from '../../test/clock';
import { contactAgentName } from '../domain-events';
import { completeSender } from '../../test/sender';

/** Requests the real plugin sent from a real WordPress (../shared/fixtures/woocommerce-more/plugin). */
const plugin = import.meta.glob<string>('../../../../shared/fixtures/woocommerce-more/plugin/*.body', { query: '?raw', import: 'default', eager: true });
const more = import.meta.glob<string>('../../../../shared/fixtures/woocommerce-more/*.json', { query: '?raw', import: 'default', eager: true });
const EMAIL = 'camille.martin@example.fr';
const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const d = () => db(env.DB);

type Batch = { visitorId: string; events: Record<string, unknown>[] };

/** The plugin's signed batch as the route enqueues it, dated now (the capture's clock is not ours). */
function replay(store: string, name: string, at = Date.now()): CollectMessage {
  const raw = plugin[`../../../../shared/fixtures/woocommerce-more/plugin/${name}.body`];
  if (!raw) throw new Error(`no plugin fixture ${name}`);
  const batch = JSON.parse(raw) as Batch;
  const events = batch.events.map((e) => ({ ...e, ts: at }));
  return { kind: 'collect', storeId: store, trusted: true, visitorId: batch.visitorId, receivedAt: at, ipHash: null, userAgent: 'WordPress/6.8.3', events };
}

async function seed(store: string, locale: 'fr' | 'en' = 'fr', flows: string[] = []) {
  await upsertStore(d(), {
    id: store, name: 'Boutique Nuit', siteUrl: 'https://shop.example', webhookSecret: 'whsec_consent_acts_01', siteKey: `pk_${store}`,
    locale, timezone: middayZone(Date.now()), createdAt: 1, updatedAt: 1,
  });
    await completeSender(d(), store);
  for (const flow of flows) {
    const res = await SELF.fetch(`https://ns.test/api/flows/${flow}?store=${store}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ enabled: true, holdoutPercent: 0 }) });
    expect(res.status).toBe(200);
  }
}

const ledger = async (store: string) => {
  const contact = (await findContactByEmail(d(), store, EMAIL))!;
  return (await listConsents(d(), store, contact.id)).map((r) => [r.channel, r.granted, r.source]).sort();
};

describe('consent is granted, not given or withdrawn (issue 9, item 1)', () => {
  it('a checkout with both boxes unticked never withdraws: the real plugin requests, replayed after a grant', async () => {
    const store = 'acts-replay';
    await seed(store);
    const t = Date.now() - 60_000;
    await processCollectMessage(env, replay(store, 'checkout.capture.no-consent', t));
    expect(await ledger(store)).toEqual([]);
    await processCollectMessage(env, replay(store, 'checkout.capture.both-consents', t + 1000));
    await processCollectMessage(env, replay(store, 'checkout.order-processed', t + 2000));
    expect(await ledger(store)).toEqual([['email', true, 'checkout'], ['sms', true, 'checkout']]);
    // The next checkout: the boxes are never pre-ticked, the shopper leaves them alone.
    await processCollectMessage(env, replay(store, 'checkout.capture.no-consent', t + 3000));
    await processCollectMessage(env, replay(store, 'checkout.capture.email-consent', t + 4000));
    await processCollectMessage(env, replay(store, 'identify.account-birthday', t + 5000));
    // Changes only: two grants, no refusal before them and no withdrawal after.
    expect(await ledger(store)).toEqual([['email', true, 'checkout'], ['sms', true, 'checkout']]);
  });

  it('withdraws only on an explicit signed opt-out from My Account, and records it once', async () => {
    const store = 'acts-withdraw';
    await seed(store);
    const t = Date.now() - 60_000;
    await processCollectMessage(env, replay(store, 'checkout.capture.both-consents', t));
    const optOut = (id: string, at: number, trusted: boolean): CollectMessage => ({
      ...replay(store, 'identify.account-birthday', at),
      trusted,
      events: [{ id, type: 'identify', ts: at, email: EMAIL, source: 'account', consent: { emailMarketing: 'withdrawn' } }],
    });
    await processCollectMessage(env, optOut('optout-browser-1', t + 1000, false));
    expect(await ledger(store)).toEqual([['email', true, 'checkout'], ['sms', true, 'checkout']]);
    await processCollectMessage(env, optOut('optout-signed-01', t + 2000, true));
    await processCollectMessage(env, optOut('optout-signed-02', t + 3000, true));
    expect(await ledger(store)).toEqual([['email', false, 'storefront'], ['email', true, 'checkout'], ['sms', true, 'checkout']]);
  });
});

describe('welcome starts when the contact becomes reachable (issue 9, item 3)', () => {
  for (const [locale, subject] of [['fr', 'Bienvenue chez Boutique Nuit'], ['en', 'Welcome to Boutique Nuit']] as const) {
    it(`a checkout subscriber who ticks the box a second after the first identify gets welcome email 1 (${locale})`, async () => {
      const store = `acts-welcome-${locale}`;
      await seed(store, locale, ['welcome']);
      const t = Date.now() - 10_000;
      await processCollectMessage(env, replay(store, 'checkout.capture.no-consent', t));
      await processCollectMessage(env, replay(store, 'checkout.capture.email-consent', t + 1000));
      const contact = (await findContactByEmail(d(), store, EMAIL))!;
      const mails = await listContactMessages(d(), store, contact.id);
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatchObject({ stepId: 'email_1', to: EMAIL, status: 'outbox' });
      expect(mails[0]?.subject).toContain(subject);
      expect(mails[0]?.text).toContain('Boutique Nuit');
    });
  }

  it('a registered customer who consents after the account webhook gets email 1; an unconsented account enters nothing', async () => {
    const store = 'acts-welcome-account';
    await seed(store, 'fr', ['welcome']);
    await woo(store, 'customer.updated.account-birthday', (c) => c);
    const contact = (await findContactByEmail(d(), store, EMAIL))!;
    expect(await listContactMessages(d(), store, contact.id)).toEqual([]);
    await processCollectMessage(env, replay(store, 'checkout.capture.email-consent'));
    expect((await listContactMessages(d(), store, contact.id)).map((m) => m.stepId)).toEqual(['email_1']);
  });
});

async function woo(store: string, name: string, edit: (c: Record<string, unknown>) => Record<string, unknown>) {
  const json = more[`../../../../shared/fixtures/woocommerce-more/${name}.json`];
  if (!json) throw new Error(`no fixture ${name}`);
  const body = JSON.stringify(edit(JSON.parse(json) as Record<string, unknown>));
  await processWooMessage(env, { kind: 'woo', storeId: store, deliveryId: `${store}-${name}`, topic: 'customer.updated', receivedAt: Date.now(), body: { inline: body } });
}

describe('store staff are not marketing contacts (issue 9, item 15)', () => {
  it('an administrator saved through customer.updated enters no flow until they consent', async () => {
    const store = 'acts-staff';
    await seed(store, 'fr', ['welcome']);
    await woo(store, 'customer.updated.account-birthday', (c) => ({ ...c, role: 'administrator' }));
    const admin = (await findContactByEmail(d(), store, EMAIL))!;
    const agent = env.CONTACT_AGENT.getByName(contactAgentName(store, admin.id));
    expect((await agent.listEvents()).map((e) => e.type)).toEqual([]);
    expect(await listContactMessages(d(), store, admin.id)).toEqual([]);
    await processCollectMessage(env, replay(store, 'checkout.capture.email-consent'));
    expect((await listContactMessages(d(), store, admin.id)).map((m) => m.stepId)).toEqual(['email_1']);
  });
});
