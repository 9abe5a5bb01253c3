import { and, eq, getTableColumns, getTableName, inArray, is, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { SQLiteTable, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Db } from '../client';
import * as schema from '../schema';
import { erasureLog, erasureSuppressions, events, orderItems, orders, stores, visitors } from '../schema';
import { writeTombstone, type Tombstone } from './tombstones';

/**
 * Tables that hold configuration or aggregates, never a person: not searched for an erased
 * address. Every other table is either keyed by contact_id (exported and erased by it) or swept
 * for the address. privacy.test.ts fails when a new table is in none of these groups.
 */
export const NOT_PERSONAL = new Set([
  'stores',
  'store_settings',
  'privacy_settings',
  'erasure_suppressions',
  'erasure_log',
  'flows',
  'flow_versions',
  'reputation_settings',
  'reputation_state',
  'reputation_history',
  'guardrail_settings',
  'admin_sessions',
  // The catalogue and its import runs, and the hashes of one-time WooCommerce app-authorization values.
  'product_categories',
  'catalog_runs',
  'catalog_run_tasks',
  'wc_auth_requests',
  // The owner's wording of flow messages: store configuration, not a person.
  'message_versions',
  // Flow results: counts, transition marks, credited orders (by order id) and attribution windows.
  'flow_stats_daily',
  'flow_exits_daily',
  'rollup_marks',
  'order_credits',
  'attribution_settings',
  // Segment definitions and each store's scoring settings; memberships and scores are keyed by contact_id.
  'segments',
  'segment_runs',
  // Per-store per-day counts of refused webhook signatures: no person in them.
  'webhook_rejections',
  // Segment sizes per day, each store's fitted model and best hour, products' learned re-buy intervals: no person.
  'segment_daily_counts',
  'store_predictions',
  'product_intervals',
  // Recommendation aggregates: order ids and product ids only, no contact.
  'rec_baskets', 'rec_item_counts', 'rec_pair_counts', 'rec_top_lists',
  // On-site widget definitions and their counters; who signed up through one is keyed by contact_id.
  'widgets',
  'widget_results',
  // Guardrails scoped to a segment: store configuration, no person (membership is keyed by contact_id).
  'segment_guardrails',
]);

/** Tables without contact_id that may still carry an address in raw form: searched on erasure. */
export const SWEPT = new Set(['webhook_deliveries', 'ingest_payloads', 'ingest_failures', 'products', 'order_items', 'coupons']);

type Columns = Record<string, SQLiteColumn>;
export type SchemaTable = { name: string; table: SQLiteTable; columns: Columns };

export function schemaTables(): SchemaTable[] {
  return (Object.values(schema) as unknown[])
    .filter((v): v is SQLiteTable => is(v, SQLiteTable))
    .map((table) => ({ name: getTableName(table), table, columns: getTableColumns(table) as Columns }));
}

/** Every table with a contact_id (and store_id) column: what a contact's export and erasure cover. */
export function contactTables(): SchemaTable[] {
  return schemaTables().filter((t) => t.columns.contactId?.name === 'contact_id' && t.columns.storeId?.name === 'store_id');
}

type Key = { storeId: string; contactId: string; visitorIds: string[] };

function ownRows(t: SchemaTable, k: Key): SQL {
  const cols = t.columns;
  const mine = eq(cols.contactId!, k.contactId);
  // Anonymous history of the contact's devices (before they identified) belongs to them too.
  const anonymous = cols.visitorId && k.visitorIds.length > 0 ? and(isNull(cols.contactId!), inArray(cols.visitorId, k.visitorIds)) : undefined;
  return and(eq(cols.storeId!, k.storeId), anonymous ? or(mine, anonymous) : mine)!;
}

export async function contactVisitors(d: Db, storeId: string, contactId: string): Promise<string[]> {
  const rows = await d.select({ id: visitors.visitorId }).from(visitors).where(and(eq(visitors.storeId, storeId), eq(visitors.contactId, contactId))).all();
  return rows.map((r) => r.id);
}

export async function orderIdsOf(d: Db, storeId: string, contactId: string): Promise<number[]> {
  const rows = await d.select({ id: orders.id }).from(orders).where(and(eq(orders.storeId, storeId), eq(orders.contactId, contactId))).all();
  return rows.map((r) => r.id);
}

/** Everything held about one contact, table by table (D1 only; the ContactAgent mirrors what D1 has). */
export async function exportContactRows(d: Db, storeId: string, contactId: string): Promise<Record<string, unknown[]>> {
  const k = { storeId, contactId, visitorIds: await contactVisitors(d, storeId, contactId) };
  const out: Record<string, unknown[]> = {};
  for (const t of contactTables()) {
    out[t.name] = await d.select().from(t.table).where(ownRows(t, k)).all();
  }
  const orderIds = await orderIdsOf(d, storeId, contactId);
  out.order_items = orderIds.length ? await d.select().from(orderItems).where(and(eq(orderItems.storeId, storeId), inArray(orderItems.orderId, orderIds))).all() : [];
  return out;
}

/**
 * Deletes every row keyed by the contact (and their devices' anonymous history, their order lines
 * and the contact row itself), writes the suppression hashes and the audit entry, all in one batch:
 * either the whole erasure happens or none of it. Returns rows removed per table.
 */
export async function eraseContactRows(
  d: Db,
  k: { storeId: string; contactId: string },
  suppress: Tombstone[],
  audit: { requestedBy: string; now: number; swept: Record<string, number> },
): Promise<Record<string, number>> {
  const key = { ...k, visitorIds: await contactVisitors(d, k.storeId, k.contactId) };
  const orderIds = await orderIdsOf(d, k.storeId, k.contactId);
  const tables = contactTables().filter((t) => t.name !== 'contacts');
  const counts: Record<string, number> = {};
  for (const t of tables) {
    const [row] = await d.select({ n: sql<number>`count(*)` }).from(t.table).where(ownRows(t, key)).all();
    counts[t.name] = row?.n ?? 0;
  }
  counts.order_items = orderIds.length;
  counts.contacts = 1;
  for (const [table, n] of Object.entries(audit.swept)) counts[table] = (counts[table] ?? 0) + n;
  const writes = [
    ...tables.map((t) => d.delete(t.table).where(ownRows(t, key))),
    d.delete(orderItems).where(and(eq(orderItems.storeId, k.storeId), inArray(orderItems.orderId, orderIds.length ? orderIds : [-1]))),
    d.delete(schema.contacts).where(and(eq(schema.contacts.storeId, k.storeId), eq(schema.contacts.id, k.contactId))),
    ...suppress.map((s) => writeTombstone(d, k.storeId, s, audit.now)),
    d.insert(erasureLog).values({ storeId: k.storeId, subjectId: k.contactId, requestedBy: audit.requestedBy, removed: counts, erasedAt: audit.now }),
  ] as const;
  await d.batch(writes as unknown as Parameters<typeof d.batch>[0]);
  return counts;
}

/** Another contact's rows stay theirs even when they mention this address (a shared family phone). */
function notOthers(t: SchemaTable, contactId: string): SQL | undefined {
  const col = t.columns.contactId;
  return col ? or(isNull(col), eq(col, contactId)) : undefined;
}

/**
 * Rows of other tables that still spell out the address in some text column (a raw webhook
 * payload, a provider event not linked to the contact): deleted by rowid after an exact check,
 * because LIKE alone would also match a longer address that contains this one. The contact row
 * itself is left to the erasure batch, so a failure before it leaves a request that can be repeated.
 */
export async function sweepAddress(d: Db, k: { storeId: string; contactId: string }, needles: RegExp[], likes: string[]): Promise<Record<string, number>> {
  const storeId = k.storeId;
  const swept: Record<string, number> = {};
  for (const t of schemaTables()) {
    if (NOT_PERSONAL.has(t.name) || t.name === 'contacts' || !t.columns.storeId) continue;
    const texts = Object.values(t.columns).filter((c) => c.getSQLType() === 'text');
    if (texts.length === 0 || likes.length === 0) continue;
    const match = or(...texts.flatMap((c) => likes.map((l) => sql`${c} LIKE ${`%${l}%`}`)))!;
    const rows = await d
      .select({ rowid: sql<number>`rowid`, blob: sql<string>`${sql.join(texts.map((c) => sql`coalesce(${c}, '')`), sql` || char(31) || `)}` })
      .from(t.table)
      .where(and(eq(t.columns.storeId, storeId), notOthers(t, k.contactId), match))
      .all();
    const hits = rows.filter((r) => needles.some((n) => n.test(r.blob))).map((r) => r.rowid);
    if (hits.length === 0) continue;
    await d.delete(t.table).where(and(eq(t.columns.storeId, storeId), inArray(sql`rowid`, hits)));
    swept[t.name] = hits.length;
  }
  return swept;
}

export async function isErased(d: Db, storeId: string, hash: string): Promise<boolean> {
  const row = await d.select({ one: sql`1` }).from(erasureSuppressions).where(and(eq(erasureSuppressions.storeId, storeId), eq(erasureSuppressions.hash, hash))).get();
  return row !== undefined;
}

export async function listErasures(d: Db, storeId: string, limit = 50) {
  return d.select().from(erasureLog).where(eq(erasureLog.storeId, storeId)).orderBy(sql`${erasureLog.erasedAt} desc`).limit(limit).all();
}

export async function listStoreIds(d: Db): Promise<string[]> {
  return (await d.select({ id: stores.id }).from(stores).all()).map((r) => r.id);
}

/** Deletes up to `limit` storefront events older than `before`; returns how many went. */
export async function purgeBehaviouralEvents(d: Db, storeId: string, before: number, limit: number): Promise<number> {
  const batch = d
    .select({ id: events.id })
    .from(events)
    .where(and(eq(events.storeId, storeId), inArray(events.source, ['browser', 'server']), lt(events.occurredAt, before)))
    .limit(limit);
  const gone = await d.delete(events).where(inArray(events.id, batch)).returning({ id: events.id });
  return gone.length;
}
