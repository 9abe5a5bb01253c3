import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Per-store send guardrails; a missing row means the defaults (`DEFAULT_GUARDRAILS` in
 * worker/db/queries/guardrail-settings.ts). Caps count marketing messages per contact.
 */
export const guardrailSettings = sqliteTable('guardrail_settings', {
  storeId: text('store_id').primaryKey(),
  emailCap: integer('email_cap').notNull(),
  emailWindowDays: integer('email_window_days').notNull(),
  smsCap: integer('sms_cap').notNull(),
  smsWindowDays: integer('sms_window_days').notNull(),
  overallCap: integer('overall_cap').notNull(),
  overallWindowDays: integer('overall_window_days').notNull(),
  hibernationDays: integer('hibernation_days').notNull(),
  /** Local waking hours: promotional sends land in [wakeHour, sleepHour). */
  wakeHour: integer('wake_hour').notNull(),
  sleepHour: integer('sleep_hour').notNull(),
  sendTimeOptimization: integer('send_time_optimization', { mode: 'boolean' }).notNull(),
  /** Opens and clicks needed before sends move to the contact's best hour. */
  sendTimeMinEngagements: integer('send_time_min_engagements').notNull(),
  repromotionDays: integer('repromotion_days').notNull(),
  oneFlowPerDay: integer('one_flow_per_day', { mode: 'boolean' }).notNull(),
  /** SMS window on the contact's clock: [smsOpens, smsCloses) (`HH:MM`) on the ISO weekdays in smsDays (1 = Monday). */
  smsOpens: text('sms_opens').notNull().default('08:00'),
  smsCloses: text('sms_closes').notNull().default('21:00'),
  smsDays: text('sms_days', { mode: 'json' }).$type<number[]>().notNull().default([1, 2, 3, 4, 5, 6, 7]),
  updatedAt: integer('updated_at').notNull(),
});

export const SEND_DECISIONS = ['send', 'defer', 'skip'] as const;
export type SendDecisionName = (typeof SEND_DECISIONS)[number];

/**
 * The latest guardrail decision for each send, keyed like its message row (store, idempotency
 * key), so a message and the reason it went late or never went are read together. Sends marked
 * `transactional` do not count towards frequency caps or the one-flow-per-day rule.
 */
export const sendDecisions = sqliteTable(
  'send_decisions',
  {
    storeId: text('store_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    contactId: text('contact_id').notNull(),
    flowId: text('flow_id'),
    channel: text('channel', { enum: ['email', 'sms'] }).notNull(),
    decision: text('decision', { enum: SEND_DECISIONS }).notNull(),
    reason: text('reason'),
    until: integer('until'),
    priority: text('priority', { enum: ['low', 'normal', 'high'] }).notNull(),
    transactional: integer('transactional', { mode: 'boolean' }).notNull(),
    /** How many times this send was deferred before its latest decision. */
    deferrals: integer('deferrals').notNull().default(0),
    decidedAt: integer('decided_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.idempotencyKey] }), index('send_decisions_contact').on(t.storeId, t.contactId, t.decidedAt)],
);

/**
 * Hibernation as last marked by the scheduled job (for counts and the dashboard). The send path
 * does not trust this row alone: it recomputes from live activity, so new activity wakes at once.
 */
export const contactHibernation = sqliteTable(
  'contact_hibernation',
  {
    storeId: text('store_id').notNull(),
    contactId: text('contact_id').notNull(),
    lastActivityAt: integer('last_activity_at'),
    hibernatedAt: integer('hibernated_at'),
    checkedAt: integer('checked_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.contactId] }), index('contact_hibernation_state').on(t.storeId, t.hibernatedAt)],
);

/**
 * A guardrail that applies only to the members of one segment (read through segment_members at send time):
 * `exclude` drops their promotional sends; `cap` allows at most that many promotional messages per channel in
 * `windowDays`, on top of the store's caps; `hibernationDays` puts them to sleep sooner than the store's setting
 * (the shorter wins). A missing row means the segment has no rule of its own.
 */
export const segmentGuardrails = sqliteTable(
  'segment_guardrails',
  {
    storeId: text('store_id').notNull(),
    segmentId: text('segment_id').notNull(),
    exclude: integer('exclude', { mode: 'boolean' }).notNull().default(false),
    cap: integer('cap'),
    windowDays: integer('window_days').notNull().default(7),
    hibernationDays: integer('hibernation_days'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.segmentId] })],
);
