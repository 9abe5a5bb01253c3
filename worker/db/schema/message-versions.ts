import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * The owner's wording of one flow step's email or SMS, per store and language. Every save is a new
 * version and the highest version is live; `isDefault` marks a version that points back at the
 * shipped catalogue (`templateId`) instead of carrying its own text, i.e. a restore.
 * For an SMS only `text` is used.
 */
export const messageVersions = sqliteTable(
  'message_versions',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    flowId: text('flow_id').notNull(),
    stepId: text('step_id').notNull(),
    lang: text('lang', { enum: ['en', 'fr'] }).notNull(),
    channel: text('channel', { enum: ['email', 'sms'] }).notNull(),
    version: integer('version').notNull(),
    templateId: text('template_id').notNull(),
    isDefault: integer('is_default', { mode: 'boolean' }).notNull().default(false),
    subject: text('subject'),
    preheader: text('preheader'),
    html: text('html'),
    text: text('text'),
    /** The body as blocks (worker/editor/blocks.ts) when the owner built it so; `html` and `text` are compiled from them. */
    blocks: text('blocks', { mode: 'json' }).$type<unknown[]>(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('message_versions_step_version').on(t.storeId, t.flowId, t.stepId, t.lang, t.version)],
);
