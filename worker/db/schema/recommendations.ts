import { integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * What each order last contributed to the co-purchase counts: its distinct products while it is a
 * standing paid order inside the trailing window, `[]` otherwise. The incremental update subtracts
 * this and adds the order's new basket, so replays, refunds and cancellations stay exact.
 */
export const recBaskets = sqliteTable(
  'rec_baskets',
  {
    storeId: text('store_id').notNull(),
    orderId: integer('order_id').notNull(),
    products: text('products', { mode: 'json' }).$type<number[]>().notNull(),
    /** Written with each change: the count updates of one batch apply only if their ledger write won. */
    token: text('token').notNull(),
    countedAt: integer('counted_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.orderId] })],
);

/** Number of counted baskets holding the product (the support of one item). */
export const recItemCounts = sqliteTable(
  'rec_item_counts',
  {
    storeId: text('store_id').notNull(),
    productId: integer('product_id').notNull(),
    orders: integer('orders').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.productId] })],
);

/** Number of counted baskets holding both products; kept in both directions so one product reads its row range. */
export const recPairCounts = sqliteTable(
  'rec_pair_counts',
  {
    storeId: text('store_id').notNull(),
    productId: integer('product_id').notNull(),
    otherId: integer('other_id').notNull(),
    orders: integer('orders').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.productId, t.otherId] })],
);

/** Ranked lists rebuilt nightly: `bestsellers`, `category:<id>` (trailing 30 days), `affinity:<id>` (trailing year). */
export const recTopLists = sqliteTable(
  'rec_top_lists',
  {
    storeId: text('store_id').notNull(),
    list: text('list').notNull(),
    rank: integer('rank').notNull(),
    productId: integer('product_id').notNull(),
    score: real('score').notNull(),
    builtAt: integer('built_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.list, t.rank] })],
);
