import { and, asc, between, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { messages, widgetResults, widgets, widgetSignups } from '../schema';

export type Widget = typeof widgets.$inferSelect;
export type NewWidget = typeof widgets.$inferInsert;
/** `revenue` is kept in cents (counters are integers) and read back in the store's currency units. */
export const WIDGET_METRICS = ['view', 'close', 'submit', 'confirmed', 'click', 'order', 'revenue'] as const;
export type WidgetMetric = (typeof WIDGET_METRICS)[number];

export async function listWidgets(d: Db, storeId: string): Promise<Widget[]> {
  return d.select().from(widgets).where(eq(widgets.storeId, storeId)).orderBy(asc(widgets.createdAt)).all();
}

export async function findWidget(d: Db, storeId: string, id: string): Promise<Widget | undefined> {
  return d.select().from(widgets).where(and(eq(widgets.storeId, storeId), eq(widgets.id, id))).get();
}

export async function saveWidget(d: Db, row: NewWidget): Promise<Widget> {
  const saved = await d
    .insert(widgets)
    .values(row)
    .onConflictDoUpdate({ target: [widgets.storeId, widgets.id], set: { kind: row.kind, enabled: row.enabled, config: row.config, updatedAt: row.updatedAt } })
    .returning()
    .get();
  return saved;
}

export async function deleteWidget(d: Db, storeId: string, id: string): Promise<boolean> {
  const gone = await d.delete(widgets).where(and(eq(widgets.storeId, storeId), eq(widgets.id, id))).returning().get();
  return Boolean(gone);
}

export async function bumpWidgetResult(d: Db, storeId: string, widgetId: string, metric: WidgetMetric, by = 1): Promise<void> {
  await d
    .insert(widgetResults)
    .values({ storeId, widgetId, metric, count: by })
    .onConflictDoUpdate({ target: [widgetResults.storeId, widgetResults.widgetId, widgetResults.metric], set: { count: sql`${widgetResults.count} + ${by}` } });
}

const ZERO: Record<WidgetMetric, number> = { view: 0, close: 0, submit: 0, confirmed: 0, click: 0, order: 0, revenue: 0 };

/** Counters of every widget of the store: widget id → metric → count (missing = 0). */
export async function widgetResultsOf(d: Db, storeId: string): Promise<Map<string, Record<WidgetMetric, number>>> {
  const rows = await d.select().from(widgetResults).where(eq(widgetResults.storeId, storeId)).all();
  const out = new Map<string, Record<WidgetMetric, number>>();
  for (const r of rows) {
    const counts = out.get(r.widgetId) ?? { ...ZERO };
    if ((WIDGET_METRICS as readonly string[]).includes(r.metric)) counts[r.metric as WidgetMetric] = r.metric === 'revenue' ? r.count / 100 : r.count;
    out.set(r.widgetId, counts);
  }
  return out;
}

/** Remembers which widget a contact signed up through (first submit wins). */
export async function recordWidgetSignup(d: Db, storeId: string, widgetId: string, contactId: string, at: number): Promise<void> {
  await d.insert(widgetSignups).values({ storeId, widgetId, contactId, submittedAt: at }).onConflictDoNothing();
}

/** Marks the contact's sign-ups confirmed, once; returns the widgets credited now. */
export async function confirmWidgetSignups(d: Db, storeId: string, contactId: string, at: number): Promise<string[]> {
  const rows = await d
    .update(widgetSignups)
    .set({ confirmedAt: at })
    .where(and(eq(widgetSignups.storeId, storeId), eq(widgetSignups.contactId, contactId), isNull(widgetSignups.confirmedAt)))
    .returning()
    .all();
  return rows.map((r) => r.widgetId);
}

/** The widgets whose sign-up this contact confirmed between `from` and `to` (an order's attribution window). */
export async function widgetsConfirmedBetween(d: Db, storeId: string, contactId: string, from: number, to: number): Promise<string[]> {
  const rows = await d
    .select({ widgetId: widgetSignups.widgetId })
    .from(widgetSignups)
    .where(and(eq(widgetSignups.storeId, storeId), eq(widgetSignups.contactId, contactId), between(widgetSignups.confirmedAt, from, to)))
    .all();
  return rows.map((r) => r.widgetId);
}

/** Remembers the contact's first order after a sign-up (kept once; later orders still count in the results). */
export async function markWidgetSignupsOrdered(d: Db, storeId: string, contactId: string, widgetIds: string[], at: number): Promise<void> {
  for (const widgetId of widgetIds)
    await d
      .update(widgetSignups)
      .set({ orderedAt: at })
      .where(and(eq(widgetSignups.storeId, storeId), eq(widgetSignups.contactId, contactId), eq(widgetSignups.widgetId, widgetId), isNull(widgetSignups.orderedAt)));
}

/** Every widget with its counters (zeros when it has none yet), and carousel clicks per recommendation kind. */
export async function widgetsWithResults(d: Db, storeId: string) {
  const results = await widgetResultsOf(d, storeId);
  const rows = (await listWidgets(d, storeId)).map((w) => ({ ...w, results: results.get(w.id) ?? { ...ZERO } }));
  const carousels = [...results].filter(([id]) => id.startsWith('carousel-')).map(([id, r]) => ({ id, clicks: r.click }));
  return { widgets: rows, carousels };
}

/** Has this contact confirmed (double opt-in) a sign-up made through this widget? */
export async function isWidgetSignupConfirmed(d: Db, storeId: string, widgetId: string, contactId: string): Promise<boolean> {
  const row = await d
    .select({ confirmedAt: widgetSignups.confirmedAt })
    .from(widgetSignups)
    .where(and(eq(widgetSignups.storeId, storeId), eq(widgetSignups.widgetId, widgetId), eq(widgetSignups.contactId, contactId)))
    .get();
  return row?.confirmedAt != null;
}

/**
 * Confirmed sign-ups since `since`, through a widget with an incentive, whose coupon email has not been recorded:
 * WooCommerce was unreachable at the confirmation (or the worker stopped in between). Oldest first, at most `limit`.
 */
export async function signupsAwaitingCoupon(d: Db, since: number, limit: number): Promise<{ storeId: string; widgetId: string; contactId: string }[]> {
  return d
    .select({ storeId: widgetSignups.storeId, widgetId: widgetSignups.widgetId, contactId: widgetSignups.contactId })
    .from(widgetSignups)
    .innerJoin(widgets, and(eq(widgets.storeId, widgetSignups.storeId), eq(widgets.id, widgetSignups.widgetId)))
    .where(
      and(
        sql`${widgetSignups.confirmedAt} >= ${since}`,
        sql`json_extract(${widgets.config}, '$.incentive') is not null`,
        sql`not exists (select 1 from ${messages} where ${messages.storeId} = ${widgetSignups.storeId} and ${messages.idempotencyKey} = 'signup-coupon:widget:' || ${widgetSignups.widgetId} || ':' || ${widgetSignups.contactId})`,
      ),
    )
    .orderBy(asc(widgetSignups.confirmedAt))
    .limit(limit)
    .all();
}
