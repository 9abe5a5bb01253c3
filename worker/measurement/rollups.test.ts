import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../db/client';
import { recordJourneyLog, type JourneyLogEntry } from '../db/queries/enrollments';
import { completeMessage } from '../db/queries/messages';
import { postmark, postWebhook, seedContact, seedPostmarkStore, variant } from '../test/postmark-fixtures';
import { deliverOrder, enroll, HOUR, HUMAN_AGENT, rollupByStep, sendFlowMessage, type StatsRow } from '../test/measurement-fixtures';
import { creditedRevenue } from './attribution';
import { isHumanClick, isHumanOpen } from './classify';

const S = 'rollup-mixed';
const FLOW = 'welcome';
const T = Date.parse('2026-11-10T08:00:00Z');
const SCANNER = 'Mozilla/5.0 (compatible; Barracuda Sentinel link scanner)';

type Raw = Record<string, unknown>;

async function rows(query: string): Promise<Raw[]> {
  return (await env.DB.prepare(query).bind(S).all<Raw>()).results;
}

/** Counts every figure again from the raw tables (messages, provider events, enrollments, orders). */
async function recount(): Promise<Record<string, StatsRow>> {
  const out: Record<string, StatsRow> = {};
  const add = (step: string, field: string, by = 1) => {
    const row = (out[step] ??= {});
    row[field] = Math.round(((Number(row[field] ?? 0) + by) * 100)) / 100;
  };
  for (const m of await rows(`select step_id from messages where store_id = ? and flow_id is not null and status in ('sent', 'outbox')`)) add(String(m.step_id), 'sent');
  const events = await rows(`select distinct p.kind, p.message_id, p.occurred_at, p.details, m.step_id, m.sent_at from provider_events p
    join messages m on m.store_id = p.store_id and m.id = p.message_id where p.store_id = ?`);
  const seen = new Set<string>();
  const once = (step: string, field: string, messageId: unknown) => {
    if (seen.has(`${field}:${String(messageId)}`)) return;
    seen.add(`${field}:${String(messageId)}`);
    add(step, field);
  };
  const simple: Record<string, string> = { delivery: 'delivered', hard_bounce: 'bounced', soft_bounce: 'bounced', complaint: 'complained', unsubscribe: 'unsubscribed' };
  for (const e of events) {
    const step = String(e.step_id);
    const facts = { userAgent: (JSON.parse(String(e.details)) as { UserAgent?: string }).UserAgent, at: Number(e.occurred_at), sentAt: Number(e.sent_at) };
    if (e.kind === 'open') once(step, isHumanOpen(facts) ? 'opened_human' : 'opened_machine', e.message_id);
    else if (e.kind === 'click') once(step, isHumanClick(facts) ? 'clicked' : 'clicked_filtered', e.message_id);
    else if (simple[String(e.kind)]) once(step, simple[String(e.kind)]!, e.message_id);
  }
  for (const e of await rows(`select status, converted from journey_enrollments where store_id = ?`)) {
    add('', 'entered');
    if (e.status === 'exited') add('', 'exited');
    if (e.status === 'completed') add('', 'completed');
    if (e.converted) add('', 'goal_reached');
  }
  const credited = await rows(`select c.step_id, o.status, o.total, o.refunded_total, o.deleted_at from order_credits c
    join orders o on o.store_id = c.store_id and o.id = c.order_id where c.store_id = ?`);
  for (const o of credited) {
    add(String(o.step_id), 'converted');
    add(String(o.step_id), 'revenue', creditedRevenue({ status: String(o.status), total: Number(o.total), refundedTotal: Number(o.refunded_total), deletedAt: o.deleted_at === null ? null : Number(o.deleted_at) }));
  }
  return out;
}

function nonZero(table: Record<string, StatsRow>): Record<string, StatsRow> {
  return Object.fromEntries(Object.entries(table).map(([step, row]) => [step, Object.fromEntries(Object.entries(row).filter(([, v]) => Number(v) !== 0))]));
}

async function event(base: Record<string, unknown>, contactId: string, sendId: string, trace: string, fields: Record<string, unknown> = {}) {
  const body = variant(base, { storeId: S, contactId, sendId }, { MessageID: `pm-${sendId}`, ...fields });
  expect((await postWebhook(S, body, { 'X-PM-Webhook-Trace-Id': trace })).status).toBe(200);
}

const at = (ms: number) => new Date(ms).toISOString();

