import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Flow results, counted as events happen (migration 0023). One row per store, flow, day (UTC), flow
 * version and step; `step_id` '' holds what belongs to the enrollment rather than a message (entered,
 * exited, completed, goal reached). Dashboards and GET /api/flows/:id/stats read only these rows.
 */
export const flowStatsDaily = sqliteTable(
  'flow_stats_daily',
  {
    storeId: text('store_id').notNull(),
    flowId: text('flow_id').notNull(),
    flowVersion: integer('flow_version').notNull(),
    stepId: text('step_id').notNull(),
    day: text('day').notNull(),
    entered: integer('entered').notNull().default(0),
    exited: integer('exited').notNull().default(0),
    completed: integer('completed').notNull().default(0),
    goalReached: integer('goal_reached').notNull().default(0),
    sent: integer('sent').notNull().default(0),
    delivered: integer('delivered').notNull().default(0),
    openedHuman: integer('opened_human').notNull().default(0),
    openedMachine: integer('opened_machine').notNull().default(0),
    clicked: integer('clicked').notNull().default(0),
    clickedFiltered: integer('clicked_filtered').notNull().default(0),
    /** Orders credited to a message of this step (attribution), and their revenue net of refunds. */
    converted: integer('converted').notNull().default(0),
    revenue: real('revenue').notNull().default(0),
    unsubscribed: integer('unsubscribed').notNull().default(0),
    complained: integer('complained').notNull().default(0),
    bounced: integer('bounced').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.flowId, t.day, t.flowVersion, t.stepId] })],
);

/** Enrollments that left a flow early, by reason and day. */
export const flowExitsDaily = sqliteTable(
  'flow_exits_daily',
  {
    storeId: text('store_id').notNull(),
    flowId: text('flow_id').notNull(),
    flowVersion: integer('flow_version').notNull(),
    day: text('day').notNull(),
    reason: text('reason').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.flowId, t.day, t.flowVersion, t.reason] })],
);

/**
 * One row per transition already counted (subject = message or enrollment id, kind = what happened):
 * a redelivered webhook or a second pixel load finds its mark and adds nothing.
 */
export const rollupMarks = sqliteTable(
  'rollup_marks',
  {
    storeId: text('store_id').notNull(),
    subject: text('subject').notNull(),
    kind: text('kind').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.subject, t.kind] })],
);

export const TOUCH_KINDS = ['email_click', 'email_open', 'sms_click'] as const;
export type TouchKind = (typeof TOUCH_KINDS)[number];

/** Human opens and clicks of flow messages: what attribution looks back over, by contact and time. */
export const engagementTouches = sqliteTable(
  'engagement_touches',
  {
    storeId: text('store_id').notNull(),
    contactId: text('contact_id').notNull(),
    messageId: text('message_id').notNull(),
    kind: text('kind', { enum: TOUCH_KINDS }).notNull(),
    at: integer('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.messageId, t.kind, t.at] }), index('engagement_touches_contact').on(t.storeId, t.contactId, t.at)],
);

/** The one message an order is credited to (at most one per order), with its revenue net of refunds. */
export const orderCredits = sqliteTable(
  'order_credits',
  {
    storeId: text('store_id').notNull(),
    orderId: integer('order_id').notNull(),
    messageId: text('message_id').notNull(),
    flowId: text('flow_id').notNull(),
    flowVersion: integer('flow_version').notNull(),
    stepId: text('step_id').notNull(),
    touch: text('touch', { enum: TOUCH_KINDS }).notNull(),
    touchedAt: integer('touched_at').notNull(),
    /** The rollup day the order was counted on: later refunds adjust that same row. */
    day: text('day').notNull(),
    revenue: real('revenue').notNull(),
    creditedAt: integer('credited_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.orderId] }), index('order_credits_flow').on(t.storeId, t.flowId)],
);

/** Per-store attribution windows in hours; a missing row means the defaults (click 120, open 24, SMS 24). */
export const attributionSettings = sqliteTable('attribution_settings', {
  storeId: text('store_id').primaryKey(),
  emailClickHours: integer('email_click_hours').notNull(),
  emailOpenHours: integer('email_open_hours').notNull(),
  smsClickHours: integer('sms_click_hours').notNull(),
  updatedAt: integer('updated_at').notNull(),
});
