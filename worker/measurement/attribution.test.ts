import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../db/client';
import { findOrderCredit } from '../db/queries/attribution';
import { findMessage } from '../db/queries/messages';
import { postmark, postWebhook, seedContact, seedPostmarkStore, variant } from '../test/postmark-fixtures';
import { DAY, deliverOrder, enroll, HOUR, HUMAN_AGENT, rollupByStep, sendFlowMessage } from '../test/measurement-fixtures';
import { countClick } from './engagement';

const T = Date.parse('2026-11-02T10:00:00Z');
const FLOW = 'winback';

type Person = { storeId: string; contactId: string; email: string };

async function person(storeId: string, name: string): Promise<Person> {
  const email = `${name}@${storeId}.example.com`;
  return { storeId, contactId: await seedContact(storeId, email), email };
}

/** A flow email of step `stepId` sent to the person an hour before T. */
async function email(p: Person, id: string, stepId = 'email_1', channel: 'email' | 'sms' = 'email'): Promise<string> {
  const enrollmentId = `enr_${p.contactId}`;
  await enroll(p.storeId, p.contactId, enrollmentId, FLOW, 3, T - 2 * HOUR);
  await sendFlowMessage(p.storeId, p.contactId, { id, flowId: FLOW, stepId, enrollmentId, sentAt: T - HOUR, channel });
  return id;
}

async function engage(p: Person, sendId: string, kind: 'open' | 'click', at: number, userAgent = HUMAN_AGENT): Promise<void> {
  const body = variant(kind === 'open' ? postmark.open : postmark.click, { storeId: p.storeId, contactId: p.contactId, sendId }, {
    MessageID: `pm-${sendId}`,
    ReceivedAt: new Date(at).toISOString(),
    UserAgent: userAgent,
  });
  expect((await postWebhook(p.storeId, body, { 'X-PM-Webhook-Trace-Id': `${sendId}:${kind}:${at}` })).status).toBe(200);
}

let orders = 100;
async function order(p: Person, at: number, total = 80): Promise<number> {
  const id = ++orders;
  await deliverOrder(p.storeId, `dl-${id}`, { id, email: p.email, createdAt: at, total }, 'order.created');
  return id;
}

const credit = (storeId: string, orderId: number) => findOrderCredit(db(env.DB), storeId, orderId);

