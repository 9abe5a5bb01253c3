import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const contacts = sqliteTable(
  'contacts',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    /** Lower-cased, trimmed. */
    email: text('email'),
    /** E.164 when it could be normalized, otherwise as given. */
    phone: text('phone'),
    firstName: text('first_name'),
    lastName: text('last_name'),
    locale: text('locale'),
    timezone: text('timezone'),
    /** IANA zone of the contact's latest storefront visit, from the edge's geolocation (request.cf). */
    geoTimezone: text('geo_timezone'),
    /** ISO 3166-1 alpha-2 country of the latest WooCommerce billing (else shipping) address. */
    country: text('country'),
    birthday: text('birthday'),
    status: text('status', { enum: ['active', 'unsubscribed', 'bounced', 'complained'] })
      .notNull()
      .default('active'),
    wooCustomerId: integer('woo_customer_id'),
    /** WooCommerce's date_modified_gmt of the customer record last applied (ms). */
    sourceModifiedAt: integer('source_modified_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('contacts_store_email').on(t.storeId, t.email),
    uniqueIndex('contacts_store_customer').on(t.storeId, t.wooCustomerId),
    index('contacts_store_phone').on(t.storeId, t.phone),
    // The console lists a store's contacts newest first, a page at a time (keyset on created_at, id).
    index('contacts_store_created').on(t.storeId, t.createdAt, t.id),
  ],
);

/** Anonymous storefront visitor ids, linked to a contact once identified. */
export const visitors = sqliteTable(
  'visitors',
  {
    storeId: text('store_id').notNull(),
    visitorId: text('visitor_id').notNull(),
    contactId: text('contact_id'),
    firstSeenAt: integer('first_seen_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.visitorId] }), index('visitors_contact').on(t.storeId, t.contactId)],
);

/** Append-only consent ledger: the latest row per (contact, channel, purpose) is in force. */
export const consents = sqliteTable(
  'consents',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    storeId: text('store_id').notNull(),
    contactId: text('contact_id').notNull(),
    channel: text('channel', { enum: ['email', 'sms'] }).notNull(),
    purpose: text('purpose', { enum: ['marketing', 'tracking'] }).notNull(),
    granted: integer('granted', { mode: 'boolean' }).notNull(),
    source: text('source', { enum: ['checkout', 'popup', 'storefront', 'plugin', 'import', 'api', 'unsubscribe', 'provider'] }).notNull(),
    textVersion: text('text_version'),
    occurredAt: integer('occurred_at').notNull(),
    proofIpHash: text('proof_ip_hash'),
    proofUserAgent: text('proof_user_agent'),
  },
  (t) => [index('consents_contact').on(t.storeId, t.contactId, t.channel, t.purpose, t.occurredAt)],
);

/** Latest cart snapshot per visitor; carried over to the contact when the visitor is identified. */
export const carts = sqliteTable(
  'carts',
  {
    storeId: text('store_id').notNull(),
    visitorId: text('visitor_id').notNull(),
    contactId: text('contact_id'),
    items: text('items', { mode: 'json' }).$type<CartItem[]>().notNull(),
    value: real('value').notNull(),
    currency: text('currency'),
    status: text('status', { enum: ['active', 'converted', 'emptied'] }).notNull().default('active'),
    /** Client time of the snapshot (ms); an older snapshot never overwrites a newer one. */
    snapshotAt: integer('snapshot_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    /** The order that converted the cart (status `converted`). */
    orderId: integer('order_id'),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.visitorId] }), index('carts_contact').on(t.storeId, t.contactId)],
);

export type CartItem = {
  productId: number;
  variationId?: number;
  name?: string;
  quantity: number;
  price: number;
  image?: string;
  url?: string;
};

/** Typed behavioural events from the storefront, the plugin bridge and WooCommerce. */
export const events = sqliteTable(
  'events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    storeId: text('store_id').notNull(),
    /** Client- or source-supplied id: a retried delivery inserts nothing new. */
    eventKey: text('event_key').notNull(),
    type: text('type').notNull(),
    visitorId: text('visitor_id'),
    contactId: text('contact_id'),
    properties: text('properties', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    source: text('source', { enum: ['browser', 'server', 'woocommerce'] }).notNull(),
    occurredAt: integer('occurred_at').notNull(),
    receivedAt: integer('received_at').notNull(),
  },
  (t) => [
    uniqueIndex('events_store_key').on(t.storeId, t.eventKey),
    index('events_contact').on(t.storeId, t.contactId, t.occurredAt),
    index('events_visitor').on(t.storeId, t.visitorId, t.occurredAt),
    // The overview's tracker check: the latest browser event of a store without scanning its history.
    index('events_store_source_received').on(t.storeId, t.source, t.receivedAt),
    // Identifies still waiting for their Woo customer are few; without this, each customer webhook scanned every
    // anonymous event of the store (contact_id is null) looking for them.
    index('events_pending_identify')
      .on(t.storeId, t.type, t.contactId)
      .where(sql`${t.type} = 'identify' and ${t.contactId} is null`),
  ],
);
