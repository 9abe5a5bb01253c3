import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * WooCommerce deliveries refused for a bad signature, counted per known store and UTC day (`YYYY-MM-DD`):
 * one row per store per day, upserted, so a flood of forged requests cannot grow the table.
 */
export const webhookRejections = sqliteTable(
  'webhook_rejections',
  {
    storeId: text('store_id').notNull(),
    day: text('day').notNull(),
    count: integer('count').notNull().default(0),
    lastAt: integer('last_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.day] })],
);
