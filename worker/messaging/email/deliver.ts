import type { Db } from '../../db/client';
import { claimMessage, completeMessage, type Message, type MessageOutcome } from '../../db/queries/messages';
import { noteUnknownOutcome } from '../../db/queries/unsettled-sends';
import { sha256Hex } from '../../lib/hmac';
import type { EmailChannel, EmailChannelResult, RenderedEmail, SmsChannel, SmsChannelResult } from '../channels';
import type { OutgoingSms } from '../sms/sms-client';
import { DEFAULT_SMS_WINDOW, smsDeferredUntil, type SmsWindow } from '../../journeys/time';

export type SendRecord = {
  storeId: string;
  contactId: string;
  idempotencyKey: string;
  flowId?: string;
  stepId?: string;
  enrollmentId?: string;
};

export type Delivery<R> = { message: Message; duplicate: boolean; result: R | null };

/** Deterministic, so a retried step renders its tracking links with the same send id as the row it claims. */
export async function messageIdFor(storeId: string, idempotencyKey: string): Promise<string> {
  return `snd_${(await sha256Hex(`${storeId}\n${idempotencyKey}`)).slice(0, 24)}`;
}

function outcomeOf(result: Exclude<EmailChannelResult | SmsChannelResult, { status: 'unknown' }>, now: number): MessageOutcome {
  switch (result.status) {
    case 'sent':
      return { status: 'sent', providerMessageId: 'messageId' in result ? result.messageId : result.sid, sentAt: now };
    case 'outbox':
      return { status: 'outbox' };
    case 'inactive':
    case 'opted_out':
      return { status: result.status, error: result.message };
    case 'failed':
      return { status: 'failed', error: result.message, retryable: result.retryable };
  }
}

/**
 * The columns every claimed message row takes from its send record. The id must be the one
 * messageIdFor derives, so a retried step reuses the same row and the same tracking links.
 */
export async function claimFields(record: SendRecord, id: string, now: number) {
  if (id !== (await messageIdFor(record.storeId, record.idempotencyKey))) {
    throw new Error('send id must come from messageIdFor(storeId, idempotencyKey)');
  }
  return {
    id,
    storeId: record.storeId,
    contactId: record.contactId,
    flowId: record.flowId ?? null,
    stepId: record.stepId ?? null,
    enrollmentId: record.enrollmentId ?? null,
    idempotencyKey: record.idempotencyKey,
    createdAt: now,
  };
}

async function deliver<R extends EmailChannelResult | SmsChannelResult>(
  d: Db,
  record: SendRecord,
  content: { channel: 'email' | 'sms'; id: string; to: string; subject: string | null; html: string | null; text: string },
  now: number,
  send: () => Promise<R>,
): Promise<Delivery<R>> {
  const claim = await claimMessage(d, {
    ...(await claimFields(record, content.id, now)),
    channel: content.channel,
    subject: content.subject,
    html: content.html,
    text: content.text,
    to: content.to,
  });
  if (!claim.claimed) return { message: claim.message, duplicate: true, result: null };
  let result: R;
  try {
    result = await send();
  } catch (err) {
    // A message that could not even be handed over must not stay claimed as `sending` forever.
    await completeMessage(d, record.storeId, content.id, { status: 'failed', error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
  if (result.status === 'unknown') {
    // No answer: the row stays `sending` and the stuck-sends sweep looks it up before any resend.
    await noteUnknownOutcome(d, record.storeId, [content.id], result.message);
    return { message: claim.message, duplicate: false, result };
  }
  const message = await completeMessage(d, record.storeId, content.id, outcomeOf(result, now));
  return { message: message ?? claim.message, duplicate: false, result };
}

/**
 * Sends one email at most once per (store, idempotency key): the row is claimed with the rendered
 * content before the provider is called. `inactive` means the caller must suppress the contact.
 */
export function deliverEmail(d: Db, channel: EmailChannel, record: SendRecord, email: RenderedEmail, now: number): Promise<Delivery<EmailChannelResult>> {
  const content = { channel: 'email' as const, id: email.sendId, to: email.to, subject: email.subject, html: email.html, text: email.text };
  return deliver(d, record, content, now, () => channel.send(email));
}

export type SmsDelivery = Delivery<SmsChannelResult> | { deferredUntil: number };

/**
 * Sends one SMS at most once, never outside the store's SMS window on the contact's clock: then nothing is recorded and
 * the caller re-arms a timer for `deferredUntil`. Consent is checked by the caller beforehand.
 */
export async function deliverSms(
  d: Db,
  channel: SmsChannel,
  record: SendRecord,
  sms: OutgoingSms & { sendId: string },
  clock: { now: number; timeZone: string; smsWindow?: SmsWindow },
): Promise<SmsDelivery> {
  const deferredUntil = smsDeferredUntil(clock.now, clock.timeZone, clock.smsWindow ?? DEFAULT_SMS_WINDOW);
  if (deferredUntil !== null) return { deferredUntil };
  const content = { channel: 'sms' as const, id: sms.sendId, to: sms.to, subject: null, html: null, text: sms.body };
  return deliver(d, record, content, clock.now, () => channel.send({ to: sms.to, body: sms.body }));
}
