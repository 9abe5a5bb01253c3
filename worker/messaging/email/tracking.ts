import { z } from 'zod';
import { CHOICE_PARAM } from '../../contacts/executors/send-email';
import type { MessageClicked, MessageEngagementRef, MessageOpened } from '../../contacts/domain-events';
import { publishDomainEvents } from '../../contacts/publish-events';
import type { Db } from '../../db/client';
import { findMessageBySendId, recordMessageClick } from '../../db/queries/message-clicks';
import type { Message } from '../../db/queries/messages';
import { findStoreSettings } from '../../db/queries/store-settings';
import { base64UrlDecode, importTokenKey } from '../../lib/tokens';
import { readClickToken, readOpenToken, readUnsubscribeToken, type ClickToken, type ContactRef } from './links';

const decoder = new TextDecoder();
const Leading = z.tuple([z.string().min(1).max(200)]).rest(z.unknown());

/**
 * The first field of a token's payload, read BEFORE the MAC is checked: it only says which store's
 * key to verify with (click and open tokens start with the send id, unsubscribe tokens with the
 * store id). Nothing else in the payload is used until the token verifies under that key.
 */
function leadingField(token: string): string | null {
  const body = base64UrlDecode(token.split('.', 1)[0] ?? '');
  if (!body) return null;
  try {
    const parsed = Leading.safeParse(JSON.parse(decoder.decode(body)));
    return parsed.success ? parsed.data[0] : null;
  } catch {
    return null;
  }
}

async function storeKey(d: Db, storeId: string): Promise<CryptoKey | null> {
  const secret = (await findStoreSettings(d, storeId))?.linkSigningKey;
  return secret ? importTokenKey(secret) : null;
}

async function tokenMessage(d: Db, token: string): Promise<{ message: Message; key: CryptoKey } | null> {
  const sendId = leadingField(token);
  const message = sendId ? await findMessageBySendId(d, sendId) : undefined;
  const key = message ? await storeKey(d, message.storeId) : null;
  return message && key ? { message, key } : null;
}

export type VerifiedClick = { message: Message; click: ClickToken };

/** A click token that verifies under the key of the store that sent its message, or null. */
export async function verifyClick(d: Db, token: string): Promise<VerifiedClick | null> {
  const found = await tokenMessage(d, token);
  const click = found && (await readClickToken(found.key, token));
  return found && click && click.sendId === found.message.id ? { message: found.message, click } : null;
}

export async function verifyOpen(d: Db, token: string): Promise<Message | null> {
  const found = await tokenMessage(d, token);
  const open = found && (await readOpenToken(found.key, token));
  return found && open && open.sendId === found.message.id ? found.message : null;
}

export async function verifyUnsubscribe(d: Db, token: string): Promise<ContactRef | null> {
  const storeId = leadingField(token);
  const key = storeId ? await storeKey(d, storeId) : null;
  return key && (await readUnsubscribeToken(key, token));
}

function flowRef(message: Message): MessageEngagementRef | null {
  return message.enrollmentId && message.stepId ? { enrollmentId: message.enrollmentId, nodeId: message.stepId } : null;
}

/** Choice links of an email ("choose your path") carry their key in the target URL. */
export function linkKeyOf(url: string): string | null {
  try {
    return new URL(url).searchParams.get(CHOICE_PARAM);
  } catch {
    return null;
  }
}

/**
 * Every click is kept; journeys hear once per (message, link): the event id is deterministic, so
 * both D1 and the ContactAgent drop a repeat.
 */
export async function recordClick(env: Env, d: Db, { message, click }: VerifiedClick, now: number): Promise<MessageClicked> {
  await recordMessageClick(d, {
    storeId: message.storeId,
    messageId: message.id,
    contactId: message.contactId,
    linkIndex: click.index,
    url: click.url,
    clickedAt: now,
  });
  const linkKey = linkKeyOf(click.url);
  const ref = flowRef(message);
  const event: MessageClicked = {
    id: `click:${message.id}:${click.index}`,
    storeId: message.storeId,
    contactId: message.contactId,
    occurredAt: now,
    type: 'message.clicked',
    messageId: message.id,
    url: click.url,
    linkKey,
    message: ref && { ...ref, url: click.url, ...(linkKey ? { linkKey } : {}) },
  };
  await publishDomainEvents(env, d, [event], 'server', now);
  return event;
}

/** The first open of a message is the event; later pixel loads change nothing. */
export async function recordOpen(env: Env, d: Db, message: Message, now: number): Promise<MessageOpened> {
  const event: MessageOpened = {
    id: `open:${message.id}`,
    storeId: message.storeId,
    contactId: message.contactId,
    occurredAt: now,
    type: 'message.opened',
    messageId: message.id,
    message: flowRef(message),
  };
  await publishDomainEvents(env, d, [event], 'server', now);
  return event;
}
