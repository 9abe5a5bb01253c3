import type { Db } from '../db/client';
import type { FetchLike } from '../messaging/retry';
import { sendSignupCoupon, widgetOfCouponKey } from './signup-coupon';
import { couponKeysOfCodes } from '../db/queries/issued-coupons';
import { bumpWidgetResult, confirmWidgetSignups, findWidget, markWidgetSignupsOrdered, recordWidgetSignup, widgetsConfirmedBetween } from '../db/queries/widgets';

/** ui.js submits with `textVersion: "widget:<id>"`: the consent text shown is the widget's own. */
export const widgetOfTextVersion = (textVersion: string | null | undefined) => /^widget:([A-Za-z0-9_-]{1,64})$/.exec(textVersion ?? '')?.[1];

/**
 * A confirmed double opt-in whose consent came from a widget is that widget's confirmed sign-up (counted once per
 * contact and widget); an unsigned submit alone is only a claim, so nothing is credited before the confirmation.
 */
export async function creditWidgetConfirmation(
  env: Env,
  d: Db,
  ids: { storeId: string; contactId: string; textVersion: string | null },
  at: number,
  fetcher: FetchLike = (input, init) => fetch(input, init),
): Promise<string | null> {
  const { storeId, contactId } = ids;
  const widgetId = widgetOfTextVersion(ids.textVersion);
  if (!widgetId || !(await findWidget(d, storeId, widgetId))) return null;
  await recordWidgetSignup(d, storeId, widgetId, contactId, at);
  for (const id of await confirmWidgetSignups(d, storeId, contactId, at)) await bumpWidgetResult(d, storeId, id, 'confirmed');
  try {
    await sendSignupCoupon(env, d, { storeId, widgetId, contactId }, fetcher, at);
  } catch (err) {
    // The confirmation stands; the coupon row stays pending under its key and the next try reuses the same code.
    console.error(`sign-up coupon of widget ${widgetId} for ${storeId}/${contactId} not issued yet`, err);
  }
  return widgetId;
}

/**
 * How long after a confirmed sign-up a paid order is still the widget's: the welcome coupons it sends last up to
 * 30 days by default, and an order months later owes little to a pop-up. An order using the widget's own coupon
 * counts whenever it comes.
 */
export const WIDGET_ORDER_WINDOW_MS = 30 * 86_400_000;

type OrderEvent = { type: string; storeId: string; contactId: string; occurredAt: number; total?: number; couponCodes?: string[] };

/**
 * Each paid order (fresh events only: the ContactAgent keeps one copy per event) is counted, with its total, for every
 * widget the contact confirmed a sign-up through within the window or whose coupon the order used.
 */
export async function creditWidgetOrders(d: Db, events: OrderEvent[]): Promise<void> {
  for (const e of events) {
    if (e.type !== 'order.paid') continue;
    const byWindow = await widgetsConfirmedBetween(d, e.storeId, e.contactId, e.occurredAt - WIDGET_ORDER_WINDOW_MS, e.occurredAt);
    const byCoupon = (await couponKeysOfCodes(d, e.storeId, e.couponCodes ?? [])).map(widgetOfCouponKey);
    const ids = [...new Set([...byWindow, ...byCoupon])].filter((id): id is string => Boolean(id));
    for (const id of ids) {
      await bumpWidgetResult(d, e.storeId, id, 'order');
      await bumpWidgetResult(d, e.storeId, id, 'revenue', Math.round((e.total ?? 0) * 100));
    }
    await markWidgetSignupsOrdered(d, e.storeId, e.contactId, ids, e.occurredAt);
  }
}
