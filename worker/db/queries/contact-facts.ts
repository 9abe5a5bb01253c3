import { and, eq, sql } from 'drizzle-orm';
import type { Scalar } from '../../journeys/events';
import { DEFAULT_SMS_WINDOW, type SmsWindow } from '../../journeys/time';
import type { Db } from '../client';
import { prepared } from '../prepared';
import { contacts } from '../schema';
import { paidOrderOf, type PaidOrder } from './order-history';

export type ContactFactsRow = {
  /** Marketing consent in force on each channel (the latest row of the ledger), undefined when never asked. */
  emailGranted: boolean | undefined;
  smsGranted: boolean | undefined;
  tags: string[];
  properties: Record<string, Scalar>;
  /** Paid orders that still stand, oldest first (as paidOrdersOfContact). */
  paid: PaidOrder[];
  /** Products of those orders (as purchasedProductIds). */
  purchased: number[];
  /** The store's SMS window (its guardrail settings, or the default when it never set them). */
  smsWindow: SmsWindow;
};

/** Orders of the outer contact that count as purchases (standingPaidOrders, against the row being read). */
const standing = sql.raw(`o.store_id = contacts.store_id and o.contact_id = contacts.id and o.paid_at is not null and o.cancelled_at is null and o.deleted_at is null`);
const granted = (channel: 'email' | 'sms') =>
  sql.raw(`(select c.granted from consents c where c.store_id = contacts.store_id and c.contact_id = contacts.id
    and c.channel = '${channel}' and c.purpose = 'marketing' order by c.occurred_at desc, c.id desc limit 1)`);

/**
 * Everything step() knows of a contact beyond its row, in one statement (it was six: consents, tags, properties,
 * orders, products, and the store's guardrails for its SMS window): every wake of a ContactAgent reads it, and a
 * thousand reminders due at once are a thousand wakes. Lists come back as JSON; no row when the contact does not
 * exist. Every column is aliased, so the coalescing binding can tell them apart and batch the statement with the
 * wake's others.
 */
const factsQuery = prepared((d) =>
  d
    .select({
      email: sql<number | null>`${granted('email')}`.as('email'),
      sms: sql<number | null>`${granted('sms')}`.as('sms'),
      tags: sql<string>`(select json_group_array(t.tag) from contact_tags t where t.store_id = contacts.store_id and t.contact_id = contacts.id)`.as('tags'),
      properties: sql<string>`(select json_group_object(p.key, json(p.value)) from contact_properties p where p.store_id = contacts.store_id and p.contact_id = contacts.id)`.as('properties'),
      orders: sql<string>`(select json_group_array(json_array(id, total, refunded_total, created_at, paid_at, status)) from
        (select o.id, o.total, o.refunded_total, o.created_at, o.paid_at, o.status from orders o where ${standing} order by o.created_at))`.as('orders'),
      products: sql<string>`(select json_group_array(distinct i.product_id) from order_items i join orders o on o.store_id = i.store_id and o.id = i.order_id
        where i.store_id = contacts.store_id and ${standing})`.as('products'),
      smsWindow: sql<string | null>`(select json_object('opens', g.sms_opens, 'closes', g.sms_closes, 'days', json(g.sms_days)) from guardrail_settings g
        where g.store_id = contacts.store_id)`.as('sms_window'),
    })
    .from(contacts)
    .where(and(eq(contacts.storeId, sql.placeholder('storeId')), eq(contacts.id, sql.placeholder('contactId'))))
    .prepare(),
);

type OrderCells = [number, number, number, number, number | null, string];

export async function readContactFactsRow(d: Db, storeId: string, contactId: string): Promise<ContactFactsRow> {
  const [row] = await factsQuery(d).all({ storeId, contactId });
  if (!row) return { emailGranted: undefined, smsGranted: undefined, tags: [], properties: {}, paid: [], purchased: [], smsWindow: DEFAULT_SMS_WINDOW };
  const orders = JSON.parse(row.orders) as OrderCells[];
  return {
    emailGranted: row.email === null ? undefined : row.email === 1,
    smsGranted: row.sms === null ? undefined : row.sms === 1,
    tags: (JSON.parse(row.tags) as string[]).sort(),
    properties: (JSON.parse(row.properties) as Record<string, Scalar> | null) ?? {},
    paid: orders.flatMap(([id, total, refundedTotal, createdAt, paidAt, status]) => paidOrderOf({ id, total, refundedTotal, createdAt, paidAt, status })),
    purchased: (JSON.parse(row.products) as number[]).sort((a, b) => a - b),
    smsWindow: row.smsWindow === null ? DEFAULT_SMS_WINDOW : (JSON.parse(row.smsWindow) as SmsWindow),
  };
}