describe('flow rollups', () => {
  it('equal a recount from the raw tables after a mixed sequence with redelivered webhooks and log entries', async () => {
    await seedPostmarkStore(S);
    const d = db(env.DB);
    const [c1, c2, c3] = [await seedContact(S, 'ana@ex.com'), await seedContact(S, 'bo@ex.com'), await seedContact(S, 'cy@ex.com')];
    for (const [c, v] of [[c1, 1], [c2, 1], [c3, 2]] as const) {
      await enroll(S, c, `enr_${c}`, FLOW, v, T);
      await enroll(S, c, `enr_${c}`, FLOW, v, T);
    }
    const log = (c: string, what: JourneyLogEntry['what'], reason?: string) =>
      recordJourneyLog(d, { storeId: S, contactId: c, flowId: FLOW, flowVersion: c === c3 ? 2 : 1, enrollmentId: `enr_${c}`, what, reason, at: T + 9 * HOUR }, T + 9 * HOUR);
    const sends: [string, string, string][] = [['m1', c1, 'email_1'], ['m2', c2, 'email_1'], ['m3', c3, 'email_1'], ['m4', c1, 'email_2']];
    for (const [id, c, step] of sends) await sendFlowMessage(S, c, { id, flowId: FLOW, stepId: step, enrollmentId: `enr_${c}`, sentAt: T + HOUR });
    await completeMessage(d, S, 'm1', { status: 'sent', providerMessageId: 'pm-m1', sentAt: T + HOUR });

    await event(postmark.delivery, c1, 'm1', 't1', { DeliveredAt: at(T + HOUR + 1000) });
    await event(postmark.delivery, c1, 'm1', 't1', { DeliveredAt: at(T + HOUR + 1000) });
    await event(postmark.delivery, c1, 'm1', 't1-retried-with-new-trace', { DeliveredAt: at(T + HOUR + 1000) });
    await event(postmark.delivery, c2, 'm2', 't2', { DeliveredAt: at(T + HOUR + 1000) });
    await event(postmark.delivery, c3, 'm3', 't3', { DeliveredAt: at(T + HOUR + 1000) });
    await event(postmark.open, c1, 'm1', 'o1', { ReceivedAt: at(T + 2 * HOUR), UserAgent: HUMAN_AGENT });
    await event(postmark.open, c1, 'm1', 'o1', { ReceivedAt: at(T + 2 * HOUR), UserAgent: HUMAN_AGENT });
    await event(postmark.open, c1, 'm1', 'o1b', { ReceivedAt: at(T + 3 * HOUR), UserAgent: HUMAN_AGENT });
    await event(postmark.open, c2, 'm2', 'o2', { ReceivedAt: at(T + 2 * HOUR), UserAgent: 'Mozilla/5.0' });
    await event(postmark.open, c3, 'm3', 'o3', { ReceivedAt: at(T + HOUR + 2000), UserAgent: HUMAN_AGENT });
    await event(postmark.click, c1, 'm1', 'k1', { ReceivedAt: at(T + 2 * HOUR), UserAgent: HUMAN_AGENT });
    await event(postmark.click, c1, 'm1', 'k1b', { ReceivedAt: at(T + 2 * HOUR + 5000), UserAgent: HUMAN_AGENT, OriginalLink: 'https://shop.example.com/other' });
    await event(postmark.click, c2, 'm2', 'k2', { ReceivedAt: at(T + 2 * HOUR), UserAgent: SCANNER });
    await event(postmark.bounce, c1, 'm4', 'b4', { BouncedAt: at(T + HOUR + 3000), Email: 'ana@ex.com' });
    await event(postmark.spamComplaint, c3, 'm3', 'x3', { BouncedAt: at(T + 4 * HOUR), Email: 'cy@ex.com' });
    await event(postmark.subscriptionChange, c2, 'm2', 'u2', { ChangedAt: at(T + 4 * HOUR), Recipient: 'bo@ex.com' });
    await event(postmark.subscriptionChange, c2, 'm2', 'u2', { ChangedAt: at(T + 4 * HOUR), Recipient: 'bo@ex.com' });

    await deliverOrder(S, 'o-created', { id: 501, email: 'ana@ex.com', createdAt: T + 5 * HOUR, total: 120 }, 'order.created');
    await deliverOrder(S, 'o-created', { id: 501, email: 'ana@ex.com', createdAt: T + 5 * HOUR, total: 120 }, 'order.created');
    await deliverOrder(S, 'o-refund', { id: 501, email: 'ana@ex.com', createdAt: T + 5 * HOUR, total: 120, refunds: [20], modifiedAt: T + 6 * HOUR });
    await log(c1, 'completed');
    await log(c2, 'exited', 'unsubscribed');
    await log(c2, 'exited', 'unsubscribed');
    await log(c3, 'converted');

    const rolled = nonZero(await rollupByStep(S, FLOW));
    expect(rolled).toEqual(await recount());
    expect(rolled).toEqual({
      '': { entered: 3, exited: 1, completed: 1, goal_reached: 1 },
      email_1: { sent: 3, delivered: 3, opened_human: 1, opened_machine: 2, clicked: 1, clicked_filtered: 1, converted: 1, revenue: 100, unsubscribed: 1, complained: 1 },
      email_2: { sent: 1, bounced: 1 },
    });
    const exits = await env.DB.prepare('select flow_version, reason, count from flow_exits_daily where store_id = ?').bind(S).all();
    expect(exits.results).toEqual([{ flow_version: 1, reason: 'unsubscribed', count: 1 }]);
  });
});
