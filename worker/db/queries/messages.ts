import { and, desc, eq, inArray, lt, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { Db } from '../client';
import { prepared } from '../prepared';
import { messages, type MessageStatus } from '../schema';
import { chunks, IDS_PER_STATEMENT, runBatch } from './batching';
import { messageTransitionStatements, ownTimeTransitionStatements } from './flow-rollups';

export type Message = typeof messages.$inferSelect;
export type NewMessage = Pick<
  typeof messages.$inferInsert,
  'id' | 'storeId' | 'contactId' | 'flowId' | 'stepId' | 'enrollmentId' | 'idempotencyKey' | 'channel' | 'subject' | 'html' | 'text' | 'to' | 'createdAt'
> &
  Partial<Pick<typeof messages.$inferInsert, 'fromAddress' | 'replyTo' | 'tag' | 'listUnsubscribeUrl' | 'metadata' | 'messageStream'>>;
export type MessageOutcome = {
  status: Exclude<MessageStatus, 'sending' | 'queued'>;
  providerMessageId?: string | null;
  error?: string | null;
  retryable?: boolean;
  sentAt?: number | null;
};

function contentOf(row: NewMessage) {
  return {
    subject: row.subject,
    html: row.html,
    text: row.text,
    to: row.to,
    fromAddress: row.fromAddress ?? null,
    replyTo: row.replyTo ?? null,
    tag: row.tag ?? null,
    listUnsubscribeUrl: row.listUnsubscribeUrl ?? null,
    metadata: row.metadata ?? null,
    messageStream: row.messageStream ?? null,
  };
}

/** Every column a claim writes, by placeholder (the others keep their defaults: no provider id, error or send time). */
const CLAIMED = [
  'id', 'storeId', 'contactId', 'flowId', 'stepId', 'enrollmentId', 'idempotencyKey', 'channel', 'status', 'subject', 'html', 'text', 'to',
  'fromAddress', 'replyTo', 'tag', 'listUnsubscribeUrl', 'metadata', 'messageStream', 'createdAt', 'sendingSince',
] as const;

/** The claim's insert, built once per isolate: every send of a batch runs it. */
const claimInsert = prepared((d) =>
  d
    .insert(messages)
    .values(Object.fromEntries(CLAIMED.map((c) => [c, sql.placeholder(c)])) as Record<(typeof CLAIMED)[number], Placeholder>)
    .onConflictDoNothing()
    .returning()
    .prepare(),
);

/**
 * Claims the right to send: inserts the row as `sending` (or `queued` for the SEND queue), or takes
 * back a failure the provider never accepted. Anything else already recorded under the key means
 * "do not send again".
 */
export async function claimMessage(
  d: Db,
  row: NewMessage,
  status: 'sending' | 'queued' = 'sending',
): Promise<{ claimed: boolean; message: Message }> {
  const { id, storeId, contactId, idempotencyKey, channel, createdAt } = row;
  // A placeholder must have a value: what the row leaves out is written as NULL, as the builder's insert did.
  const optional = { flowId: row.flowId ?? null, stepId: row.stepId ?? null, enrollmentId: row.enrollmentId ?? null, subject: row.subject ?? null, html: row.html ?? null };
  const sendingSince = status === 'sending' ? createdAt : null;
  const inserted = await claimInsert(d).get({ ...contentOf(row), ...optional, id, storeId, contactId, idempotencyKey, channel, createdAt, status, sendingSince });
  if (inserted) return { claimed: true, message: inserted };
  const where = and(eq(messages.storeId, row.storeId), eq(messages.idempotencyKey, row.idempotencyKey));
  const retaken = await d
    .update(messages)
    .set({ ...contentOf(row), status, error: null, retryable: false, sendingSince: status === 'sending' ? row.createdAt : null })
    .where(and(where, eq(messages.status, 'failed'), eq(messages.retryable, true)))
    .returning()
    .get();
  if (retaken) return { claimed: true, message: retaken };
  const existing = await d.select().from(messages).where(where).get();
  if (!existing) throw new Error(`message ${row.idempotencyKey} vanished while claiming`);
  return { claimed: false, message: existing };
}

/** What a provider's answer writes on a message row. */
function outcomeColumns(outcome: MessageOutcome) {
  return {
    status: outcome.status,
    providerMessageId: outcome.providerMessageId ?? null,
    error: outcome.error ?? null,
    retryable: outcome.retryable ?? false,
    sentAt: outcome.sentAt ?? null,
  };
}

/** A flow message handed over (to the provider, or to the outbox with no provider) counts once as sent. */
function sentStatements(d: Db, storeId: string, id: string, outcome: MessageOutcome) {
  const handedOver = outcome.status === 'sent' || outcome.status === 'outbox';
  return handedOver ? messageTransitionStatements(d, { storeId, messageId: id, kind: 'sent', counter: 'sent', at: null }) : [];
}

export async function completeMessage(d: Db, storeId: string, id: string, outcome: MessageOutcome): Promise<Message | undefined> {
  const update = d
    .update(messages)
    .set(outcomeColumns(outcome))
    .where(and(eq(messages.storeId, storeId), eq(messages.id, id)))
    .returning();
  const [rows] = await d.batch([update, ...sentStatements(d, storeId, id, outcome)]);
  return rows[0];
}

const messageQuery = prepared((d) =>
  d
    .select()
    .from(messages)
    .where(and(eq(messages.storeId, sql.placeholder('storeId')), eq(messages.id, sql.placeholder('id'))))
    .prepare(),
);

export async function findMessage(d: Db, storeId: string, id: string): Promise<Message | undefined> {
  return (await messageQuery(d).all({ storeId, id }))[0];
}

export async function findMessageByProviderId(d: Db, storeId: string, providerMessageId: string): Promise<Message | undefined> {
  return d
    .select()
    .from(messages)
    .where(and(eq(messages.storeId, storeId), eq(messages.providerMessageId, providerMessageId)))
    .get();
}

export async function listContactMessages(d: Db, storeId: string, contactId: string, limit = 100): Promise<Message[]> {
  return d
    .select()
    .from(messages)
    .where(and(eq(messages.storeId, storeId), eq(messages.contactId, contactId)))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(limit)
    .all();
}

/**
 * The rows of a batch by id, if still in `status`. The `+` keeps SQLite off the store and status indexes, which it
 * otherwise picks (the plan read every queued row of the store, or of all stores, for each chunk of 90 ids): the
 * primary key finds the listed rows directly.
 */
function rowsIn(storeId: string, ids: string[], status: MessageStatus): SQL {
  return and(sql`+${messages.storeId} = ${storeId}`, inArray(messages.id, ids), sql`+${messages.status} = ${status}`) as SQL;
}

/**
 * Moves `queued` rows to `sending` and returns only the rows this call moved: a queue message
 * delivered twice, or two consumers racing, can never take the same row twice.
 */
export async function takeQueuedMessages(d: Db, storeId: string, ids: string[], now: number): Promise<Message[]> {
  const taken: Message[] = [];
  for (const part of chunks([...new Set(ids)], IDS_PER_STATEMENT)) {
    const rows = await d
      .update(messages)
      .set({ status: 'sending', sendingSince: now })
      .where(rowsIn(storeId, part, 'queued'))
      .returning()
      .all();
    taken.push(...rows);
  }
  return taken;
}

/** Hands rows the provider never accepted back to the queue, noting why they wait. */
export async function requeueMessages(d: Db, storeId: string, ids: string[], reason: string): Promise<void> {
  for (const part of chunks(ids, IDS_PER_STATEMENT)) {
    await d
      .update(messages)
      .set({ status: 'queued', error: reason })
      .where(rowsIn(storeId, part, 'sending'));
  }
}

/** Records every provider answer of a batch, one D1 round trip per chunk of rows. */
export async function completeMessages(d: Db, storeId: string, outcomes: { id: string; outcome: MessageOutcome }[]): Promise<void> {
  for (const part of chunks(outcomes, IDS_PER_STATEMENT)) await completeChunk(d, storeId, part);
}

/**
 * Three statements for the whole chunk, in one round trip: every row's outcome (the rows' values as one JSON list),
 * then the handed-over flow messages counted as sent, once each, per step and day.
 */
async function completeChunk(d: Db, storeId: string, outcomes: { id: string; outcome: MessageOutcome }[]): Promise<void> {
  const rows = JSON.stringify(outcomes.map(({ id, outcome }) => ({ id, ...outcomeColumns(outcome) })));
  const value = (key: keyof ReturnType<typeof outcomeColumns> | 'id') => sql`json_extract(o.value, ${`$.${key}`})`;
  const update = d
    .update(messages)
    .set({ status: value('status'), providerMessageId: value('providerMessageId'), error: value('error'), retryable: value('retryable'), sentAt: value('sentAt') })
    .from(sql`json_each(${rows}) as o`)
    // o first, then each row by its primary key (`+` keeps SQLite from walking every row of the store instead).
    .where(and(sql`+${messages.storeId} = ${storeId}`, eq(messages.id, value('id'))));
  const handedOver = outcomes.filter(({ outcome }) => outcome.status === 'sent' || outcome.status === 'outbox').map(({ id }) => id);
  await runBatch(d, [update, ...ownTimeTransitionStatements(d, { storeId, messageIds: handedOver, kind: 'sent', counter: 'sent' })]);
}

/**
 * Rows whose queue message was given up on: failed, retryable (a later claim under the same key
 * may take them back), with the reason. Rows already sent or sending are left as they are.
 */
export async function failQueuedMessages(d: Db, storeId: string, ids: string[], reason: string): Promise<number> {
  let failed = 0;
  for (const part of chunks(ids, IDS_PER_STATEMENT)) {
    const rows = await d
      .update(messages)
      .set({ status: 'failed', retryable: true, error: sql`${reason} || coalesce('; last error: ' || ${messages.error}, '')` })
      .where(rowsIn(storeId, part, 'queued'))
      .returning({ id: messages.id })
      .all();
    failed += rows.length;
  }
  return failed;
}

/**
 * SMS rows left in `sending` by a process that stopped mid-call: the SMS provider cannot be asked
 * by our id whether it took them, so they are never sent again (at most once), only marked so they
 * stop looking live. Email rows are settled by Postmark's outbound search instead (unsettled-sends).
 */
export async function markStuckSending(d: Db, storeId: string, createdBefore: number): Promise<number> {
  const rows = await d
    .update(messages)
    .set({ status: 'failed', retryable: false, error: 'outcome unknown: stopped while the provider was being called' })
    .where(and(eq(messages.storeId, storeId), eq(messages.channel, 'sms'), eq(messages.status, 'sending'), lt(messages.createdAt, createdBefore)))
    .returning({ id: messages.id })
    .all();
  return rows.length;
}
