import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { appendConsents } from '../../db/queries/consents';
import { findContact, findOrCreateContactByEmail, setContactGeoTimezone } from '../../db/queries/contacts';
import { listEnrollmentLog } from '../../db/queries/enrollments';
import { findSendDecision, updateGuardrailSettings } from '../../db/queries/guardrail-settings';
import { listContactMessages } from '../../db/queries/messages';
import { changeReputationState } from '../../db/queries/reputation';
import { updateStoreSettings } from '../../db/queries/store-settings';
import { findStore, upsertStore } from '../../db/queries/stores';
import { suppressContact } from '../../db/queries/suppression';
import type { SendEmailAction } from '../../journeys/actions';
import { consumeSend } from '../../messaging/email/send-consumer';
import { SEND_DEAD_LETTER_QUEUE, SEND_QUEUE, type SendQueueMessage } from '../../messaging/email/send-queue';
import { countingD1 } from '../../messaging/test/counting-d1';
import { createPostmarkFake } from '../../messaging/test/postmark-fake';
import { middayZone } from '../../test/clock';
import { executeSendEmail } from '../executors/send-email';
import { consumeSendQueue, failDeadSendQueue } from './intent-consumer';
import type { SendIntent } from './send-intent';
import { TEST_POSTAL_ADDRESS } from '../../test/sender';

const d = () => db(env.DB);
const HOUR = 3_600_000;

/** What the SEND binding received: pointers the stage queued (sendBatch) or the single path queued (send). */
function capturingQueue(into: SendQueueMessage[]): Queue {
  return {
    send: async (body: SendQueueMessage) => void into.push(body),
    sendBatch: async (msgs: { body: SendQueueMessage }[]) => void into.push(...msgs.map((m) => m.body)),
  } as unknown as Queue;
}

function stageEnv(pointers: SendQueueMessage[], DB: D1Database = env.DB): Env {
  // Postmark takes only an HTTPS one-click unsubscribe target; the dev default base URL is plain http.
  return { ...env, DB, SEND: capturingQueue(pointers), PUBLIC_BASE_URL: 'https://ns.example' as string as Env['PUBLIC_BASE_URL'] };
}

function action(enrollmentId: string, flowId = 'vip-loyalty'): SendEmailAction {
  return {
    type: 'send_email', template: 'vip.perks', context: { coupons: [] }, params: { 'vip.perks': ['Free shipping'] }, choices: [], products: [], categories: [],
    idempotencyKey: `${enrollmentId}:vip_email`, flowId, flowVersion: 2, enrollmentId, nodeId: 'vip_email',
  };
}

type Scenario = { name: string; setup?: (storeId: string, contactId: string, now: number) => Promise<void>; consent?: boolean; sends: number };

/** One of each guardrail outcome, and a contact with two emails in one batch (the email cap is 1). */
const SCENARIOS: Scenario[] = [
  { name: 'fine', sends: 1 },
  { name: 'twice', sends: 2 },
  { name: 'bounced', sends: 1, setup: (storeId, contactId, now) => suppressContact(d(), { storeId, contactId, status: 'bounced', occurredAt: now, now }) },
  { name: 'noconsent', sends: 1, consent: false },
  { name: 'night', sends: 1, setup: (storeId, contactId, now) => setContactGeoTimezone(d(), storeId, contactId, middayZone(now + 12 * HOUR), now) },
];

async function seedStore(storeId: string, now: number): Promise<Map<string, string>> {
  await upsertStore(d(), { id: storeId, name: 'Shop', siteUrl: 'https://shop.example', webhookSecret: 'whsec_stage_0001', siteKey: `pk_${storeId}`, timezone: middayZone(now), createdAt: 1, updatedAt: 1 });
  await updateStoreSettings(d(), storeId, { postmarkServerToken: 'pm-stage', fromEmail: 'hello@shop.example', fromName: 'Shop', postalAddress: TEST_POSTAL_ADDRESS }, now);
  await updateGuardrailSettings(d(), storeId, { emailCap: 1 }, now);
  const ids = new Map<string, string>();
  for (const s of SCENARIOS) {
    const { contact } = await findOrCreateContactByEmail(d(), storeId, `${s.name}@example.com`, now);
    if (s.consent !== false) {
      await appendConsents(d(), [{ storeId, contactId: contact.id, channel: 'email', purpose: 'marketing', granted: true, source: 'checkout', occurredAt: now - 1000 }]);
    }
    await s.setup?.(storeId, contact.id, now);
    ids.set(s.name, contact.id);
  }
  return ids;
}

