import { and, desc, eq, inArray, ne } from 'drizzle-orm';
import type { Db } from '../client';
import { messageClicks, providerEvents, sendDecisions } from '../schema';
import { chunks, IDS_PER_STATEMENT } from './batching';

/** Read models of the console's contact timeline: what we sent, what became of it, and what we held back. */

export type MessageOutcome = { messageId: string; kind: (typeof providerEvents.$inferSelect)['kind']; occurredAt: number };
export type MessageClickRow = { messageId: string; url: string; clickedAt: number };
export type HeldSend = Pick<typeof sendDecisions.$inferSelect, 'idempotencyKey' | 'flowId' | 'channel' | 'decision' | 'reason' | 'until' | 'deferrals' | 'decidedAt'>;

/** What the provider and our own redirects recorded about these messages: deliveries, opens, bounces, clicks. */
export async function messageEngagement(d: Db, storeId: string, messageIds: string[]): Promise<{ outcomes: MessageOutcome[]; clicks: MessageClickRow[] }> {
  const out = { outcomes: [] as MessageOutcome[], clicks: [] as MessageClickRow[] };
  // D1 binds at most 100 parameters per statement.
  for (const part of chunks(messageIds, IDS_PER_STATEMENT)) {
    const [outcomes, clicks] = await d.batch([
      d
        .select({ messageId: providerEvents.messageId, kind: providerEvents.kind, occurredAt: providerEvents.occurredAt })
        .from(providerEvents)
        .where(and(eq(providerEvents.storeId, storeId), inArray(providerEvents.messageId, part), ne(providerEvents.kind, 'ignored')))
        .orderBy(providerEvents.occurredAt),
      d
        .select({ messageId: messageClicks.messageId, url: messageClicks.url, clickedAt: messageClicks.clickedAt })
        .from(messageClicks)
        .where(and(eq(messageClicks.storeId, storeId), inArray(messageClicks.messageId, part)))
        .orderBy(messageClicks.clickedAt),
    ]);
    for (const o of outcomes) if (o.messageId) out.outcomes.push({ ...o, messageId: o.messageId });
    out.clicks.push(...clicks);
  }
  return out;
}

/** Sends the guardrails deferred or skipped (their latest decision), newest first. */
export async function heldSends(d: Db, storeId: string, contactId: string, limit: number): Promise<HeldSend[]> {
  return d
    .select({
      idempotencyKey: sendDecisions.idempotencyKey,
      flowId: sendDecisions.flowId,
      channel: sendDecisions.channel,
      decision: sendDecisions.decision,
      reason: sendDecisions.reason,
      until: sendDecisions.until,
      deferrals: sendDecisions.deferrals,
      decidedAt: sendDecisions.decidedAt,
    })
    .from(sendDecisions)
    .where(and(eq(sendDecisions.storeId, storeId), eq(sendDecisions.contactId, contactId), ne(sendDecisions.decision, 'send')))
    .orderBy(desc(sendDecisions.decidedAt))
    .limit(limit)
    .all();
}
