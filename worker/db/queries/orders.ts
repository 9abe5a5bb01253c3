import { and, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Db } from '../client';
import { orderItems, orders } from '../schema';

export type Order = typeof orders.$inferSelect;
export type NewOrder = typeof orders.$inferInsert;
export type OrderItem = typeof orderItems.$inferSelect;
export type NewOrderItem = typeof orderItems.$inferInsert;

/** The incoming value of a column inside ON CONFLICT DO UPDATE. */
export function excluded(column: SQLiteColumn): SQL {
  return sql.raw(`excluded."${column.name}"`);
}

/** A time that, once set, keeps its first value for as long as the incoming version still sets it. */
function keepFirst(column: SQLiteColumn): SQL {
  return sql`case when ${excluded(column)} is null then null else coalesce(${column}, ${excluded(column)}) end`;
}

/**
 * Stores this version of an order and its lines unless a newer version (by WooCommerce's date_modified_gmt) is
 * already stored. An equal version is written again with the same values, so a replay changes nothing.
 * One batch is one transaction: the lines follow the order row or nothing is written.
 * Returns false when the version was stale.
 */
export async function upsertOrderVersion(d: Db, order: NewOrder, items: NewOrderItem[]): Promise<boolean> {
  const { storeId, id, sourceModifiedAt } = order;
  const atThisVersion = sql`exists (select 1 from ${orders} where ${orders.storeId} = ${storeId}
    and ${orders.id} = ${id} and ${orders.sourceModifiedAt} = ${sourceModifiedAt})`;
  const upsert = d
    .insert(orders)
    .values(order)
    .onConflictDoUpdate({
      target: [orders.storeId, orders.id],
      set: {
        number: excluded(orders.number),
        contactId: sql`coalesce(${excluded(orders.contactId)}, ${orders.contactId})`,
        wooCustomerId: excluded(orders.wooCustomerId),
        status: excluded(orders.status),
        currency: excluded(orders.currency),
        total: excluded(orders.total),
        discountTotal: excluded(orders.discountTotal),
        refundedTotal: excluded(orders.refundedTotal),
        couponCodes: excluded(orders.couponCodes),
        attribution: excluded(orders.attribution),
        createdAt: excluded(orders.createdAt),
        paidAt: sql`coalesce(${excluded(orders.paidAt)}, ${orders.paidAt})`,
        completedAt: sql`coalesce(${excluded(orders.completedAt)}, ${orders.completedAt})`,
        refundedAt: keepFirst(orders.refundedAt),
        cancelledAt: keepFirst(orders.cancelledAt),
        deletedAt: order.deletedAt === null ? null : orders.deletedAt,
        sourceModifiedAt: excluded(orders.sourceModifiedAt),
        updatedAt: excluded(orders.updatedAt),
      },
      setWhere: sql`${excluded(orders.sourceModifiedAt)} >= ${orders.sourceModifiedAt}`,
    })
    .returning({ id: orders.id });
  const clearLines = d
    .delete(orderItems)
    .where(and(eq(orderItems.storeId, storeId), eq(orderItems.orderId, id), atThisVersion));
  const insertLines = items.map((item) =>
    d.insert(orderItems).select(
      sql`select ${item.storeId}, ${item.orderId}, ${item.lineId}, ${item.productId}, ${item.variationId ?? null},
        ${item.name}, ${item.sku ?? null}, ${item.quantity}, ${item.price}, ${item.total} where ${atThisVersion}`,
    ),
  );
  const [written] = await d.batch([upsert, clearLines, ...insertLines]);
  return written.length > 0;
}

/**
 * WooCommerce deletions carry no version and may be processed before the order itself: an unknown order gets
 * a tombstone (version 0) that any real version fills in while keeping the deletion.
 */
export async function markOrderDeleted(d: Db, storeId: string, orderId: number, at: number): Promise<void> {
  await d
    .insert(orders)
    .values({
      storeId,
      id: orderId,
      status: 'trash',
      total: 0,
      couponCodes: [],
      attribution: {},
      createdAt: at,
      deletedAt: at,
      sourceModifiedAt: 0,
      updatedAt: at,
    })
    .onConflictDoUpdate({
      target: [orders.storeId, orders.id],
      set: { deletedAt: at, updatedAt: at },
      setWhere: isNull(orders.deletedAt),
    });
}

export async function findOrder(d: Db, storeId: string, orderId: number): Promise<Order | undefined> {
  return d
    .select()
    .from(orders)
    .where(and(eq(orders.storeId, storeId), eq(orders.id, orderId)))
    .get();
}

export async function listOrderItems(d: Db, storeId: string, orderId: number): Promise<OrderItem[]> {
  return d
    .select()
    .from(orderItems)
    .where(and(eq(orderItems.storeId, storeId), eq(orderItems.orderId, orderId)))
    .orderBy(orderItems.lineId)
    .all();
}

export async function listOrdersOfContact(d: Db, storeId: string, contactId: string, limit = 50): Promise<Order[]> {
  return d
    .select()
    .from(orders)
    .where(and(eq(orders.storeId, storeId), eq(orders.contactId, contactId)))
    .orderBy(desc(orders.createdAt))
    .limit(limit)
    .all();
}
