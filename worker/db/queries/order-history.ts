import { and, eq, isNotNull, isNull, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { Db } from '../client';
import { jsonList, prepared } from '../prepared';
import { orderItems, orders, products } from '../schema';

export type PaidOrder = { id: number; total: number; refundedTotal: number; createdAt: number; paidAt: number };
export type ProductFacts = typeof products.$inferSelect;

/** Orders of the contact that count as purchases: paid, neither cancelled nor deleted. */
export function standingPaidOrders(storeId: string | Placeholder, contactId: string | Placeholder): SQL {
  return and(eq(orders.storeId, storeId), eq(orders.contactId, contactId), isNotNull(orders.paidAt), isNull(orders.cancelledAt), isNull(orders.deletedAt)) as SQL;
}

type StandingOrderRow = Omit<PaidOrder, 'paidAt'> & { paidAt: number | null; status: string };

/** A standing order's row as a purchase, or nothing: a fully refunded order no longer counts. */
export function paidOrderOf({ status, paidAt, ...order }: StandingOrderRow): PaidOrder[] {
  return status === 'refunded' || paidAt === null ? [] : [{ ...order, paidAt }];
}

/** A contact's paid orders that still stand (not cancelled, fully refunded or deleted), oldest first. */
export async function paidOrdersOfContact(d: Db, storeId: string, contactId: string): Promise<PaidOrder[]> {
  const rows = await d
    .select({
      id: orders.id,
      total: orders.total,
      refundedTotal: orders.refundedTotal,
      createdAt: orders.createdAt,
      paidAt: orders.paidAt,
      status: orders.status,
    })
    .from(orders)
    .where(standingPaidOrders(storeId, contactId))
    .orderBy(orders.createdAt)
    .all();
  return rows.flatMap(paidOrderOf);
}

/** Distinct products of the contact's paid orders (cancelled and deleted orders left out). */
const purchasedQuery = prepared((d) =>
  d
    .selectDistinct({ productId: orderItems.productId })
    .from(orderItems)
    .innerJoin(orders, and(eq(orders.storeId, orderItems.storeId), eq(orders.id, orderItems.orderId)))
    .where(and(eq(orderItems.storeId, sql.placeholder('storeId')), standingPaidOrders(sql.placeholder('storeId'), sql.placeholder('contactId'))))
    .prepare(),
);

export async function purchasedProductIds(d: Db, storeId: string, contactId: string): Promise<number[]> {
  const rows = await purchasedQuery(d).all({ storeId, contactId });
  return rows.map((r) => r.productId).sort((a, b) => a - b);
}

const productsQuery = prepared((d) =>
  d
    .select()
    .from(products)
    .where(and(eq(products.storeId, sql.placeholder('storeId')), sql`${products.id} IN (SELECT value FROM json_each(${sql.placeholder('ids')}))`))
    .prepare(),
);

export async function findProducts(d: Db, storeId: string, ids: number[]): Promise<ProductFacts[]> {
  if (ids.length === 0) return [];
  return productsQuery(d).all({ storeId, ids: jsonList([...new Set(ids)].slice(0, 90)) });
}