describe('attribution: last touch within the store windows', () => {
  it('credits an order placed exactly at the end of the 5-day click window, and not one a second later', async () => {
    const s = 'attr-edge';
    await seedPostmarkStore(s);
    const inside = await person(s, 'inside');
    const outside = await person(s, 'outside');
    await engage(inside, await email(inside, 'm-in'), 'click', T);
    await engage(outside, await email(outside, 'm-out'), 'click', T);
    const credited = await order(inside, T + 5 * DAY);
    const late = await order(outside, T + 5 * DAY + 1000);
    expect(await credit(s, credited)).toMatchObject({ messageId: 'm-in', flowId: FLOW, flowVersion: 3, stepId: 'email_1', touch: 'email_click', revenue: 80 });
    expect(await credit(s, late)).toBeUndefined();
    expect((await rollupByStep(s, FLOW)).email_1).toMatchObject({ converted: 1, revenue: 80, clicked: 2 });
  });

  it('credits a click made within the whole second the order is dated in (WooCommerce dates have no milliseconds), not one a second later', async () => {
    const s = 'attr-second';
    await seedPostmarkStore(s);
    const same = await person(s, 'same');
    const next = await person(s, 'next');
    await engage(same, await email(same, 'm-same'), 'click', T + 400);
    await engage(next, await email(next, 'm-next'), 'click', T + 1000);
    expect(await credit(s, await order(same, T))).toMatchObject({ messageId: 'm-same', touch: 'email_click' });
    expect(await credit(s, await order(next, T))).toBeUndefined();
  });

  it('a click beats an older open and a newer one; the newest click wins', async () => {
    const s = 'attr-click';
    await seedPostmarkStore(s);
    const a = await person(s, 'a');
    await engage(a, await email(a, 'a-opened', 'email_1'), 'open', T - 30 * 60_000);
    await engage(a, await email(a, 'a-clicked', 'email_2'), 'click', T);
    expect(await credit(s, await order(a, T + HOUR))).toMatchObject({ messageId: 'a-clicked', stepId: 'email_2', touch: 'email_click' });
    const b = await person(s, 'b');
    await engage(b, await email(b, 'b-clicked-old', 'email_1'), 'click', T);
    await engage(b, await email(b, 'b-clicked-new', 'email_2'), 'click', T + HOUR);
    await engage(b, await email(b, 'b-opened-newest', 'email_3'), 'open', T + 2 * HOUR);
    expect(await credit(s, await order(b, T + 3 * HOUR))).toMatchObject({ messageId: 'b-clicked-new', touch: 'email_click' });
  });

  it('an open credits for one day only, and a privacy-proxy open never does', async () => {
    const s = 'attr-open';
    await seedPostmarkStore(s);
    const fresh = await person(s, 'fresh');
    await engage(fresh, await email(fresh, 'o-fresh'), 'open', T);
    expect(await credit(s, await order(fresh, T + DAY))).toMatchObject({ messageId: 'o-fresh', touch: 'email_open' });
    const stale = await person(s, 'stale');
    await engage(stale, await email(stale, 'o-stale'), 'open', T);
    expect(await credit(s, await order(stale, T + DAY + 1000))).toBeUndefined();
    const proxied = await person(s, 'proxied');
    await engage(proxied, await email(proxied, 'o-mpp'), 'open', T, 'Mozilla/5.0');
    expect(await credit(s, await order(proxied, T + HOUR))).toBeUndefined();
    expect((await rollupByStep(s, FLOW)).email_1).toMatchObject({ opened_human: 2, opened_machine: 1, converted: 1 });
  });

  it('an SMS click credits for one day', async () => {
    const s = 'attr-sms';
    await seedPostmarkStore(s);
    const d = db(env.DB);
    const [inside, outside] = [await person(s, 'sms-in'), await person(s, 'sms-out')];
    for (const [p, id] of [[inside, 's-in'], [outside, 's-out']] as const) {
      await email(p, id, 'sms_1', 'sms');
      const message = await findMessage(d, s, id);
      if (!message) throw new Error('message not seeded');
      await countClick(d, message, { userAgent: HUMAN_AGENT, at: T, method: 'GET' });
    }
    expect(await credit(s, await order(inside, T + DAY))).toMatchObject({ messageId: 's-in', stepId: 'sms_1', touch: 'sms_click' });
    expect(await credit(s, await order(outside, T + DAY + 1000))).toBeUndefined();
  });

  it('refunds and a cancellation reduce the credited revenue; redeliveries credit the order once', async () => {
    const s = 'attr-refund';
    await seedPostmarkStore(s);
    const p = await person(s, 'refund');
    await engage(p, await email(p, 'r-1'), 'click', T);
    const shape = { id: 700, email: p.email, createdAt: T + HOUR, total: 100 };
    await deliverOrder(s, 'dl-created', shape, 'order.created');
    await deliverOrder(s, 'dl-created-again', { ...shape, modifiedAt: T + HOUR }, 'order.created');
    expect((await rollupByStep(s, FLOW)).email_1).toMatchObject({ converted: 1, revenue: 100 });
    await deliverOrder(s, 'dl-refund', { ...shape, refunds: [30], modifiedAt: T + 2 * HOUR });
    await deliverOrder(s, 'dl-refund-again', { ...shape, refunds: [30], modifiedAt: T + 2 * HOUR });
    expect(await credit(s, 700)).toMatchObject({ revenue: 70 });
    expect((await rollupByStep(s, FLOW)).email_1).toMatchObject({ converted: 1, revenue: 70 });
    await deliverOrder(s, 'dl-cancel', { ...shape, status: 'cancelled', refunds: [30], modifiedAt: T + 3 * HOUR });
    expect(await credit(s, 700)).toMatchObject({ revenue: 0, messageId: 'r-1' });
    expect((await rollupByStep(s, FLOW)).email_1).toMatchObject({ converted: 1, revenue: 0 });
  });
});
