import { env } from 'cloudflare:test';
import orderCreated from '../../../shared/fixtures/woocommerce/order.created.json';
import { db } from '../db/client';
import { recordJourneyLog } from '../db/queries/enrollments';
import { claimMessage, completeMessage } from '../db/queries/messages';
import { processWooMessage } from '../ingest/woo/woo-processor';

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
