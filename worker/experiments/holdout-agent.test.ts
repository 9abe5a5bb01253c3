import { env, runDurableObjectAlarm } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { db } from '../db/client';
import { listContactEnrollments, listEnrollmentLog } from '../db/queries/enrollments';
import { listContactMessages } from '../db/queries/messages';
import { audienceMembers, issuedCoupons } from '../db/schema';
import { inHoldout } from '../journeys/assignment';
import { consentingContactWhere, customerFlow, enterCustomer, seedStoreWithFlows } from '../test/experiment-kit';

const HOUR = 3_600_000;
const d = () => db(env.DB);
const FLOW_ID = 'welcome-holdout';

/** Everything a held-out contact must not get: a coupon, an email, an audience row. */
const flow = customerFlow(FLOW_ID, 50, 'pause', [
  { type: 'wait', id: 'pause', until: { kind: 'duration', duration: '1h' }, next: 'coupon' },
  { type: 'issue_coupon', id: 'coupon', discountType: 'percent', amount: 10, next: 'email' },
  { type: 'send_email', id: 'email', template: 'welcome.2', next: 'audience' },
  { type: 'add_to_audience', id: 'audience', audience: 'welcomed' },
]);

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
    await seedStoreWithFlows(store, [flow], entered);
    const held = await consentingContactWhere(store, 'held', entered, (id) => inHoldout(id, FLOW_ID, 50));
    const treated = await consentingContactWhere(store, 'treated', entered, (id) => !inHoldout(id, FLOW_ID, 50));
    const heldAgent = await enterCustomer(store, held, entered);
    const treatedAgent = await enterCustomer(store, treated, entered);
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
