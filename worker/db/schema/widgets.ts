import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** An on-site sign-up widget (pop-up or inlay); `config` is validated by `storefront/widget-config.ts`. */
export const widgets = sqliteTable(
  'widgets',
  {
    id: text('id').notNull(),
    storeId: text('store_id').notNull(),
    kind: text('kind', { enum: ['popup', 'inlay'] }).notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    config: text('config', { mode: 'json' }).$type<unknown>().notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.id] })],
);

/** Counters per widget and metric (view, close, submit, confirmed, click, order), bumped as they happen. */
export const widgetResults = sqliteTable(
  'widget_results',
  {
    storeId: text('store_id').notNull(),
    widgetId: text('widget_id').notNull(),
    metric: text('metric').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.widgetId, t.metric] })],
);

/** Who signed up through which widget: confirmation and the first order after it are credited to it once. */
export const widgetSignups = sqliteTable(
  'widget_signups',
  {
    storeId: text('store_id').notNull(),
    widgetId: text('widget_id').notNull(),
    contactId: text('contact_id').notNull(),
    submittedAt: integer('submitted_at').notNull(),
    confirmedAt: integer('confirmed_at'),
    orderedAt: integer('ordered_at'),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.contactId, t.widgetId] })],
);
