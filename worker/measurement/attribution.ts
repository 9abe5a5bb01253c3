import type { Db } from '../db/client';
import {
  adjustCreditedRevenue,
  creditOrder,
  findAttributionWindows,
  findOrderCredit,
  messageFlowRef,
  type AttributionWindows,
} from '../db/queries/attribution';
import { recentTouches, type TouchRow } from '../db/queries/flow-rollups';
import { findOrder, type Order } from '../db/queries/orders';
import type { TouchKind } from '../db/schema';

const HOUR = 3_600_000;
/** WooCommerce's order dates carry whole seconds (`2026-12-02T16:05:01`), ours milliseconds. */
const ORDER_DATE_PRECISION_MS = 1000;
/** Orders that were never placed, or are worth nothing any more. */
const WORTHLESS = new Set(['checkout-draft', 'cancelled', 'failed', 'refunded', 'trash']);

/** What an order is worth to the flow that earned it: its total less refunds; nothing once cancelled or deleted. */
export function creditedRevenue(order: Pick<Order, 'status' | 'total' | 'refundedTotal' | 'deletedAt'>): number {
  if (WORTHLESS.has(order.status) || order.deletedAt !== null) return 0;
  return Math.max(0, Math.round((order.total - order.refundedTotal) * 100) / 100);
}

function windowMs(kind: TouchKind, w: AttributionWindows): number {
  if (kind === 'email_click') return w.emailClickHours * HOUR;
  return (kind === 'email_open' ? w.emailOpenHours : w.smsClickHours) * HOUR;
}

/**
 * Last touch within the store's windows, clicks first: the newest click (email or SMS) still inside its
 * window wins; only without one does the newest open inside the open window. A click is what a person
 * chose to do, an open may be a preview pane; Klaviyo ranks them the same way. Touches are at or before
 * the order (within its whole second); a window's end is inclusive (an order exactly 5 days after a click is credited).
 */
export function lastTouch(touches: TouchRow[], orderAt: number, w: AttributionWindows): TouchRow | null {
  // WooCommerce dates an order in whole seconds: a touch within the order's second may have come before it.
  const inside = touches.filter((t) => t.at < orderAt + ORDER_DATE_PRECISION_MS && orderAt - t.at <= windowMs(t.kind, w));
  const newest = (rows: TouchRow[]) => rows.reduce<TouchRow | null>((best, t) => (best === null || t.at > best.at ? t : best), null);
  return newest(inside.filter((t) => t.kind !== 'email_open')) ?? newest(inside);
}

function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/**
 * Credits a newly seen order to the one flow message that earned it, or brings an earlier credit's revenue
 * in line with the order now (refunds, cancellation, deletion). Safe to run on every version of an order.
 */
export async function attributeOrder(d: Db, storeId: string, orderId: number, now: number): Promise<void> {
  const order = await findOrder(d, storeId, orderId);
  if (!order) return;
  const revenue = creditedRevenue(order);
  const credit = await findOrderCredit(d, storeId, orderId);
  if (credit) {
    if (credit.revenue !== revenue) await adjustCreditedRevenue(d, storeId, orderId, revenue, now);
    return;
  }
  if (!order.contactId || WORTHLESS.has(order.status) || order.deletedAt !== null) return;
  const windows = await findAttributionWindows(d, storeId);
  const longest = Math.max(windows.emailClickHours, windows.emailOpenHours, windows.smsClickHours) * HOUR;
  const touches = await recentTouches(d, storeId, order.contactId, order.createdAt - longest, order.createdAt + ORDER_DATE_PRECISION_MS - 1);
  const touch = lastTouch(touches, order.createdAt, windows);
  const ref = touch && (await messageFlowRef(d, storeId, touch.messageId));
  if (!touch || !ref) return;
  await creditOrder(d, {
    storeId,
    orderId,
    messageId: touch.messageId,
    ...ref,
    touch: touch.kind,
    touchedAt: touch.at,
    day: utcDay(order.createdAt),
    revenue,
    creditedAt: now,
    updatedAt: now,
  });
}
