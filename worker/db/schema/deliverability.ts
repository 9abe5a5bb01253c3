import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const PROVIDER_EVENT_KINDS = [
  'delivery',
  'open',
  'click',
  'hard_bounce',
  'soft_bounce',
  'complaint',
  'unsubscribe',
  'suppression',
  'reactivation',
  'ignored',
] as const;
export type ProviderEventKind = (typeof PROVIDER_EVENT_KINDS)[number];

/**
 * Every Postmark webhook event we accepted, once: the unique (store, dedupe key) index makes a
 * retried delivery (same X-PM-Webhook-Trace-Id) a no-op, effects included.
 */
export const providerEvents = sqliteTable(
  'provider_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    storeId: text('store_id').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    provider: text('provider').notNull().default('postmark'),
    stream: text('stream').notNull(),
    recordType: text('record_type').notNull(),
    /** Our classification, which the rates count. */
    kind: text('kind', { enum: PROVIDER_EVENT_KINDS }).notNull(),
    /** Our send id (messages.id) when the event could be linked to a message. */
    messageId: text('message_id'),
    providerMessageId: text('provider_message_id'),
    contactId: text('contact_id'),
    recipient: text('recipient'),
    occurredAt: integer('occurred_at').notNull(),
    receivedAt: integer('received_at').notNull(),
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    uniqueIndex('provider_events_store_dedupe').on(t.storeId, t.dedupeKey),
    index('provider_events_store_time').on(t.storeId, t.occurredAt),
    index('provider_events_store_message').on(t.storeId, t.messageId),
  ],
);

/** Per-store rate thresholds as fractions (0.001 = 0.1 %); a missing row means the defaults. */
export const reputationSettings = sqliteTable('reputation_settings', {
  storeId: text('store_id').primaryKey(),
  complaintWarn: real('complaint_warn').notNull(),
  complaintPause: real('complaint_pause').notNull(),
  hardBounceWarn: real('hard_bounce_warn').notNull(),
  hardBouncePause: real('hard_bounce_pause').notNull(),
  unsubscribeWarn: real('unsubscribe_warn').notNull(),
  unsubscribePause: real('unsubscribe_pause').notNull(),
  /** Sends in the window below which a rate may warn but never pause. */
  minVolume: integer('min_volume').notNull(),
  /** First day's promotional allowance after a pause; it doubles every day. */
  slowStartDailyCap: integer('slow_start_daily_cap').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const SENDING_STATES = ['open', 'paused', 'slow_start'] as const;
export type SendingStateName = (typeof SENDING_STATES)[number];

/** The promotional circuit breaker of one store; a missing row means `open`. */
export const reputationState = sqliteTable('reputation_state', {
  storeId: text('store_id').primaryKey(),
  state: text('state', { enum: SENDING_STATES }).notNull(),
  /** The pause this state belongs to: names the alert email so it is sent once. */
  incidentId: text('incident_id'),
  reason: text('reason'),
  changedAt: integer('changed_at').notNull(),
  /** When promotional sending last resumed: the breaker judges only what happened after it. */
  resumedAt: integer('resumed_at'),
  acknowledgedAt: integer('acknowledged_at'),
});

/** Every change of the breaker, for the dashboard's history. */
export const reputationHistory = sqliteTable(
  'reputation_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    storeId: text('store_id').notNull(),
    at: integer('at').notNull(),
    fromState: text('from_state', { enum: SENDING_STATES }).notNull(),
    toState: text('to_state', { enum: SENDING_STATES }).notNull(),
    reason: text('reason').notNull(),
    incidentId: text('incident_id'),
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index('reputation_history_store').on(t.storeId, t.at)],
);
