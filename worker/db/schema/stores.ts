import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const stores = sqliteTable('stores', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  siteUrl: text('site_url'),
  /** WooCommerce webhook secret; also signs plugin-bridge events and identity tokens. */
  webhookSecret: text('webhook_secret').notNull(),
  /** Public key embedded in the storefront snippet; not a secret. */
  siteKey: text('site_key').notNull().unique(),
  /** SHA-256 (hex) of the one-time token the plugin bridge uses to connect. */
  connectTokenHash: text('connect_token_hash'),
  allowedOrigins: text('allowed_origins', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
  timezone: text('timezone').notNull().default('Europe/Paris'),
  locale: text('locale').notNull().default('fr'),
  currency: text('currency').notNull().default('EUR'),
  /** When on, the tracker records nothing until the shopper's consent is given. */
  consentPending: integer('consent_pending', { mode: 'boolean' }).notNull().default(false),
  adminEmail: text('admin_email'),
  connectedAt: integer('connected_at'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
  /** The secret a rotation replaced: still verifies until previous_secret_until (the grace period). */
  previousWebhookSecret: text('previous_webhook_secret'),
  previousSecretUntil: integer('previous_secret_until'),
  /** A rotation's new secret while it is being handed to the plugin: verifies, never signs. */
  pendingWebhookSecret: text('pending_webhook_secret'),
});

/** One row per webhook delivery we accepted: the store's webhook health. */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    storeId: text('store_id').notNull(),
    deliveryId: text('delivery_id').notNull(),
    webhookId: text('webhook_id'),
    topic: text('topic').notNull(),
    resourceId: text('resource_id'),
    status: text('status', { enum: ['queued', 'processed', 'stale', 'skipped', 'failed'] }).notNull(),
    error: text('error'),
    receivedAt: integer('received_at').notNull(),
    processedAt: integer('processed_at'),
  },
  (t) => [
    primaryKey({ columns: [t.storeId, t.deliveryId] }),
    index('webhook_deliveries_received').on(t.storeId, t.receivedAt),
  ],
);

/** Payloads too large for a queue message wait here until the consumer takes them. */
export const ingestPayloads = sqliteTable(
  'ingest_payloads',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    body: text('body').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('ingest_payloads_store').on(t.storeId)],
);

/** Messages that exhausted their retries: parked, visible, replayable; never dropped. */
export const ingestFailures = sqliteTable(
  'ingest_failures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    storeId: text('store_id').notNull(),
    kind: text('kind').notNull(),
    message: text('message', { mode: 'json' }).notNull(),
    failedAt: integer('failed_at').notNull(),
    /** Why it was parked (0018). A retry from the admin deletes the row; failing again parks it anew. */
    error: text('error'),
  },
  (t) => [index('ingest_failures_store').on(t.storeId, t.failedAt)],
);
