import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const FREQUENCIES = ['as_it_comes', 'weekly', 'monthly', 'paused'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/**
 * What a contact chose in the preference centre, per channel. No row means "everything, as it
 * comes": topics are stored as the ones muted, so a category added later is not silently excluded.
 */
export const contactPreferences = sqliteTable(
  'contact_preferences',
  {
    storeId: text('store_id').notNull(),
    contactId: text('contact_id').notNull(),
    channel: text('channel', { enum: ['email', 'sms'] }).notNull(),
    frequency: text('frequency', { enum: FREQUENCIES }).notNull().default('as_it_comes'),
    /** With `paused`: sends resume at this time (ms); null pauses until the contact changes it. */
    pausedUntil: integer('paused_until'),
    mutedTopics: text('muted_topics', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.contactId, t.channel] })],
);

/** Zero-party answers to one-click questions in emails ("what interests you?"); the latest per key wins. */
export const preferenceAnswers = sqliteTable(
  'preference_answers',
  {
    storeId: text('store_id').notNull(),
    contactId: text('contact_id').notNull(),
    key: text('key').notNull(),
    value: text('value').notNull(),
    sendId: text('send_id'),
    answeredAt: integer('answered_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.contactId, t.key] })],
);

/**
 * Double opt-in: a storefront email consent waits here until the contact confirms it from the
 * confirmation email; only then does a granted row reach the consent ledger.
 */
export const consentConfirmations = sqliteTable(
  'consent_confirmations',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    contactId: text('contact_id').notNull(),
    channel: text('channel', { enum: ['email', 'sms'] }).notNull(),
    purpose: text('purpose', { enum: ['marketing', 'tracking'] }).notNull(),
    source: text('source', { enum: ['checkout', 'popup', 'storefront', 'plugin', 'import', 'api', 'unsubscribe', 'provider'] }).notNull(),
    textVersion: text('text_version'),
    status: text('status', { enum: ['pending', 'confirmed', 'expired'] }).notNull(),
    /** The event that asked for it: a redelivered batch finds the same row. */
    eventKey: text('event_key').notNull(),
    requestedAt: integer('requested_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    resolvedAt: integer('resolved_at'),
    proofIpHash: text('proof_ip_hash'),
    proofUserAgent: text('proof_user_agent'),
  },
  (t) => [
    uniqueIndex('consent_confirmations_event').on(t.storeId, t.eventKey),
    index('consent_confirmations_contact').on(t.storeId, t.contactId, t.status),
    index('consent_confirmations_expiry').on(t.status, t.expiresAt),
    // One pending confirmation per address and purpose: concurrent sign-ups cannot each send one (migration 0011).
    uniqueIndex('consent_confirmations_one_pending')
      .on(t.storeId, t.contactId, t.channel, t.purpose)
      .where(sql`${t.status} = 'pending'`),
    index('consent_confirmations_ip').on(t.storeId, t.proofIpHash, t.requestedAt),
    index('consent_confirmations_requested').on(t.storeId, t.requestedAt),
  ],
);

/** Per-store privacy switches; no row means the defaults below. */
export const privacySettings = sqliteTable('privacy_settings', {
  storeId: text('store_id').primaryKey(),
  doubleOptIn: integer('double_opt_in', { mode: 'boolean' }).notNull().default(true),
  confirmationDays: integer('confirmation_days').notNull().default(7),
  eventRetentionMonths: integer('event_retention_months').notNull().default(13),
  /** Off: no email carries an open pixel, whatever the contact's consent. */
  openTracking: integer('open_tracking', { mode: 'boolean' }).notNull().default(true),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * What remains of an erased contact: a per-store sha256 of the normalized email or phone, so a
 * later import or order does not silently put them back on marketing lists.
 */
export const erasureSuppressions = sqliteTable(
  'erasure_suppressions',
  {
    storeId: text('store_id').notNull(),
    hash: text('hash').notNull(),
    kind: text('kind', { enum: ['email', 'phone', 'order', 'customer'] }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.hash] })],
);

/** Audit trail of erasures: who asked, when, and how many rows each table lost. No personal data. */
export const erasureLog = sqliteTable(
  'erasure_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    storeId: text('store_id').notNull(),
    /** The erased contact's (random, now dangling) id: proves which request was carried out. */
    subjectId: text('subject_id').notNull(),
    requestedBy: text('requested_by').notNull(),
    removed: text('removed', { mode: 'json' }).$type<Record<string, number>>().notNull(),
    erasedAt: integer('erased_at').notNull(),
  },
  (t) => [index('erasure_log_store').on(t.storeId, t.erasedAt)],
);