/** A store that sends through Postmark, with `count` contacts who gave email marketing consent. */
async function consentingStore(storeId: string, webhookSecret: string, count: number, now: number) {
  await upsertStore(d(), { id: storeId, name: 'Shop', siteUrl: 'https://shop.example', webhookSecret, siteKey: `pk_${storeId}`, timezone: middayZone(now), createdAt: 1, updatedAt: 1 });
  await updateStoreSettings(d(), storeId, { postmarkServerToken: 'pm-stage', fromEmail: 'hello@shop.example', postalAddress: TEST_POSTAL_ADDRESS }, now);
  const contacts = [];
  for (let n = 0; n < count; n++) {
    const { contact } = await findOrCreateContactByEmail(d(), storeId, `${storeId}-${n}@example.com`, now);
    await appendConsents(d(), [{ storeId, contactId: contact.id, channel: 'email', purpose: 'marketing', granted: true, source: 'checkout', occurredAt: now - 1000 }]);
    contacts.push(contact);
  }
  return contacts;
}

const actionsOf = (s: Scenario) => Array.from({ length: s.sends }, (_, i) => action(`enr-${s.name}-${i}`));

/** Decision, reason and the email's subject and text (links aside: each store signs its own) per send. */
async function outcomes(storeId: string, ids: Map<string, string>) {
  const out: Record<string, unknown> = {};
  for (const s of SCENARIOS) {
    const rows = await listContactMessages(d(), storeId, ids.get(s.name)!);
    for (const a of actionsOf(s)) {
      const decision = await findSendDecision(d(), storeId, a.idempotencyKey);
      const row = rows.find((r) => r.idempotencyKey === a.idempotencyKey);
      out[a.idempotencyKey] = { decision: decision?.decision, reason: decision?.reason, subject: row?.subject, text: row?.text.replace(/https?:\S+/g, 'URL') };
    }
  }
  return out;
}

function intentBatch(storeId: string, ids: Map<string, string>, now: number) {
  // The two emails of "twice" come from two agent runs: two intents, in one batch.
  const intents: SendIntent[] = SCENARIOS.flatMap((s) => actionsOf(s).map((a) => ({ kind: 'send_intent' as const, storeId, contactId: ids.get(s.name)!, actions: [a], at: now })));
  return createMessageBatch(SEND_QUEUE, intents.map((body, i) => ({ id: `i${i}`, timestamp: new Date(), attempts: 1, body })));
}

