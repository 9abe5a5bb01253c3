import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client';
import { countMessageTransitions, latestFlowEmail, messageTransitionStatements, touchStatement, type MessageTransition } from '../db/queries/flow-rollups';
import { runBatch } from '../db/queries/batching';
import type { Message } from '../db/queries/messages';
import type { ProviderEventKind } from '../db/schema';
import { isHumanClick, isHumanOpen, type EngagementFacts } from './classify';

type Seen = { userAgent: string | null | undefined; at: number; method?: string | undefined };

function factsOf(message: Pick<Message, 'sentAt' | 'createdAt'>, seen: Seen): EngagementFacts {
  return { ...seen, sentAt: message.sentAt ?? message.createdAt };
}

function transition(message: Pick<Message, 'storeId' | 'id'>, kind: string, counter: MessageTransition['counter'], at: number) {
  return { storeId: message.storeId, messageId: message.id, kind, counter, at };
}

/**
 * An open of a message, by our pixel or Postmark's: a person's first open counts once in opened (human) and
 * is kept as a touch for attribution; a prefetch or proxy open counts once in opened (machine) only.
 */
export function openStatements(d: Db, message: Message, seen: Seen): BatchItem<'sqlite'>[] {
  if (!isHumanOpen(factsOf(message, seen))) return messageTransitionStatements(d, transition(message, 'open_machine', 'openedMachine', seen.at));
  return [...messageTransitionStatements(d, transition(message, 'open_human', 'openedHuman', seen.at)), touchStatement(d, message.storeId, message.id, 'open', seen.at)];
}

/** A click: unique per message when a person made it; a scanner's is counted apart and earns no credit. */
export function clickStatements(d: Db, message: Message, seen: Seen): BatchItem<'sqlite'>[] {
  if (!isHumanClick(factsOf(message, seen))) return messageTransitionStatements(d, transition(message, 'click_filtered', 'clickedFiltered', seen.at));
  return [...messageTransitionStatements(d, transition(message, 'click', 'clicked', seen.at)), touchStatement(d, message.storeId, message.id, 'click', seen.at)];
}

export async function countOpen(d: Db, message: Message, seen: Seen): Promise<void> {
  await runBatch(d, openStatements(d, message, seen));
}

export async function countClick(d: Db, message: Message, seen: Seen): Promise<void> {
  await runBatch(d, clickStatements(d, message, seen));
}

const OUTCOMES: Partial<Record<ProviderEventKind, MessageTransition['counter']>> = {
  delivery: 'delivered',
  hard_bounce: 'bounced',
  soft_bounce: 'bounced',
  complaint: 'complained',
  unsubscribe: 'unsubscribed',
};

/**
 * What a provider event adds to the flow's results, as statements stored with the event itself (so a
 * retried webhook, rolled back as a duplicate, adds nothing either).
 */
export function providerEventStatements(d: Db, kind: ProviderEventKind, message: Message | undefined, seen: Seen): BatchItem<'sqlite'>[] {
  if (!message?.flowId) return [];
  if (kind === 'open') return openStatements(d, message, seen);
  if (kind === 'click') return clickStatements(d, message, seen);
  const counter = OUTCOMES[kind];
  return counter ? messageTransitionStatements(d, transition(message, counter, counter, seen.at)) : [];
}

/**
 * An unsubscribe through our link or page, counted once per message: against the message whose link was
 * used, or, for a token that names only the contact, the newest flow email they were sent.
 */
export async function countUnsubscribe(d: Db, storeId: string, contactId: string, sendId: string | null | undefined, at: number): Promise<void> {
  const messageId = sendId ?? (await latestFlowEmail(d, storeId, contactId));
  if (messageId) await countMessageTransitions(d, [{ storeId, messageId, kind: 'unsubscribed', counter: 'unsubscribed', at }]);
}
