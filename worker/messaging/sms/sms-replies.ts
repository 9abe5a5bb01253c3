import type { SmsStop } from '../../contacts/domain-events';
import { publishDomainEvents } from '../../contacts/publish-events';
import type { Db } from '../../db/client';
import { findContactsByPhone } from '../../db/queries/contact-reach';
import { consentsUnlessEventStored, currentConsent, type NewConsent } from '../../db/queries/consents';
import type { Contact } from '../../db/queries/contacts';
import { insertEvents, type NewEvent } from '../../db/queries/events';
import type { InboundSms } from './sms-inbound';
import type { SmsKeyword } from './sms-rules';

type Reply = { storeId: string; message: InboundSms; keyword: SmsKeyword | null; now: number };

const eventKey = (message: InboundSms, contact: Contact) => `sms:${message.MessageSid}:${contact.id}`;

function eventRow(r: Reply, contact: Contact, type: string): NewEvent {
  const properties = { from: r.message.From, to: r.message.To, keyword: r.message.Body.trim().slice(0, 40), messageSid: r.message.MessageSid };
  return { storeId: r.storeId, eventKey: eventKey(r.message, contact), type, visitorId: null, contactId: contact.id, properties, source: 'server', occurredAt: r.now, receivedAt: r.now };
}

function smsConsent(r: Reply, contact: Contact, granted: boolean, source: NewConsent['source']): NewConsent {
  return { storeId: r.storeId, contactId: contact.id, channel: 'sms', purpose: 'marketing', granted, source, occurredAt: r.now };
}

/**
 * STOP (and its aliases) withdraws SMS marketing consent for every contact with that number and
 * tells their journeys (`sms.stop`). Each ledger row is written in the same batch as its event and
 * only if that event is new, so a redelivered webhook (same MessageSid) records nothing twice.
 */
async function stop(env: Env, d: Db, r: Reply, contacts: Contact[]): Promise<void> {
  const rows = contacts.map((c) => eventRow(r, c, 'sms.stop'));
  const alongside = contacts.flatMap((c) => consentsUnlessEventStored(d, r.storeId, eventKey(r.message, c), [smsConsent(r, c, false, 'unsubscribe')]));
  await insertEvents(d, rows, alongside);
  const events: SmsStop[] = contacts.map((c) => ({
    id: eventKey(r.message, c),
    storeId: r.storeId,
    contactId: c.id,
    occurredAt: r.now,
    type: 'sms.stop',
    from: r.message.From,
    keyword: r.message.Body.trim().slice(0, 40),
  }));
  await publishDomainEvents(env, d, events, 'server', r.now);
}

/**
 * START/UNSTOP lifts a STOP, as the carrier does: consent comes back only where the last word in
 * the ledger was an unsubscribe. Someone who never opted in is not opted in by texting START.
 */
async function start(d: Db, r: Reply, contacts: Contact[]): Promise<void> {
  const lifted: Contact[] = [];
  for (const c of contacts) {
    const current = await currentConsent(d, r.storeId, c.id, 'sms', 'marketing');
    if (current && !current.granted && current.source === 'unsubscribe') lifted.push(c);
  }
  const alongside = lifted.flatMap((c) => consentsUnlessEventStored(d, r.storeId, eventKey(r.message, c), [smsConsent(r, c, true, 'provider')]));
  await insertEvents(d, contacts.map((c) => eventRow(r, c, 'sms.start')), alongside);
}

/** Applies an inbound SMS keyword to the store's contacts with the sender's number. HELP and other text change nothing. */
export async function applySmsReply(env: Env, d: Db, reply: Reply): Promise<void> {
  if (reply.keyword !== 'stop' && reply.keyword !== 'start') return;
  const contacts = await findContactsByPhone(d, reply.storeId, reply.message.From);
  if (contacts.length === 0) return;
  if (reply.keyword === 'stop') await stop(env, d, reply, contacts);
  else await start(d, reply, contacts);
}
