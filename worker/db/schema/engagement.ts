import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Effects of journey actions beyond messages, and what people do with our links. Every action row
 * is unique by (store, idempotency key = `<enrollment id>:<node id>`), so a re-run outbox entry
 * finds its earlier row instead of acting twice.
 */

/** On-site prompts waiting for the contact's next page view (`GET /widgets/prompt`). */
export const prompts = sqliteTable(
  'prompts',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    contactId: text('contact_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    template: text('template').notNull(),
    context: text('context', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    shownAt: integer('shown_at'),
    dismissedAt: integer('dismissed_at'),
  },
  (t) => [
    uniqueIndex('prompts_store_idempotency').on(t.storeId, t.idempotencyKey),
    index('prompts_store_contact').on(t.storeId, t.contactId, t.expiresAt),
  ],
);

/** Retargeting audiences; hashed identifiers are computed at export time from the current contact. */
export const audienceMembers = sqliteTable(
  'audience_members',
  {
    storeId: text('store_id').notNull(),
    audience: text('audience').notNull(),
    contactId: text('contact_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    addedAt: integer('added_at').notNull(),
  },
  (t) => [
    uniqueIndex('audience_members_member').on(t.storeId, t.audience, t.contactId),
    uniqueIndex('audience_members_store_idempotency').on(t.storeId, t.idempotencyKey),
  ],
);

export const ISSUED_COUPON_STATUSES = ['pending', 'issued', 'pending_keys', 'failed'] as const;
export type IssuedCouponStatus = (typeof ISSUED_COUPON_STATUSES)[number];

/** Unique WooCommerce coupons; the code is reserved here before the store is asked to create it. */
export const issuedCoupons = sqliteTable(
  'issued_coupons',
  {
    storeId: text('store_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    contactId: text('contact_id').notNull(),
    code: text('code').notNull(),
    discountType: text('discount_type', { enum: ['percent', 'fixed_cart'] }).notNull(),
    amount: text('amount').notNull(),
    expiresAt: integer('expires_at').notNull(),
    status: text('status', { enum: ISSUED_COUPON_STATUSES }).notNull(),
    wooCouponId: integer('woo_coupon_id'),
    error: text('error'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('issued_coupons_store_idempotency').on(t.storeId, t.idempotencyKey),
    uniqueIndex('issued_coupons_store_code').on(t.storeId, t.code),
  ],
);

export const WEBHOOK_CALL_STATUSES = ['pending', 'delivered', 'rejected'] as const;

/** Outgoing journey webhooks: one row per action, with the last answer. */
export const webhookCalls = sqliteTable(
  'webhook_calls',
  {
    storeId: text('store_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    contactId: text('contact_id').notNull(),
    url: text('url').notNull(),
    status: text('status', { enum: WEBHOOK_CALL_STATUSES }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    responseStatus: integer('response_status'),
    error: text('error'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('webhook_calls_store_idempotency').on(t.storeId, t.idempotencyKey)],
);

/** Every click on a tracked link (`GET /c/:token`); journeys hear about the first per link. */
export const messageClicks = sqliteTable(
  'message_clicks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    storeId: text('store_id').notNull(),
    messageId: text('message_id').notNull(),
    contactId: text('contact_id').notNull(),
    linkIndex: integer('link_index').notNull(),
    url: text('url').notNull(),
    clickedAt: integer('clicked_at').notNull(),
  },
  (t) => [index('message_clicks_message').on(t.storeId, t.messageId, t.clickedAt)],
);
