import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { widgetResults, widgets, widgetSignups } from '../schema';

export type Widget = typeof widgets.$inferSelect;
export type NewWidget = typeof widgets.$inferInsert;
export const WIDGET_METRICS = ['view', 'close', 'submit', 'confirmed', 'click', 'order'] as const;
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

export async function bumpWidgetResult(d: Db, storeId: string, widgetId: string, metric: WidgetMetric): Promise<void> {
  await d
    .insert(widgetResults)
    .values({ storeId, widgetId, metric, count: 1 })
    .onConflictDoUpdate({ target: [widgetResults.storeId, widgetResults.widgetId, widgetResults.metric], set: { count: sql`${widgetResults.count} + 1` } });
}

/** Counters of every widget of the store: widget id → metric → count (missing = 0). */
export async function widgetResultsOf(d: Db, storeId: string): Promise<Map<string, Record<WidgetMetric, number>>> {
  const rows = await d.select().from(widgetResults).where(eq(widgetResults.storeId, storeId)).all();
  const out = new Map<string, Record<WidgetMetric, number>>();
  for (const r of rows) {
    const counts = out.get(r.widgetId) ?? { view: 0, close: 0, submit: 0, confirmed: 0, click: 0, order: 0 };
    if ((WIDGET_METRICS as readonly string[]).includes(r.metric)) counts[r.metric as WidgetMetric] = r.count;
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

/** The first order after a confirmed sign-up is credited to its widget, once. */
export async function orderWidgetSignups(d: Db, storeId: string, contactId: string, at: number): Promise<string[]> {
  const rows = await d
    .update(widgetSignups)
    .set({ orderedAt: at })
    .where(and(eq(widgetSignups.storeId, storeId), eq(widgetSignups.contactId, contactId), isNull(widgetSignups.orderedAt), sql`${widgetSignups.confirmedAt} is not null`))
    .returning()
    .all();
  return rows.map((r) => r.widgetId);
}

/** Every widget with its counters (zeros when it has none yet), and carousel clicks per recommendation kind. */
export async function widgetsWithResults(d: Db, storeId: string) {
  const results = await widgetResultsOf(d, storeId);
  const zero: Record<WidgetMetric, number> = { view: 0, close: 0, submit: 0, confirmed: 0, click: 0, order: 0 };
  const rows = (await listWidgets(d, storeId)).map((w) => ({ ...w, results: results.get(w.id) ?? zero }));
  const carousels = [...results].filter(([id]) => id.startsWith('carousel-')).map(([id, r]) => ({ id, clicks: r.click }));
  return { widgets: rows, carousels };
}
