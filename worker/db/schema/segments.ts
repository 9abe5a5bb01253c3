import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** A dynamic segment: versioned JSON rules (segments/rules.ts) compiled to SQL; built-in ones are kept up to date by code. */
export const segments = sqliteTable(
  'segments',
  {
    id: text('id').notNull(),
    storeId: text('store_id').notNull(),
    nameFr: text('name_fr').notNull(),
    nameEn: text('name_en').notNull(),
    rules: text('rules', { mode: 'json' }).$type<unknown>().notNull(),
    version: integer('version').notNull().default(1),
    builtIn: integer('built_in', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.id] })],
);

/** Who is in a segment now, and since when (entries and exits are published as segment.entered / segment.exited). */
export const segmentMembers = sqliteTable(
  'segment_members',
  {
    storeId: text('store_id').notNull(),
    segmentId: text('segment_id').notNull(),
    contactId: text('contact_id').notNull(),
    since: integer('since').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.segmentId, t.contactId] }), index('segment_members_contact').on(t.storeId, t.contactId)],
);

/**
 * RFM (null until the contact has a standing paid order in the window) and the decaying lead score, exact at
 * `leadScoreAt`; `leadScoreCaps` holds the points each capped group already gave in its current period.
 */
export const contactScores = sqliteTable(
  'contact_scores',
  {
    storeId: text('store_id').notNull(),
    contactId: text('contact_id').notNull(),
    r: integer('r'),
    f: integer('f'),
    m: integer('m'),
    rfmSegment: text('rfm_segment'),
    rfmMethod: text('rfm_method', { enum: ['quintiles', 'bands'] }),
    leadScore: real('lead_score').notNull().default(0),
    leadScoreAt: integer('lead_score_at'),
    leadScoreCaps: text('lead_score_caps', { mode: 'json' }).$type<Record<string, { periodStart: number; points: number }>>().notNull().default({}),
    computedAt: integer('computed_at').notNull(),
    // Predictions (migration 0028, worker/predictions/): next order date, BG/NBD alive probability and 90-day orders.
    nextOrderAt: integer('next_order_at'),
    pAlive: real('p_alive'),
    expectedOrders90d: real('expected_orders_90d'),
    predictionMethod: text('prediction_method', { enum: ['median_gap', 'bgnbd'] }),
    bestSendHour: integer('best_send_hour'),
  },
  (t) => [
    primaryKey({ columns: [t.storeId, t.contactId] }),
    index('contact_scores_rfm').on(t.storeId, t.rfmSegment),
    index('contact_scores_next_order').on(t.storeId, t.nextOrderAt),
  ],
);

/** Per store: the RFM cut points of the last full scoring (to score one buyer between runs), the lead-score settings. */
export const segmentRuns = sqliteTable('segment_runs', {
  storeId: text('store_id').primaryKey(),
  rfmBasis: text('rfm_basis', { mode: 'json' }).$type<unknown>(),
  leadScoreConfig: text('lead_score_config', { mode: 'json' }).$type<unknown>(),
  fullAt: integer('full_at'),
});
