import { integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Per store, what the nightly prediction run learnt: the BG/NBD fit (null below the buyer threshold), the typical
 * re-buy gap, and the store's 24-hour distribution of human opens and clicks with its best hour (send-time prior).
 */
export const storePredictions = sqliteTable('store_predictions', {
  storeId: text('store_id').primaryKey(),
  bgnbd: text('bgnbd', { mode: 'json' }).$type<{ r: number; alpha: number; a: number; b: number; logLikelihood: number } | null>(),
  buyers: integer('buyers').notNull().default(0),
  repeatBuyers: integer('repeat_buyers').notNull().default(0),
  typicalGapDays: real('typical_gap_days'),
  sendHours: text('send_hours', { mode: 'json' }).$type<number[] | null>(),
  bestSendHour: integer('best_send_hour'),
  computedAt: integer('computed_at').notNull(),
});

/** A product's learned re-buy interval: the median gap between two orders of it by the same customer. */
export const productIntervals = sqliteTable(
  'product_intervals',
  {
    storeId: text('store_id').notNull(),
    productId: integer('product_id').notNull(),
    medianGapDays: real('median_gap_days').notNull(),
    support: integer('support').notNull(),
    computedAt: integer('computed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.productId] })],
);
