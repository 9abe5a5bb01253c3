import type { BatchItem } from 'drizzle-orm/batch';
import type { MessageClicked, MessageEngagementRef, MessageOpened } from '../contacts/domain-events';
import { publishDomainEvents } from '../contacts/publish-events';
import type { Db } from '../db/client';
import { findContact, findContactByEmail } from '../db/queries/contacts';
import { findMessage, findMessageByProviderId, type Message } from '../db/queries/messages';
import { STORE_ADMIN_RECIPIENT, storeProviderEvent } from '../db/queries/provider-events';
import { providerReactivationStatements, providerSuppressionStatements, type SuppressedStatus } from '../db/queries/suppression';
import type { ProviderEventKind } from '../db/schema';
import { sha256Hex } from '../lib/hmac';
import { linkKeyOf } from '../messaging/email/tracking';
import { providerEventStatements } from '../measurement/engagement';
import { evaluateReputation } from './breaker';
import { classify, dedupeKey, occurredAt, recipientOf, type PostmarkEvent } from './postmark-events';
import { applyLeadSignals, providerLeadKind } from '../segments/scores/lead-scoring';

export type IngestOutcome = { stored: boolean; kind: ProviderEventKind; messageId: string | null; contactId: string | null };

type Link = { message: Message | undefined; contactId: string | null };

/**
 * Our message and contact behind an event: Metadata first (send_id, contact_id; only when it names this
 * store), then Postmark's MessageID, then the recipient's address (reactivations carry neither).
 */
async function linkEvent(d: Db, storeId: string, event: PostmarkEvent): Promise<Link> {
  const meta = event.Metadata ?? {};
  const ours = !meta.store_id || meta.store_id === storeId;
  const sendId = ours ? meta.send_id : undefined;
  const byMeta = sendId ? await findMessage(d, storeId, sendId) : undefined;
  const message = byMeta ?? (event.MessageID ? await findMessageByProviderId(d, storeId, event.MessageID) : undefined);
  if (message) return { message, contactId: message.contactId === STORE_ADMIN_RECIPIENT ? null : message.contactId };
  const metaContact = ours && meta.contact_id ? await findContact(d, storeId, meta.contact_id) : undefined;
  const contact = metaContact ?? (await findContactByEmail(d, storeId, recipientOf(event)));
  return { message: undefined, contactId: contact?.id ?? null };
}

function suppressedStatus(kind: ProviderEventKind, event: PostmarkEvent): SuppressedStatus | null {
  if (kind === 'hard_bounce') return 'bounced';
  if (kind === 'complaint') return 'complained';
  if (event.RecordType !== 'SubscriptionChange' || !event.SuppressSending) return null;
  if (event.SuppressionReason === 'HardBounce') return 'bounced';
  return event.SuppressionReason === 'SpamComplaint' ? 'complained' : 'unsubscribed';
}

async function effectsOf(d: Db, storeId: string, kind: ProviderEventKind, event: PostmarkEvent, contactId: string | null, now: number): Promise<BatchItem<'sqlite'>[]> {
  if (!contactId) return [];
  const at = occurredAt(event);
  if (kind === 'reactivation') return providerReactivationStatements(d, storeId, contactId, at, now);
  const status = suppressedStatus(kind, event);
  return status ? providerSuppressionStatements(d, { storeId, contactId, status, occurredAt: at, now }) : [];
}

function flowRef(message: Message): MessageEngagementRef | null {
  return message.enrollmentId && message.stepId ? { enrollmentId: message.enrollmentId, nodeId: message.stepId } : null;
}

/**
 * Opens and clicks Postmark saw, as the same domain events our own pixel and redirect produce. Ids match
 * ours for opens (`open:<send id>`), so a message opened under both trackers is heard once.
 */
async function engagementEvent(event: PostmarkEvent, message: Message, at: number): Promise<MessageOpened | MessageClicked | null> {
  const base = { storeId: message.storeId, contactId: message.contactId, occurredAt: at, messageId: message.id };
  if (event.RecordType === 'Open') return { ...base, id: `open:${message.id}`, type: 'message.opened', message: flowRef(message) };
  if (event.RecordType !== 'Click') return null;
  const url = event.OriginalLink;
  const linkKey = linkKeyOf(url);
  const ref = flowRef(message);
  return {
    ...base,
    id: `click:${message.id}:pm:${(await sha256Hex(url)).slice(0, 16)}`,
    type: 'message.clicked',
    url,
    linkKey,
    message: ref && { ...ref, url, ...(linkKey ? { linkKey } : {}) },
  };
}

const JUDGED: ReadonlySet<ProviderEventKind> = new Set(['hard_bounce', 'complaint', 'unsubscribe']);

/**
 * Stores one Postmark event with its effects exactly once (suppression and consent withdrawal, or the lift
 * of a provider suppression), then does what is safe to repeat on every retry: tells the contact's agent
 * about opens and clicks, and re-judges the store's reputation after a bounce, complaint or unsubscribe.
 */
export async function ingestPostmarkEvent(env: Env, d: Db, storeId: string, event: PostmarkEvent, traceId: string | undefined, now: number): Promise<IngestOutcome> {
  const kind = classify(event);
  const { message, contactId } = await linkEvent(d, storeId, event);
  const agent = event.RecordType === 'Open' || event.RecordType === 'Click' ? event.UserAgent : null;
  const results = providerEventStatements(d, kind, message, { userAgent: agent, at: occurredAt(event) });
  const effects = [...(await effectsOf(d, storeId, kind, event, contactId, now)), ...results];
  const stored = await storeProviderEvent(
    d,
    {
      storeId,
      dedupeKey: dedupeKey(event, traceId),
      stream: event.MessageStream,
      recordType: event.RecordType,
      kind,
      messageId: message?.id ?? null,
      providerMessageId: event.MessageID,
      contactId,
      recipient: recipientOf(event),
      occurredAt: occurredAt(event),
      receivedAt: now,
      details: event,
    },
    effects,
  );
  const engagement = message && contactId ? await engagementEvent(event, message, occurredAt(event)) : null;
  if (engagement) await publishDomainEvents(env, d, [engagement], 'server', now);
  const lead = providerLeadKind(kind);
  if (stored && contactId && lead) await applyLeadSignals(d, storeId, contactId, [{ kind: lead, at: occurredAt(event) }]);
  if (JUDGED.has(kind)) await evaluateReputation(env, d, storeId, now);
  return { stored, kind, messageId: message?.id ?? null, contactId };
}
