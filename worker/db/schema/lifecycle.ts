import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Contacts merged into another one (an email change in My Account that lands on an address another contact
 * holds). `contact_id` is the survivor, so the row is exported and erased with it; `merged_id` is the id that
 * no longer exists, which old links and tokens may still name.
 */
export const contactMerges = sqliteTable(
  'contact_merges',
  {
    storeId: text('store_id').notNull(),
    mergedId: text('merged_id').notNull(),
    contactId: text('contact_id').notNull(),
    mergedAt: integer('merged_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.mergedId] }), index('contact_merges_contact').on(t.storeId, t.contactId)],
);
