import { env, runDurableObjectAlarm } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { contactAgentName } from '../contacts/domain-events';
import { db } from '../db/client';
import { appendConsents } from '../db/queries/consents';
import { findOrCreateContactByEmail } from '../db/queries/contacts';
import { listContactEnrollments, listEnrollmentLog } from '../db/queries/enrollments';
import { installFlows } from '../db/queries/flows';
import { listContactMessages } from '../db/queries/messages';
import { upsertStore } from '../db/queries/stores';
import { audienceMembers, issuedCoupons } from '../db/schema';
import { inHoldout } from '../journeys/assignment';
import { Flow } from '../journeys/flow-schema';
import { middayZone } from '../test/clock';

const HOUR = 3_600_000;
const d = () => db(env.DB);
const FLOW_ID = 'welcome-holdout';

/** Everything a held-out contact must not get: a coupon, an email, an audience row. */
const flow = Flow.parse({
  schemaVersion: 1,
  id: FLOW_ID,
  version: 1,
  name: 'Welcome with holdout',
  enabled: true,
  holdoutPercent: 50,
  nodes: [
    { type: 'trigger', id: 'start', on: { kind: 'event', event: 'customer.created' }, next: 'pause' },
    { type: 'wait', id: 'pause', until: { kind: 'duration', duration: '1h' }, next: 'coupon' },
    { type: 'issue_coupon', id: 'coupon', discountType: 'percent', amount: 10, next: 'email' },
    { type: 'send_email', id: 'email', template: 'welcome.2', next: 'audience' },
    { type: 'add_to_audience', id: 'audience', audience: 'welcomed' },
  ],
});

async function seedStore(storeId: string, now: number) {
  await upsertStore(d(), {
    id: storeId, name: 'Shop', siteUrl: 'https://shop.example', webhookSecret: 'whsec_holdout_0123456789', siteKey: `pk_${storeId}`,
    timezone: middayZone(now), createdAt: 1, updatedAt: 1,
  });
  await installFlows(d(), storeId, [flow], now);
}

/** Contacts get random ids, so make them until there is one on each side of the holdout. */
async function oneOfEach(storeId: string, now: number) {
  const found: { held?: string; treated?: string } = {};
  for (let i = 0; i < 60 && !(found.held && found.treated); i++) {
    const { contact } = await findOrCreateContactByEmail(d(), storeId, `c${i}@${storeId}.example`, now);
    await appendConsents(d(), [{ storeId, contactId: contact.id, channel: 'email', purpose: 'marketing', granted: true, source: 'checkout', occurredAt: now - HOUR }]);
    found[inHoldout(contact.id, FLOW_ID, 50) ? 'held' : 'treated'] ??= contact.id;
  }
  if (!found.held || !found.treated) throw new Error('no contact on one side of the holdout');
  return { held: found.held, treated: found.treated };
}

async function enter(storeId: string, contactId: string, at: number) {
  const agent = env.CONTACT_AGENT.getByName(contactAgentName(storeId, contactId));
  await agent.recordEvents([{ type: 'customer.created', id: `cc-${contactId}`, storeId, contactId, occurredAt: at, wooCustomerId: 1 }], at);
  return agent;
}

async function effectsOf(storeId: string, contactId: string) {
  const where = <T extends typeof issuedCoupons | typeof audienceMembers>(t: T) => and(eq(t.storeId, storeId), eq(t.contactId, contactId));
  return {
    messages: await listContactMessages(d(), storeId, contactId),
    coupons: await d().select().from(issuedCoupons).where(where(issuedCoupons)).all(),
    audience: await d().select().from(audienceMembers).where(where(audienceMembers)).all(),
  };
}

describe('per-flow holdout through the ContactAgent and its real alarm', () => {
  it('sends a held-out contact nothing (no message, coupon or audience row) and still counts their conversion', async () => {
    const store = 'holdout-agent';
    // Entered two hours ago: the one-hour wait is already due when the alarm rings now.
    const entered = Date.now() - 2 * HOUR;
    await seedStore(store, entered);
    const { held, treated } = await oneOfEach(store, entered);
    const heldAgent = await enter(store, held, entered);
    const treatedAgent = await enter(store, treated, entered);
    expect((await heldAgent.journeyStatus()).pendingTimers).toHaveLength(1);

    expect(await runDurableObjectAlarm(heldAgent)).toBe(true);
    expect(await runDurableObjectAlarm(treatedAgent)).toBe(true);

    const mine = await effectsOf(store, held);
    expect(mine).toEqual({ messages: [], coupons: [], audience: [] });
    const theirs = await effectsOf(store, treated);
    expect(theirs.messages.map((m) => [m.channel, m.stepId])).toEqual([['email', 'email']]);
    expect(theirs.coupons).toHaveLength(1);
    expect(theirs.audience).toHaveLength(1);

    const [enrollment] = await listContactEnrollments(d(), store, held);
    expect(enrollment).toMatchObject({ flowId: FLOW_ID, heldOut: true, status: 'completed' });
    const log = await listEnrollmentLog(d(), store, enrollment!.id);
    expect(log.filter((l) => l.what === 'skipped').map((l) => [l.nodeId, l.reason])).toEqual([
      ['coupon', 'held_out'], ['email', 'held_out'], ['audience', 'held_out'],
    ]);
    expect((await listContactEnrollments(d(), store, treated))[0]).toMatchObject({ heldOut: false, status: 'completed' });

    const paidAt = entered + 3 * HOUR;
    await heldAgent.recordEvents([{
      type: 'order.placed', id: `op-${held}`, storeId: store, contactId: held, occurredAt: paidAt, status: 'processing',
      orderId: 501, number: '501', total: 80, currency: 'EUR', couponCodes: [], lines: [],
    }], paidAt);
    expect((await listContactEnrollments(d(), store, held))[0]).toMatchObject({ heldOut: true, converted: true });
  });
});
