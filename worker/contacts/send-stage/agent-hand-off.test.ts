import { createMessageBatch, env, runInDurableObject } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { findContactByEmail } from '../../db/queries/contacts';
import { listEnrollmentLog } from '../../db/queries/enrollments';
import { listContactMessages } from '../../db/queries/messages';
import { updateStoreSettings } from '../../db/queries/store-settings';
import { upsertStore } from '../../db/queries/stores';
import { processCollectMessage } from '../../ingest/collect/collect-processor';
import { countingD1 } from '../../messaging/test/counting-d1';
import { middayZone } from '../../test/clock';
import { SEND_QUEUE } from '../../messaging/email/send-queue';
import { contactAgentName } from '../domain-events';
import { consumeSendQueue } from './intent-consumer';
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

/** A contact of a store sending through Postmark whose cart reminder is due: its agent, its timer and the D1 it will use. */
async function dueCartReminder(store: string, settings: Record<string, unknown>) {
  const { SELF } = await import('cloudflare:test');
  const now = Date.now();
  const d = db(env.DB);
  mutable.PUBLIC_BASE_URL = 'https://ns.example';
  await upsertStore(d, { id: store, name: 'Shop', siteUrl: 'https://shop.example', webhookSecret: 'whsec_profile_01', siteKey: `pk_${store}`, timezone: middayZone(now), createdAt: 1, updatedAt: 1 });
  await updateStoreSettings(d, store, { postmarkServerToken: 'pm-prof', fromEmail: 'hello@shop.example', postalAddress: '1 rue de la Paix, 75002 Paris' }, now);
  await SELF.fetch(`https://ns.test/api/flows/abandoned-cart?store=${store}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ enabled: true, holdoutPercent: 0, settings }) });
  const email = `${store}@example.com`;
  await processCollectMessage(env, {
    kind: 'collect', storeId: store, trusted: true, visitorId: `v_${store}_visitor`, receivedAt: now, ipHash: null, userAgent: null,
    events: [
      { id: `evt_${store}_ident`, type: 'identify', ts: now, email, firstName: 'Jo', consent: { emailMarketing: true }, source: 'checkout' },
      { id: `evt_${store}_cart1`, type: 'cart_updated', ts: now + 1, cart: { items: [{ productId: 10, quantity: 1, price: 20, name: 'Grill' }], value: 20, currency: 'EUR' } },
    ],
  });
  const contact = (await findContactByEmail(d, store, email))!;
  const agent = env.CONTACT_AGENT.getByName(contactAgentName(store, contact.id));
  const [idle] = (await agent.journeyStatus()).pendingTimers;
  return { d, contact, agent, dueAt: idle!.dueAt };
}

/** Runs the agent's due timer on a counting D1 and a SEND queue that only keeps what it was given. */
async function wake(agent: Awaited<ReturnType<typeof dueCartReminder>>['agent'], at: number) {
  const log: string[] = [];
  const sent: unknown[] = [];
  mutable.DB = countingD1(realDb, log);
  mutable.SEND = { send: async (body: unknown) => void sent.push(body) } as unknown as Queue;
  await agent.runDue(at);
  mutable.DB = realDb;
  mutable.SEND = realSend;
  return { log, sent };
}

/**
 * Issue 10 ("Sending fast"): a woken agent used to make 25 D1 round trips to send its cart reminder (world,
 * facts, guardrails, rendering, claiming the row), one contact at a time. It now hands the email off, and reads
 * its world and the contact's facts in one round trip (they were three: world, facts, the contact again).
 */
describe('a woken ContactAgent of a store with a Postmark token', () => {
  it('hands its cart reminder to the send stage as one intent, in at most 2 D1 round trips (world and facts together, then the on-site prompt)', async () => {
    const { d, contact, agent, dueAt } = await dueCartReminder('prof-store', {});
    const { log, sent } = await wake(agent, dueAt);
    expect(log.length, log.join('\n')).toBeLessThanOrEqual(2);
    expect(sent).toHaveLength(1);
    expect(isSendIntent(sent[0])).toBe(true);
    expect((sent[0] as SendIntent).actions.map((a) => a.nodeId)).toEqual(['email_1']);
    expect(await listContactMessages(d, 'prof-store', contact.id)).toEqual([]);
    // Woken again (a replay of the alarm), the agent has nothing left to hand off.
    expect((await wake(agent, dueAt + 1)).sent).toHaveLength(0);
  });

  it('hands the journey log entries that follow the email over with it: one D1 round trip, and the stage writes them once', async () => {
    // Without the on-site prompt the step after the email is logged as skipped: the entry rides with the email.
    const { d, contact, agent, dueAt } = await dueCartReminder('prof-logs', { promptEnabled: false });
    const { log, sent } = await wake(agent, dueAt);
    expect(log, log.join('\n')).toHaveLength(1);
    const intent = sent[0] as SendIntent;
    expect(isSendIntent(intent)).toBe(true);
    expect(intent.logs).toMatchObject([{ type: 'journey_log', what: 'skipped', nodeId: 'prompt', enrollmentId: intent.actions[0]!.enrollmentId }]);
    const stageEnv = { ...env, SEND: { sendBatch: async () => {} } as unknown as Queue };
    for (let delivery = 0; delivery < 2; delivery++) {
      await consumeSendQueue(createMessageBatch(SEND_QUEUE, [{ id: `i${delivery}`, timestamp: new Date(), attempts: 1, body: intent }]), stageEnv);
    }
    const entries = await listEnrollmentLog(d, 'prof-logs', intent.actions[0]!.enrollmentId);
    expect(entries.filter((e) => e.what === 'skipped').map((e) => e.nodeId)).toEqual(['prompt']);
    expect(await listContactMessages(d, 'prof-logs', contact.id)).toHaveLength(1);
  });

  it('hands the email off before committing the run: the wake writes no outbox row for it', async () => {
    const { agent, dueAt } = await dueCartReminder('prof-first', { promptEnabled: false });
    const outboxSeq = () =>
      runInDurableObject(agent, (_object, state) => state.storage.sql.exec<{ seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'journey_outbox'").toArray()[0]?.seq ?? 0);
    const before = await outboxSeq();
    const { sent } = await wake(agent, dueAt);
    expect(sent).toHaveLength(1);
    expect(await outboxSeq()).toBe(before);
    expect((await agent.journeyStatus()).pendingActions).toEqual([]);
  });

  it('keeps an email the queue refused in the outbox, with a retry timer, and hands it off once when that timer rings', async () => {
    const { agent, dueAt } = await dueCartReminder('prof-refused', { promptEnabled: false });
    mutable.SEND = { send: async () => Promise.reject(new Error('queue unavailable')) } as unknown as Queue;
    await agent.runDue(dueAt);
    mutable.SEND = realSend;
    const waiting = (await agent.journeyStatus()).pendingActions;
    expect(waiting.map((a) => a.type)).toEqual(['send_email', 'journey_log']);
    const retryAt = waiting[0]!.dueAt!;
    expect(retryAt).toBeGreaterThan(dueAt);
    expect(await runInDurableObject(agent, (_object, state) => state.storage.getAlarm())).toBeLessThanOrEqual(retryAt);
    expect((await wake(agent, retryAt - 1)).sent).toEqual([]);
    const again = (await wake(agent, retryAt)).sent as SendIntent[];
    expect(again).toHaveLength(1);
    expect(again[0]!.logs).toMatchObject([{ what: 'skipped', nodeId: 'prompt' }]);
    expect((await agent.journeyStatus()).pendingActions).toEqual([]);
  });

  it('takes back an email the stage deferred, hands it off again once due, and leaves its alarm on the earliest timer left', async () => {
    const { agent, dueAt } = await dueCartReminder('prof-defer', { promptEnabled: false });
    const intent = (await wake(agent, dueAt)).sent[0] as SendIntent;
    const action = intent.actions[0]!;
    const until = dueAt + 3_600_000;
    expect(await agent.deferSend(action, until, intent.at)).toBe(true);
    const storage = () =>
      runInDurableObject(agent, async (_object, state) => ({
        outboxTimers: state.storage.sql.exec<{ id: string }>("SELECT id FROM timers WHERE id LIKE 'outbox:%'").toArray().length,
        earliest: state.storage.sql.exec<{ at: number | null }>('SELECT min(due_at) AS at FROM timers').one().at,
        alarm: await state.storage.getAlarm(),
      }));
    expect(await storage()).toMatchObject({ outboxTimers: 1 });
    expect((await wake(agent, until - 1)).sent).toEqual([]);
    const again = (await wake(agent, until)).sent as SendIntent[];
    expect(again.flatMap((i) => i.actions.map((a) => a.idempotencyKey))).toEqual([action.idempotencyKey]);
    const after = await storage();
    expect(after.outboxTimers).toBe(0);
    expect(after.alarm).toBe(after.earliest);
  });
});
