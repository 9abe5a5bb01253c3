import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * An email a browser said was its own, kept on the visitor until proven. While pending, the visitor stays
 * anonymous: nothing it did reaches the claimed contact. Proof (a confirmed double opt-in, a signed identity)
 * sets `proven_at` and links the visitor.
 */
export const identityClaims = sqliteTable(
  'identity_claims',
  {
    storeId: text('store_id').notNull(),
    visitorId: text('visitor_id').notNull(),
    contactId: text('contact_id').notNull(),
    /** The identify event that made the claim. */
    eventKey: text('event_key').notNull(),
    claimedAt: integer('claimed_at').notNull(),
    provenAt: integer('proven_at'),
    /** What proved it, e.g. `double_opt_in`. */
    proof: text('proof'),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.visitorId, t.contactId] }), index('identity_claims_contact').on(t.storeId, t.contactId)],
);
