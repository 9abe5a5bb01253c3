import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { attributionSettings, flowStatsDaily, orderCredits } from '../schema';
import { addToStats } from './flow-rollups';

export type OrderCredit = typeof orderCredits.$inferSelect;
export type AttributionWindows = Pick<typeof attributionSettings.$inferSelect, 'emailClickHours' | 'emailOpenHours' | 'smsClickHours'>;

/** Klaviyo's defaults for clicks; opens count a day only (an open is weak evidence, and MPP inflates them). */
export const DEFAULT_WINDOWS: AttributionWindows = { emailClickHours: 120, emailOpenHours: 24, smsClickHours: 24 };

export async function findAttributionWindows(d: Db, storeId: string): Promise<AttributionWindows> {
  const row = await d.select().from(attributionSettings).where(eq(attributionSettings.storeId, storeId)).get();
  return row ? { emailClickHours: row.emailClickHours, emailOpenHours: row.emailOpenHours, smsClickHours: row.smsClickHours } : DEFAULT_WINDOWS;
}

export async function saveAttributionWindows(d: Db, storeId: string, patch: Partial<AttributionWindows>, now: number): Promise<AttributionWindows> {
  const next = { ...(await findAttributionWindows(d, storeId)), ...patch };
  await d
    .insert(attributionSettings)
    .values({ storeId, ...next, updatedAt: now })
    .onConflictDoUpdate({ target: attributionSettings.storeId, set: { ...next, updatedAt: now } });
  return next;
}

export async function findOrderCredit(d: Db, storeId: string, orderId: number): Promise<OrderCredit | undefined> {
  return d.select().from(orderCredits).where(and(eq(orderCredits.storeId, storeId), eq(orderCredits.orderId, orderId))).get();
}

/** The flow, version and step behind a flow message (the version is its enrollment's). */
export async function messageFlowRef(
  d: Db,
  storeId: string,
  messageId: string,
): Promise<{ flowId: string; flowVersion: number; stepId: string } | undefined> {
  const row = await d.get<{ flow_id: string; flow_version: number; step_id: string } | undefined>(sql`select m.flow_id, coalesce(e.flow_version, 0) as flow_version,
      coalesce(m.step_id, '') as step_id
    from messages m left join journey_enrollments e on e.store_id = m.store_id and e.id = m.enrollment_id
    where m.store_id = ${storeId} and m.id = ${messageId} and m.flow_id is not null`);
  return row ? { flowId: row.flow_id, flowVersion: row.flow_version, stepId: row.step_id } : undefined;
}

/**
 * Credits an order to one message: the step's row gains a conversion and the revenue, and the credit is
 * written, in one transaction; an order already credited (to this or any message) changes nothing.
 */
export async function creditOrder(d: Db, credit: OrderCredit): Promise<void> {
  const c = credit;
  const uncredited = sql`not exists (select 1 from order_credits where store_id = ${c.storeId} and order_id = ${c.orderId})`;
  const key = sql`${c.storeId}, ${c.flowId}, ${c.flowVersion}, ${c.stepId}, ${c.day}`;
  await d.batch([addToStats(d, key, { converted: 1, revenue: c.revenue }, sql`where ${uncredited}`), d.insert(orderCredits).values(c).onConflictDoNothing()]);
}

/**
 * Sets a credited order's revenue to what it is now worth (after a refund or cancellation): the step's row
 * moves by the difference, on the day the order was counted. Running it again moves nothing.
 */
export async function adjustCreditedRevenue(d: Db, storeId: string, orderId: number, revenue: number, now: number): Promise<void> {
  const credit = sql`(select * from order_credits where store_id = ${storeId} and order_id = ${orderId})`;
  const s = flowStatsDaily;
  await d.batch([
    d
      .update(s)
      .set({ revenue: sql`${s.revenue} + (${revenue} - (select revenue from ${credit}))` })
      .where(sql`(${s.storeId}, ${s.flowId}, ${s.day}, ${s.flowVersion}, ${s.stepId}) = (select store_id, flow_id, day, flow_version, step_id from ${credit})`),
    d
      .update(orderCredits)
      .set({ revenue, updatedAt: now })
      .where(and(eq(orderCredits.storeId, storeId), eq(orderCredits.orderId, orderId))),
  ]);
}