describe('the batched send stage', () => {
  it('decides a mixed batch exactly as the single path does: sent, capped, suppressed, no consent, quiet hours', async () => {
    const now = Date.now();
    const single = await seedStore('stage-single', now);
    const batched = await seedStore('stage-batched', now);
    const store = (await findStore(d(), 'stage-single'))!;
    const singlePointers: SendQueueMessage[] = [];
    for (const s of SCENARIOS) {
      for (const a of actionsOf(s)) {
        const contact = (await findContact(d(), 'stage-single', single.get(s.name)!))!;
        await executeSendEmail({ env: stageEnv(singlePointers), d: d(), store, contact, now }, a);
      }
    }
    const pointers: SendQueueMessage[] = [];
    const batch = intentBatch('stage-batched', batched, now);
    const ctx = createExecutionContext();
    await consumeSendQueue(batch, stageEnv(pointers));
    expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(batch.messages.length);

    const expected = await outcomes('stage-single', single);
    expect(await outcomes('stage-batched', batched)).toEqual(expected);
    expect(Object.values(expected).map((o) => [(o as { decision: string }).decision, (o as { reason: string | null }).reason])).toEqual([
      ['send', null],
      ['send', null],
      ['defer', 'frequency_cap_email'],
      ['skip', 'suppressed_bounced'],
      ['skip', 'no_email_consent'],
      ['defer', 'quiet_hours'],
    ]);
    expect(pointers).toHaveLength(2);
    expect(singlePointers).toHaveLength(2);
    // The deferred ones wait in their agents' outboxes, as the single path's would.
    const agent = env.CONTACT_AGENT.getByName(`stage-batched:${batched.get('night')}`);
    expect((await agent.journeyStatus()).pendingActions).toMatchObject([{ type: 'send_email', idempotencyKey: 'enr-night-0:vip_email' }]);
  });

  it('a redelivered batch sends nothing twice', async () => {
    const now = Date.now();
    const ids = await seedStore('stage-redeliver', now);
    const pointers: SendQueueMessage[] = [];
    await consumeSendQueue(intentBatch('stage-redeliver', ids, now), stageEnv(pointers));
    await consumeSendQueue(intentBatch('stage-redeliver', ids, now), stageEnv(pointers));
    // Rows still queued are pointed at again (harmless: the consumer takes a row out of `queued` once).
    expect(new Set(pointers.map((p) => p.messageId)).size).toBe(2);
    const fake = createPostmarkFake('pm-stage');
    for (let round = 0; round < 2; round++) {
      const batch = createMessageBatch(SEND_QUEUE, pointers.map((body, i) => ({ id: `p${round}-${i}`, timestamp: new Date(), attempts: 1, body })));
      await consumeSend(batch, env, { fetch: fake.fetch, retry: { sleep: async () => {} } });
    }
    expect(fake.sent.map((m) => m.To).sort()).toEqual(['fine@example.com', 'twice@example.com']);
    await consumeSendQueue(intentBatch('stage-redeliver', ids, now), stageEnv(pointers));
    expect(pointers).toHaveLength(4);
    const rows = await Promise.all([...ids.values()].map((id) => listContactMessages(d(), 'stage-redeliver', id)));
    expect(rows.flat().map((r) => r.status)).toEqual(['sent', 'sent']);
  });

  it('decides and queues 100 emails in a bounded number of D1 round trips, where one at a time takes about 14 each', async () => {
    const storeId = 'stage-bulk';
    const now = Date.now();
    const contacts = await consentingStore(storeId, 'whsec_stage_0002', 103, now);
    const store = (await findStore(d(), storeId))!;

    const singleLog: string[] = [];
    const single = stageEnv([], countingD1(env.DB, singleLog));
    for (const contact of contacts.slice(100)) await executeSendEmail({ env: single, d: db(single.DB), store, contact, now }, action(`enr-one-${contact.id}`));
    const perSingleSend = singleLog.length / 3;

    const log: string[] = [];
    const statements: string[] = [];
    const pointers: SendQueueMessage[] = [];
    // Each with the log entry that followed its email (the agent hands both over): written in the same round trips.
    const logs = (c: { id: string }) => [{ type: 'journey_log' as const, what: 'skipped' as const, nodeId: 'prompt', flowId: 'vip-loyalty', flowVersion: 2, enrollmentId: `enr-bulk-${c.id}`, at: now }];
    const intents = contacts.slice(0, 100).map((c, i) => ({ id: `b${i}`, timestamp: new Date(), attempts: 1, body: { kind: 'send_intent', storeId, contactId: c.id, actions: [action(`enr-bulk-${c.id}`)], logs: logs(c), at: now } satisfies SendIntent }));
    await consumeSendQueue(createMessageBatch(SEND_QUEUE, intents), stageEnv(pointers, countingD1(env.DB, log, statements)));
    expect(pointers).toHaveLength(100);
    expect(statements.filter((sql) => sql.startsWith('insert into "journey_log"'))).toHaveLength(100);
    // The store's settings and the step's wording are the same for all 100: read (and the settings opened) once.
    expect(statements.filter((sql) => sql.includes('from "message_versions"'))).toHaveLength(1);
    // So are its guardrails, sender, reputation breaker and learnt send hours: one statement each, not one per send.
    for (const table of ['guardrail_settings', 'reputation_state', 'store_predictions']) {
      expect(statements.filter((sql) => sql.includes(`from "${table}"`)), table).toHaveLength(1);
    }
    expect(statements.filter((sql) => /select "from_email", "postal_address" from "store_settings"/.test(sql)), 'sender readiness').toHaveLength(1);
    // Each round trip waits for the whole batch: the contacts; the log entries with the rows' lookup; the store's
    // settings, wording and guardrails with each send's decision; the rules' reads (two trips: hibernation runs in its
    // turn); the decisions; the claims. Seven in all.
    const BOUND = 7;
    console.log(`100 sends: ${log.length} D1 round trips batched; one at a time: ${perSingleSend} per send`);
    expect(log.length, log.join('\n')).toBeLessThanOrEqual(BOUND);
    // The old path (the agent's executor, one email at a time) would have needed far more for the same 100.
    expect(perSingleSend * 100).toBeGreaterThan(BOUND * 10);
  });

  it("holds every promotional email of a batch while the store's breaker is paused, reading the breaker once", async () => {
    const storeId = 'stage-paused';
    const now = Date.now();
    const contacts = await consentingStore(storeId, 'whsec_stage_0003', 3, now);
    const intents = contacts.map((contact, n) => ({ id: `h${n}`, timestamp: new Date(), attempts: 1, body: { kind: 'send_intent', storeId, contactId: contact.id, actions: [action(`enr-paused-${n}`)], at: now } satisfies SendIntent }));
    await changeReputationState(d(), { storeId, from: 'open', to: 'paused', at: now - HOUR, reason: 'complaints', incidentId: 'inc_stage', details: {} });
    const statements: string[] = [];
    const pointers: SendQueueMessage[] = [];
    await consumeSendQueue(createMessageBatch(SEND_QUEUE, intents), stageEnv(pointers, countingD1(env.DB, [], statements)));
    expect(pointers).toHaveLength(0);
    for (let n = 0; n < 3; n++) expect(await findSendDecision(d(), storeId, `enr-paused-${n}:vip_email`)).toMatchObject({ decision: 'defer', reason: 'sending_paused' });
    expect(statements.filter((sql) => sql.includes('from "reputation_state"'))).toHaveLength(1);
  });

  it('an intent that failed every retry goes back to its agent, to be tried again an hour later, its log entries written: nothing is lost', async () => {
    const now = Date.now();
    const ids = await seedStore('stage-dead', now);
    const logs = [{ type: 'journey_log' as const, what: 'completed' as const, flowId: 'vip-loyalty', flowVersion: 2, enrollmentId: 'enr-dead-0', at: now }];
    const body: SendIntent = { kind: 'send_intent', storeId: 'stage-dead', contactId: ids.get('fine')!, actions: [action('enr-dead-0')], logs, at: now };
    const batch = createMessageBatch(SEND_DEAD_LETTER_QUEUE, [{ id: 'dead-1', timestamp: new Date(), attempts: 9, body }]);
    const ctx = createExecutionContext();
    await failDeadSendQueue(batch, env);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['dead-1']);
    const agent = env.CONTACT_AGENT.getByName(`stage-dead:${ids.get('fine')}`);
    const [pending] = (await agent.journeyStatus()).pendingActions;
    expect(pending).toMatchObject({ type: 'send_email', idempotencyKey: 'enr-dead-0:vip_email' });
    expect(pending!.dueAt).toBeGreaterThanOrEqual(now + 59 * 60_000);
    expect((await listEnrollmentLog(d(), 'stage-dead', 'enr-dead-0')).map((e) => e.what)).toEqual(['completed']);
  });
});
