import type { Db } from '../../db/client';
import { claimMessage, type Message } from '../../db/queries/messages';
import type { RenderedEmail } from '../channels';
import { claimFields, type SendRecord } from './deliver';

export const SEND_QUEUE = 'nightshift-send';
export const SEND_DEAD_LETTER_QUEUE = 'nightshift-send-dlq';

/** The SEND queue carries only a pointer: the row holds the rendered email, so it is sent as stored. */
export type SendQueueMessage = { storeId: string; messageId: string };

export function isSendQueueMessage(body: unknown): body is SendQueueMessage {
  if (typeof body !== 'object' || body === null) return false;
  const { storeId, messageId } = body as { storeId?: unknown; messageId?: unknown };
  return typeof storeId === 'string' && typeof messageId === 'string';
}

export type QueuedEmail = { message: Message; duplicate: boolean };

/**
 * Claims the email's row as `queued` with everything Postmark needs, then points the SEND queue at
 * it. A row already `queued` under the key is pointed at again: if an earlier enqueue failed after
 * the claim, this retry is what gets it sent, and a second pointer is harmless because the consumer
 * takes a row out of `queued` only once.
 */
export async function queueEmail(
  d: Db,
  queue: Queue,
  record: SendRecord,
  email: RenderedEmail & { messageStream: string },
  now: number,
): Promise<QueuedEmail> {
  const claim = await claimMessage(
    d,
    {
      ...(await claimFields(record, email.sendId, now)),
      channel: 'email',
      subject: email.subject,
      html: email.html,
      text: email.text,
      to: email.to,
      fromAddress: email.from,
      replyTo: email.replyTo ?? null,
      tag: email.tag ?? null,
      listUnsubscribeUrl: email.listUnsubscribeUrl,
      metadata: email.metadata ?? null,
      messageStream: email.messageStream,
    },
    'queued',
  );
  if (claim.message.status === 'queued') {
    const body: SendQueueMessage = { storeId: record.storeId, messageId: claim.message.id };
    await queue.send(body, { contentType: 'json' });
  }
  return { message: claim.message, duplicate: !claim.claimed };
}
