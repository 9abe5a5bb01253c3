import type { Db } from '../db/client';
import { changeContactEmail, mergeContactRows, type SurvivorFields } from '../db/queries/contact-merge';
import { findContactByEmail, normalizeEmail, type Contact } from '../db/queries/contacts';
import { contactAgentName } from './domain-events';

type Status = Contact['status'];
const STRENGTH: Record<Status, number> = { active: 0, unsubscribed: 1, bounced: 2, complained: 3 };

/** The stronger suppression wins: a complaint stays a complaint, an unsubscribe stays an unsubscribe. */
function stronger(a: Status, b: Status): Status {
  return STRENGTH[a] >= STRENGTH[b] ? a : b;
}

/**
 * What a person's suppression becomes when they move to another address. Unsubscribes and complaints are the
 * person's acts and follow them; a bounce belongs to the address they leave, which stays suppressed on its own.
 */
function carriedStatus(status: Status): Status {
  return status === 'bounced' ? 'active' : status;
}

export type EmailChange = {
  /** The contact whose address changed (found by its WooCommerce customer id). */
  contact: Contact;
  email: string;
  wooCustomerId: number;
  now: number;
};

/**
 * An email changed in My Account (WooCommerce sends only the new address). The contact keeps its history under
 * the new address; an old address that was suppressed stays suppressed (by its hash); when the new address
 * already belongs to another contact, the two become one: the older contact id survives, the other's orders,
 * events, consent ledger, visitors and enrollments move onto it, and the other's ContactAgent ends its journeys
 * first, so nothing more is sent from them. Returns the contact that now holds the address.
 */
export async function followEmailChange(env: Env, d: Db, storeId: string, change: EmailChange): Promise<Contact> {
  const { contact, now } = change;
  const email = normalizeEmail(change.email);
  if (contact.email === email) return contact;
  const owner = await findContactByEmail(d, storeId, email);
  if (!owner) {
    const fields: SurvivorFields = { email, status: carriedStatus(contact.status) };
    await changeContactEmail(d, storeId, contact, fields, now);
    return { ...contact, ...fields, updatedAt: now };
  }
  const [keep, gone] = isOlder(owner, contact) ? [owner, contact] : [contact, owner];
  await env.CONTACT_AGENT.getByName(contactAgentName(storeId, gone.id)).endJourneys('merged');
  const survivor: SurvivorFields = {
    email,
    status: stronger(owner.status, carriedStatus(contact.status)),
    wooCustomerId: change.wooCustomerId,
    firstName: keep.firstName ?? gone.firstName,
    lastName: keep.lastName ?? gone.lastName,
    phone: keep.phone ?? gone.phone,
    birthday: keep.birthday ?? gone.birthday,
    locale: keep.locale ?? gone.locale,
    timezone: keep.timezone ?? gone.timezone,
  };
  const leftBehind = contact.email && contact.status !== 'active' ? contact.email : null;
  await mergeContactRows(d, storeId, { keep: keep.id, gone: gone.id }, survivor, leftBehind, now);
  return { ...keep, ...survivor, updatedAt: now };
}

function isOlder(a: Contact, b: Contact): boolean {
  return a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.id < b.id);
}
