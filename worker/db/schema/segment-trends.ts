import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Members of each segment at the nightly run (`day` as YYYY-MM-DD, UTC): the dashboard's 30-day trend. */
export const segmentDailyCounts = sqliteTable(
  'segment_daily_counts',
  {
    storeId: text('store_id').notNull(),
    segmentId: text('segment_id').notNull(),
    day: text('day').notNull(),
    members: integer('members').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.segmentId, t.day] })],
);
