import { createMessageBatch, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { consumeSendQueue } from '../../contacts/send-stage/intent-consumer';
import type { SendIntent } from '../../contacts/send-stage/send-intent';
import { db } from '../../db/client';
import { appendConsents } from '../../db/queries/consents';
import { setContactTag } from '../../db/queries/contact-tags';
import { findOrCreateContactByEmail } from '../../db/queries/contacts';
import { findSendDecision } from '../../db/queries/guardrail-settings';
import { saveSegmentGuardrail } from '../../db/queries/segment-guardrails';
import { updateStoreSettings } from '../../db/queries/store-settings';
import { upsertStore } from '../../db/queries/stores';
import type { SendEmailAction } from '../../journeys/actions';
import { SEND_QUEUE, type SendQueueMessage } from '../email/send-queue';
import { countingD1 } from '../test/counting-d1';
import { createSegment } from '../../segments/dynamic/segment-admin';
import { middayZone } from '../../test/clock';
import { TEST_POSTAL_ADDRESS } from '../../test/sender';

const d = () => db(env.DB);
const CONTACTS = 100;

function action(enrollmentId: string): SendEmailAction {
  return {
    type: 'send_email', template: 'vip.perks', context: { coupons: [] }, params: { 'vip.perks': ['Free shipping'] }, choices: [], products: [], categories: [],
    idempotencyKey: `${enrollmentId}:vip_email`, flowId: 'vip-loyalty', flowVersion: 2, enrollmentId, nodeId: 'vip_email',
  };
}

/** The batched send stage over 100 intents of one store; half the contacts are tagged `excluded`. Returns the round trips and queued pointers. */
async function stage(storeId: string, rule: boolean): Promise<{ trips: number; queued: number; excluded: string[] }> {
  const now = Date.now();
  await upsertStore(d(), { id: storeId, name: 'Shop', siteUrl: 'https://shop.example', webhookSecret: 'whsec_stage_0003', siteKey: `pk_${storeId}`, timezone: middayZone(now), createdAt: 1, updatedAt: 1 });
  await updateStoreSettings(d(), storeId, { postmarkServerToken: 'pm-stage', fromEmail: 'hello@shop.example', postalAddress: TEST_POSTAL_ADDRESS }, now);
  const ids: string[] = [];
  for (let n = 0; n < CONTACTS; n++) {
    const { contact } = await findOrCreateContactByEmail(d(), storeId, `c${n}@example.com`, now);
    await appendConsents(d(), [{ storeId, contactId: contact.id, channel: 'email', purpose: 'marketing', granted: true, source: 'checkout', occurredAt: now - 1000 }]);
    if (n % 2 === 0) await setContactTag(d(), storeId, contact.id, 'excluded', true, now);
    ids.push(contact.id);
  }
  const segment = await createSegment(d(), storeId, { name: { fr: 'Exclus', en: 'Excluded' }, rules: { version: 1, match: { all: [{ kind: 'tag', tag: 'excluded' }] } } }, now);
  if (rule) await saveSegmentGuardrail(d(), storeId, { segmentId: segment.id, exclude: true, cap: null, windowDays: 7, hibernationDays: null }, now);
  const log: string[] = [];
  const pointers: SendQueueMessage[] = [];
  const SEND = { send: async (b: SendQueueMessage) => void pointers.push(b), sendBatch: async (m: { body: SendQueueMessage }[]) => void pointers.push(...m.map((x) => x.body)) } as unknown as Queue;
  const e: Env = { ...env, DB: countingD1(env.DB, log), SEND, PUBLIC_BASE_URL: 'https://ns.example' as string as Env['PUBLIC_BASE_URL'] };
  const intents = ids.map((contactId, i) => ({ id: `i${i}`, timestamp: new Date(), attempts: 1, body: { kind: 'send_intent', storeId, contactId, actions: [action(`enr-${storeId}-${i}`)], at: now } satisfies SendIntent }));
  await consumeSendQueue(createMessageBatch(SEND_QUEUE, intents), e);
  const decisions = await Promise.all(ids.map((id, i) => findSendDecision(d(), storeId, `enr-${storeId}-${i}:vip_email`).then((x) => (x?.reason === 'segment_excluded' ? id : null))));
  return { trips: log.length, queued: pointers.length, excluded: decisions.filter((x): x is string => x !== null) };
}

describe('segment guardrails in the batched send stage', () => {
  it('reads the membership of 100 contacts within the round trips the stage already makes, and skips the excluded half', async () => {
    const without = await stage('stage-seg-none', false);
    const withRule = await stage('stage-seg-excl', true);
    console.log(`100 intents: ${without.trips} D1 round trips without a segment rule, ${withRule.trips} with one excluding half of them`);
    expect(without).toMatchObject({ queued: CONTACTS, excluded: [] });
    expect(withRule.queued).toBe(CONTACTS / 2);
    expect(withRule.excluded).toHaveLength(CONTACTS / 2);
    // The rule adds no round trip: its statement rides in the batch that reads the store's guardrails.
    expect(withRule.trips).toBeLessThanOrEqual(without.trips);
  });
});
