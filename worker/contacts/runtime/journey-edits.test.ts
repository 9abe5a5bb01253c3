import { env, runInDurableObject, SELF } from 'cloudflare:test';
import { middayZone } from '../../test/clock';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { findContactByEmail } from '../../db/queries/contacts';
import { listContactEnrollments } from '../../db/queries/enrollments';
import { listContactMessages } from '../../db/queries/messages';
import { findStore, upsertStore } from '../../db/queries/stores';
import { processCollectMessage } from '../../ingest/collect/collect-processor';
import type { SendSmsAction } from '../../journeys/actions';
import type { ContactAgent } from '../contact-agent';
import { contactAgentName } from '../domain-events';
import { JourneyOutbox } from './journey-outbox';
import { TimerTable } from './timer-table';

const MIN = 60_000;
const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const d = () => db(env.DB);
const cart = { items: [{ productId: 10, quantity: 1, price: 25 }], value: 25, currency: 'EUR' };

const patchFlow = async (store: string, body: unknown) => {
  const res = await SELF.fetch(`https://ns.test/api/flows/abandoned-cart?store=${store}`, { method: 'PATCH', headers: auth, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
};

async function shopper(store: string, email: string) {
  await upsertStore(d(), {
    id: store, name: 'Shop', siteUrl: 'https://shop.example', webhookSecret: 'whsec_edits_secret_0001', siteKey: `pk_${store}`,
    timezone: middayZone(Date.now()), createdAt: 1, updatedAt: 1,
  });
  await patchFlow(store, { enabled: true, holdoutPercent: 0 });
  const ts = Date.now();
  await processCollectMessage(env, {
    kind: 'collect', storeId: store, trusted: true, visitorId: 'v_edits_visitor', receivedAt: ts, ipHash: null, userAgent: null,
    events: [
      { id: 'evt_edit_ident', type: 'identify', ts, email, phone: '+33699887766', consent: { emailMarketing: true, smsMarketing: true } },
      { id: 'evt_edit_cart1', type: 'cart_updated', ts: ts + 1, cart },
    ],
  });
  const contact = (await findContactByEmail(d(), store, email))!;
  return { contact, agent: env.CONTACT_AGENT.getByName(contactAgentName(store, contact.id)) };
}

const count = async (store: string, contactId: string) => (await listContactMessages(d(), store, contactId)).length;

describe('editing a live flow while enrollments are in flight', () => {
  it('a shorter wait takes effect at once, re-based on now, and never makes a step past due', async () => {
    const store = 'je-shorter';
    const { contact, agent } = await shopper(store, 'edit.short@example.com');
    // Replay the cart as recorded 31 minutes ago, so the timeline runs on the real clock the PATCH wake uses.
    const carts = (await agent.listEvents()).filter((e) => e.type === 'cart_updated').map((e) => ({ ...e, id: `${e.id}:past` }));
    await agent.recordEvents(carts, Date.now() - 31 * MIN);
    await agent.runDue(Date.now());
    expect(await count(store, contact.id)).toBe(1);
    const [before] = (await agent.journeyStatus()).pendingTimers;
    expect(before!.dueAt).toBeGreaterThan(Date.now() + 50 * MIN);

    await patchFlow(store, { settings: { openWindow: '10m' } });
    const editedAt = Date.now();
    await agent.runDue(editedAt);
    expect(await count(store, contact.id)).toBe(1);
    const [opened] = (await agent.journeyStatus()).pendingTimers;
    expect(opened!.dueAt).toBeGreaterThan(Date.now() - 60_000);
    expect(opened!.dueAt).toBeLessThanOrEqual(editedAt + 10 * MIN);
    expect((await agent.journeyStatus()).running).toMatchObject([{ flowVersion: 3, cursor: 'engaged' }]);

    await agent.runDue(opened!.dueAt);
    await agent.runDue(opened!.dueAt + 1);
    expect((await listContactMessages(d(), store, contact.id)).map((m) => m.channel).sort()).toEqual(['email', 'sms']);
  });

  it('switching the flow off and on again never replays the steps it missed', async () => {
    const store = 'je-reenable';
    const { contact, agent } = await shopper(store, 'edit.again@example.com');
    const [idle] = (await agent.journeyStatus()).pendingTimers;
    await patchFlow(store, { enabled: false });
    await patchFlow(store, { enabled: true, holdoutPercent: 0 });
    await agent.runDue(idle!.dueAt + 48 * 60 * MIN);
    expect(await count(store, contact.id)).toBe(0);
    expect((await agent.journeyStatus()).pendingTimers).toEqual([]);
    const [enrollment] = await listContactEnrollments(d(), store, contact.id);
    expect(enrollment!.status).toBe('exited');
    // The PATCH wakes the agent in the background: it may end the enrollment at the switch-off already.
    expect(['flow_disabled', 'flow_reenabled']).toContain(enrollment!.exitReason);
  });
});

describe('the outbox', () => {
  it('keeps an SMS that falls in quiet hours and sends it once in the morning', async () => {
    const store = 'je-quiet';
    const { contact, agent } = await shopper(store, 'edit.quiet@example.com');
    const storeRow = (await findStore(d(), store))!;
    await upsertStore(d(), { ...storeRow, timezone: 'Europe/Paris' });
    const night = Date.UTC(2026, 10, 24, 22, 30);
    const morning = Date.UTC(2026, 10, 25, 7, 0);
    const action: SendSmsAction = {
      type: 'send_sms', template: 'cart.reminder.sms', context: { coupons: [] }, params: {},
      idempotencyKey: 'e-quiet:sms', flowId: 'abandoned-cart', flowVersion: 2, enrollmentId: 'e-quiet', nodeId: 'sms',
    };
    await runInDurableObject(agent, async (_agent: ContactAgent, state) => {
      const timers = new TimerTable(state.storage);
      const outbox = new JourneyOutbox(state.storage, timers);
      const ctx = { env, d: d(), store: { ...storeRow, timezone: 'Europe/Paris' }, contact, now: night };
      state.storage.transactionSync(() => outbox.append([action]));
      expect(await outbox.drain(ctx)).toBe(0);
      expect(outbox.list()).toMatchObject([{ dueAt: morning }]);
      expect(timers.list()).toContainEqual(expect.objectContaining({ dueAt: morning, kind: 'outbox' }));
      expect(await outbox.drain({ ...ctx, now: morning - 1 })).toBe(0);
      expect(await outbox.drain({ ...ctx, now: morning })).toBe(1);
      expect(await outbox.drain({ ...ctx, now: morning + 1 })).toBe(0);
      expect(outbox.list()).toEqual([]);
      expect(timers.list().filter((t) => t.kind === 'outbox')).toEqual([]);
    });
    const sms = (await listContactMessages(d(), store, contact.id)).filter((m) => m.channel === 'sms');
    expect(sms).toMatchObject([{ status: 'outbox', createdAt: morning }]);
  });
});
