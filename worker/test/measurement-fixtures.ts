import { env } from 'cloudflare:test';
import { expect } from 'vitest';
import orderCreated from '../../../shared/fixtures/woocommerce/order.created.json';
import { db } from '../db/client';
import { recordJourneyLog } from '../db/queries/enrollments';
import { claimMessage, completeMessage } from '../db/queries/messages';
import { processWooMessage } from '../ingest/woo/woo-processor';
import { postmark, postWebhook, seedContact, seedPostmarkStore, variant } from './postmark-fixtures';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const HUMAN_AGENT = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 15_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';

/** An enrollment that entered a flow at a version, as the ContactAgent's journey log records it. */
export async function enroll(storeId: string, contactId: string, enrollmentId: string, flowId: string, flowVersion: number, at: number): Promise<void> {
  await recordJourneyLog(db(env.DB), { storeId, contactId, flowId, flowVersion, enrollmentId, what: 'enrolled', at }, at);
}

/** A flow message handed to the provider at `sentAt`, the way the send path records it. */
export async function sendFlowMessage(
  storeId: string,
  contactId: string,
  m: { id: string; flowId: string; stepId: string; enrollmentId: string; sentAt: number; channel?: 'email' | 'sms' },
): Promise<void> {
  const d = db(env.DB);
  const { id, flowId, stepId, enrollmentId, sentAt } = m;
  const channel = m.channel ?? 'email';
  const to = channel === 'sms' ? '+33600000000' : 'x@example.com';
  await claimMessage(d, { id, storeId, contactId, flowId, stepId, enrollmentId, idempotencyKey: `${enrollmentId}:${stepId}`, channel, subject: 's', html: null, text: 't', to, createdAt: sentAt });
  await completeMessage(d, storeId, id, { status: 'sent', providerMessageId: `pm-${id}`, sentAt });
}

function gmt(at: number): string {
  return new Date(at).toISOString().slice(0, 19);
}

export type OrderShape = { id: number; email: string; createdAt: number; total: number; status?: string; refunds?: number[]; modifiedAt?: number };

/** A WooCommerce order webhook body: the captured order.created delivery with these facts. */
export function orderBody(o: OrderShape): Record<string, unknown> {
  return {
    ...orderCreated,
    id: o.id,
    number: String(o.id),
    customer_id: 0,
    status: o.status ?? 'processing',
    total: o.total.toFixed(2),
    billing: { ...orderCreated.billing, email: o.email },
    date_created_gmt: gmt(o.createdAt),
    date_modified_gmt: gmt(o.modifiedAt ?? o.createdAt),
    refunds: (o.refunds ?? []).map((amount, i) => ({ id: 9000 + i, reason: '', total: `-${amount.toFixed(2)}` })),
  };
}

/** Runs an order delivery through the queue side of the WooCommerce webhook (a repeat delivery id is a redelivery). */
export async function deliverOrder(storeId: string, deliveryId: string, o: OrderShape, topic = 'order.updated'): Promise<void> {
  const body = { inline: JSON.stringify(orderBody(o)) };
  await processWooMessage(env, { kind: 'woo', storeId, deliveryId, topic, receivedAt: o.modifiedAt ?? o.createdAt, body });
}

export type StatsRow = Record<string, number | string>;

/** The rollup rows of a flow, summed per step ('' = the enrollments' own counts). */
export async function rollupByStep(storeId: string, flowId: string): Promise<Record<string, StatsRow>> {
  const { results } = await env.DB.prepare(
    `select step_id, sum(entered) entered, sum(exited) exited, sum(completed) completed, sum(goal_reached) goal_reached, sum(sent) sent,
      sum(delivered) delivered, sum(opened_human) opened_human, sum(opened_machine) opened_machine, sum(clicked) clicked,
      sum(clicked_filtered) clicked_filtered, sum(converted) converted, round(sum(revenue), 2) revenue, sum(unsubscribed) unsubscribed,
      sum(complained) complained, sum(bounced) bounced
     from flow_stats_daily where store_id = ? and flow_id = ? group by step_id`,
  )
    .bind(storeId, flowId)
    .all<StatsRow & { step_id: string }>();
  return Object.fromEntries(results.map(({ step_id, ...rest }) => [step_id, rest]));
}

export const WELCOME_T = Date.parse('2026-11-03T09:00:00Z');

export async function click(storeId: string, contactId: string, sendId: string, at: number) {
  const body = variant(postmark.click, { storeId, contactId, sendId }, { MessageID: `pm-${sendId}`, ReceivedAt: new Date(at).toISOString(), UserAgent: HUMAN_AGENT });
  expect((await postWebhook(storeId, body, { 'X-PM-Webhook-Trace-Id': `${sendId}:${at}` })).status).toBe(200);
}

/** Two contacts through the welcome preset: v1 and v2, three sends over two days, one credited order, one exit. */
export async function seedWelcome(s: string) {
  await seedPostmarkStore(s);
  const [a, b] = [await seedContact(s, `a@${s}.example.com`), await seedContact(s, `b@${s}.example.com`)];
  await enroll(s, a, 'enr_a', 'welcome', 1, WELCOME_T);
  await enroll(s, b, 'enr_b', 'welcome', 2, WELCOME_T + 24 * HOUR);
  await sendFlowMessage(s, a, { id: `${s}-1`, flowId: 'welcome', stepId: 'email_1', enrollmentId: 'enr_a', sentAt: WELCOME_T });
  await sendFlowMessage(s, a, { id: `${s}-2`, flowId: 'welcome', stepId: 'email_2', enrollmentId: 'enr_a', sentAt: WELCOME_T + HOUR });
  await sendFlowMessage(s, b, { id: `${s}-3`, flowId: 'welcome', stepId: 'email_1', enrollmentId: 'enr_b', sentAt: WELCOME_T + 24 * HOUR });
  await click(s, a, `${s}-2`, WELCOME_T + 2 * HOUR);
  await deliverOrder(s, `${s}-order`, { id: 900, email: `a@${s}.example.com`, createdAt: WELCOME_T + 3 * HOUR, total: 64.5 }, 'order.created');
  const at = WELCOME_T + 25 * HOUR;
  await recordJourneyLog(db(env.DB), { storeId: s, contactId: b, flowId: 'welcome', flowVersion: 2, enrollmentId: 'enr_b', what: 'exited', reason: 'ordered', at }, at);
  return { a, b };
}

