import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const MESSAGE_STATUSES = ['queued', 'sending', 'sent', 'outbox', 'failed', 'inactive', 'opted_out'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/**
 * Every message a flow sends, on any channel, with its fully rendered content. The unique
 * (store, idempotency key) index is the exactly-once guarantee: the row is claimed before the
 * provider is called, so retried alarms, queue deliveries and provider calls cannot send twice.
 * `id` is the send id carried in Postmark Metadata and in tracking tokens. A Postmark email is
 * `queued` first and sent by the SEND queue consumer in batches, so the row also keeps everything
 * the provider needs (sender, headers, metadata, stream), not only the rendered bodies.
 */
export const messages = sqliteTable(
  'messages',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    contactId: text('contact_id').notNull(),
    flowId: text('flow_id'),
    stepId: text('step_id'),
    enrollmentId: text('enrollment_id'),
    /** `<enrollment id>:<node id>` for flow sends. */
    idempotencyKey: text('idempotency_key').notNull(),
    channel: text('channel', { enum: ['email', 'sms'] }).notNull(),
    status: text('status', { enum: MESSAGE_STATUSES }).notNull(),
    subject: text('subject'),
    html: text('html'),
    text: text('text').notNull(),
    to: text('to').notNull(),
    fromAddress: text('from_address'),
    replyTo: text('reply_to'),
    tag: text('tag'),
    listUnsubscribeUrl: text('list_unsubscribe_url'),
    metadata: text('metadata', { mode: 'json' }).$type<Record<string, string>>(),
    messageStream: text('message_stream'),
    providerMessageId: text('provider_message_id'),
    error: text('error'),
    /** A failed send the provider never accepted (throttled, down): safe to try again. */
    retryable: integer('retryable', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
    /**
     * When the row last went into `sending`: a row still `sending` well after this was handed to
     * the provider with no answer (timeout, crash) and is settled by outbound search before any resend.
     */
    sendingSince: integer('sending_since'),
  },
  (t) => [
    uniqueIndex('messages_store_idempotency').on(t.storeId, t.idempotencyKey),
    index('messages_store_contact').on(t.storeId, t.contactId, t.createdAt),
    index('messages_store_provider_id').on(t.storeId, t.providerMessageId),
    // The stuck-sends sweep looks across stores for the few rows still `sending`.
    index('messages_sending').on(t.status, t.sendingSince),
  ],
);
