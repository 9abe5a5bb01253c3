import type { Db } from '../db/client';
import { bumpWidgetResult, confirmWidgetSignups, findWidget, orderWidgetSignups, recordWidgetSignup } from '../db/queries/widgets';

/** ui.js submits with `textVersion: "widget:<id>"`: the consent text shown is the widget's own. */
export const widgetOfTextVersion = (textVersion: string | null | undefined) => /^widget:([A-Za-z0-9_-]{1,64})$/.exec(textVersion ?? '')?.[1];

/**
 * A confirmed double opt-in whose consent came from a widget is that widget's confirmed sign-up (counted once per
 * contact and widget); an unsigned submit alone is only a claim, so nothing is credited before the confirmation.
 */
export async function creditWidgetConfirmation(d: Db, storeId: string, contactId: string, textVersion: string | null, at: number): Promise<string | null> {
  const widgetId = widgetOfTextVersion(textVersion);
  if (!widgetId || !(await findWidget(d, storeId, widgetId))) return null;
  await recordWidgetSignup(d, storeId, widgetId, contactId, at);
  for (const id of await confirmWidgetSignups(d, storeId, contactId, at)) await bumpWidgetResult(d, storeId, id, 'confirmed');
  return widgetId;
}

/** The first paid order after a confirmed widget sign-up is that widget's "order that follows". */
export async function creditWidgetOrders(d: Db, events: { type: string; storeId: string; contactId: string; occurredAt: number }[]): Promise<void> {
  for (const e of events) {
    if (e.type !== 'order.paid') continue;
    for (const id of await orderWidgetSignups(d, e.storeId, e.contactId, e.occurredAt)) await bumpWidgetResult(d, e.storeId, id, 'order');
  }
}
