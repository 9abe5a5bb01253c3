import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Dashboard sessions held server-side, so logging out revokes the cookie everywhere it was copied. Deployment-wide
 * (the admin is not a store's), keyed by the SHA-256 of the session nonce the signed cookie carries.
 */
export const adminSessions = sqliteTable(
  'admin_sessions',
  {
    idHash: text('id_hash').primaryKey(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('admin_sessions_expiry').on(t.expiresAt)],
);
