import type { Db } from '../../db/client';
import { currentConsent } from '../../db/queries/consents';
import type { Contact } from '../../db/queries/contacts';
import { listContactProperties, listContactTags } from '../../db/queries/contact-tags';
import { findGuardrailSettings, smsWindowOf } from '../../db/queries/guardrail-settings';
import { paidOrdersOfContact, purchasedProductIds, type PaidOrder } from '../../db/queries/order-history';
import type { Store } from '../../db/queries/stores';
import type { ContactFacts } from '../../journeys/events';
import { contactTimeZone } from '../time-zone';

const DAY_MS = 86_400_000;

/** Marketing on a channel: an address, marketing consent in force, and a contact that has not opted out or bounced. */
async function reachable(d: Db, contact: Contact): Promise<ContactFacts['reachable']> {
  if (contact.status !== 'active') return { email: false, sms: false };
  const [email, sms] = await Promise.all([
    contact.email ? currentConsent(d, contact.storeId, contact.id, 'email', 'marketing') : undefined,
    contact.phone ? currentConsent(d, contact.storeId, contact.id, 'sms', 'marketing') : undefined,
  ]);
  return { email: email?.granted === true, sms: sms?.granted === true };
}

/** Median days between consecutive orders; undefined with fewer than two orders. */
export function medianGapDays(orderTimes: number[]): number | undefined {
  const sorted = [...orderTimes].sort((a, b) => a - b);
  const gaps = sorted.slice(1).map((t, i) => (t - sorted[i]!) / DAY_MS).sort((a, b) => a - b);
  if (gaps.length === 0) return undefined;
  const mid = Math.floor(gaps.length / 2);
  const median = gaps.length % 2 === 1 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2;
  return Math.round(median * 100) / 100;
}

function orderStats(paid: PaidOrder[]): ContactFacts['stats'] {
  const totalSpent = paid.reduce((sum, o) => sum + o.total - o.refundedTotal, 0);
  const times = paid.map((o) => o.createdAt);
  const last = times.length > 0 ? Math.max(...times) : undefined;
  const median = medianGapDays(times);
  return {
    ordersCount: paid.length,
    totalSpent: Math.round(totalSpent * 100) / 100,
    ...(last !== undefined ? { lastOrderAt: last } : {}),
    ...(median !== undefined ? { medianOrderGapDays: median } : {}),
  };
}

/**
 * What step() may know about a contact, read from D1 after the event was recorded. The
 * timezone is the contact's clock (contactTimeZone: own, last visit, locale, store).
 */
export async function loadContactFacts(d: Db, store: Store, contact: Contact): Promise<ContactFacts> {
  const [reach, tags, properties, paid, purchased, guardrails] = await Promise.all([
    reachable(d, contact),
    listContactTags(d, store.id, contact.id),
    listContactProperties(d, store.id, contact.id),
    paidOrdersOfContact(d, store.id, contact.id),
    purchasedProductIds(d, store.id, contact.id),
    findGuardrailSettings(d, store.id),
  ]);
  return {
    id: contact.id,
    timezone: contactTimeZone(contact, store),
    locale: contact.locale ?? store.locale,
    reachable: reach,
    tags,
    properties: { ...properties, ...(contact.birthday ? { birthday: contact.birthday } : {}) },
    stats: orderStats(paid),
    purchasedProductIds: purchased,
    smsWindow: smsWindowOf(guardrails),
  };
}
