import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** The store's product categories, as the catalogue import last listed them. */
export const productCategories = sqliteTable(
  'product_categories',
  {
    storeId: text('store_id').notNull(),
    id: integer('id').notNull(),
    parentId: integer('parent_id'),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    productCount: integer('product_count'),
    catalogSeenAt: integer('catalog_seen_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.id] })],
);

/** One catalogue import or reconciliation: its queue tasks are counted so the last one ends the run. */
export const catalogRuns = sqliteTable(
  'catalog_runs',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    reason: text('reason', { enum: ['connect', 'daily', 'manual'] }).notNull(),
    status: text('status', { enum: ['running', 'done', 'failed'] }).notNull(),
    /** Grows as pages reveal more work (page counts, variable products). */
    tasksTotal: integer('tasks_total').notNull(),
    productsSeen: integer('products_seen').notNull().default(0),
    markedMissing: integer('marked_missing'),
    error: text('error'),
    startedAt: integer('started_at').notNull(),
    finishedAt: integer('finished_at'),
  },
  (t) => [index('catalog_runs_store').on(t.storeId, t.startedAt)],
);

/** A task of a run, written once when it is done: a redelivered queue message is counted once. */
export const catalogRunTasks = sqliteTable(
  'catalog_run_tasks',
  {
    runId: text('run_id').notNull(),
    task: text('task').notNull(),
    /** Null while the task is queued. */
    doneAt: integer('done_at'),
  },
  (t) => [primaryKey({ columns: [t.runId, t.task] })],
);

/** The one-time `user_id` given to WooCommerce's app authorization; only its SHA-256 is kept. */
export const wcAuthRequests = sqliteTable(
  'wc_auth_requests',
  {
    storeId: text('store_id').notNull(),
    valueHash: text('value_hash').notNull(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.valueHash] })],
);
