import type { Db } from '../db/client';
import { attachCartToContact } from '../db/queries/carts';
import {
  findContactByWooCustomerId,
  findOrCreateContactByEmail,
  normalizeEmail,
  updateContactProfile,
} from '../db/queries/contacts';
import type { ConsentSource, NewConsent } from '../db/queries/consents';
import { attachEventsToContact, findPendingCustomerVisitors } from '../db/queries/events';
import { linkVisitorToContact } from '../db/queries/visitors';
import type { ConsentAct, Identify, IdentifySource } from '../ingest/collect/beacon';
import type { Secrets } from '../lib/hmac';
import { verifyIdentityToken } from '../lib/identity-token';

export type IdentifyContext = {
  d: Db;
  storeId: string;
  /** Signs identity tokens (the store's webhook secret; during a rotation's grace period, the old one too). */
  secret: Secrets;
  visitorId: string;
  /** The batch carried a valid plugin-bridge signature. */
  trusted: boolean;
  receivedAt: number;
};

export type IdentifyOutcome = {
  /** The contact this identify proves the visitor to be (signed batch or valid identity token). */
  contactId: string | null;
  /**
   * The contact a browser only claims to be: an email typed with marketing consent, unproven. The visitor is not
   * linked to it and nothing about the visitor reaches it; a confirmed double opt-in proves it (`proveClaim`).
   */
  claimedContactId: string | null;
  created: boolean;
  /** What may be stored on the event: never the token, never an email nobody consented to give us. */
  properties: Record<string, unknown>;
};

/**
 * Who an `identify` names. A signed batch is proof, and so is a valid identity token. An email from an unsigned
 * browser batch is a claim: given with marketing consent it finds (or starts, with the email alone) the contact
 * that a confirmation email can then prove, but names no one: anything else would let a stranger attach their
 * browsing to someone else's address, set her name, or make us mail her.
 */
export async function resolveIdentify(ctx: IdentifyContext, event: Identify): Promise<IdentifyOutcome> {
  const properties: Record<string, unknown> = { source: event.source ?? (ctx.trusted ? 'plugin' : 'storefront') };
  if (event.consent) properties.consent = event.consent;
  const none = { contactId: null, claimedContactId: null, created: false, properties };

  const byToken = await contactFromToken(ctx, event.identityToken, properties);
  if (byToken) return { ...none, contactId: byToken };
  if (!event.email) return none;
  if (!ctx.trusted) return claimOf(ctx, event.email, event.consent?.emailMarketing === true, properties);

  const fields = definedFields({ firstName: event.firstName, lastName: event.lastName, phone: event.phone });
  const { contact, created } = await findOrCreateContactByEmail(ctx.d, ctx.storeId, event.email, ctx.receivedAt, fields);
  properties.email = normalizeEmail(event.email);
  if (event.phone) properties.phone = event.phone;
  return { ...none, contactId: contact.id, created };
}

/** A browser's email: without consent it is not kept at all; with it, a claim on the contact of that address. */
async function claimOf(ctx: IdentifyContext, email: string, consents: boolean, properties: Record<string, unknown>): Promise<IdentifyOutcome> {
  if (!consents) return { contactId: null, claimedContactId: null, created: false, properties };
  const { contact, created } = await findOrCreateContactByEmail(ctx.d, ctx.storeId, email, ctx.receivedAt);
  properties.claimedEmail = normalizeEmail(email);
  return { contactId: null, claimedContactId: contact.id, created, properties };
}

function definedFields<T extends Record<string, string | undefined>>(fields: T): Partial<Record<keyof T, string>> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<Record<keyof T, string>>;
}

async function contactFromToken(
  ctx: IdentifyContext,
  token: string | undefined,
  properties: Record<string, unknown>,
): Promise<string | null> {
  if (!token) return null;
  const check = await verifyIdentityToken(ctx.secret, token, Math.floor(ctx.receivedAt / 1000));
  if (!check.ok) {
    properties.identityTokenRejected = check.reason;
    return null;
  }
  const contact = await findContactByWooCustomerId(ctx.d, ctx.storeId, check.wooCustomerId);
  if (contact) {
    properties.wooCustomerId = check.wooCustomerId;
    return contact.id;
  }
  // The customer webhook has not arrived yet; `resolvePendingCustomerLinks` finishes the link when it does.
  properties.pendingWooCustomerId = check.wooCustomerId;
  return null;
}

/** Profile fields only a trusted source may write onto an existing contact. */
export async function applyTrustedProfile(ctx: IdentifyContext, contactId: string, event: Identify): Promise<void> {
  if (!ctx.trusted) return;
  await updateContactProfile(
    ctx.d,
    ctx.storeId,
    contactId,
    { firstName: event.firstName, lastName: event.lastName, phone: event.phone, birthday: event.birthday },
    ctx.receivedAt,
  );
}

/** Links the visitor to the contact and hands over the anonymous history and cart. Safe to repeat. */
export async function linkVisitor(d: Db, storeId: string, visitorId: string, contactId: string): Promise<void> {
  await linkVisitorToContact(d, storeId, visitorId, contactId);
  await attachEventsToContact(d, storeId, visitorId, contactId);
  await attachCartToContact(d, storeId, visitorId, contactId);
}

/**
 * For the webhook side: when a Woo customer becomes a contact, finish the links their identity tokens asked
 * for earlier. Returns how many visitors were linked.
 */
export async function resolvePendingCustomerLinks(
  d: Db,
  storeId: string,
  wooCustomerId: number,
  contactId: string,
): Promise<number> {
  const visitorIds = await findPendingCustomerVisitors(d, storeId, wooCustomerId);
  for (const visitorId of visitorIds) await linkVisitor(d, storeId, visitorId, contactId);
  return visitorIds.length;
}

export type ConsentProof = { ipHash: string | null; userAgent: string | null };

/**
 * Consent flags become ledger rows with their proof. Only acts count: `true` (a ticked box) grants, and
 * `"withdrawn"` (an explicit opt-out in My Account, signed by the plugin) withdraws. `false` or an absent flag is
 * an unticked box: nothing was given now and nothing is taken back, so it records nothing. Rows that would not
 * change the consent in force are dropped when written (`consentsUnlessEventStored`).
 */
export function consentRows(
  storeId: string,
  contactId: string,
  event: Identify,
  occurredAt: number,
  trusted: boolean,
  proof: ConsentProof,
): NewConsent[] {
  const flags = event.consent;
  if (!flags) return [];
  const source = consentSource(event.source, trusted);
  const row = (channel: NewConsent['channel'], granted: boolean): NewConsent => ({
    storeId,
    contactId,
    channel,
    purpose: 'marketing',
    granted,
    source,
    textVersion: flags.textVersion ?? null,
    occurredAt,
    proofIpHash: proof.ipHash,
    proofUserAgent: proof.userAgent,
  });
  const act = (channel: NewConsent['channel'], flag: ConsentAct | undefined): NewConsent[] => {
    if (flag === true) return [row(channel, true)];
    return flag === 'withdrawn' && trusted ? [row(channel, false)] : [];
  };
  return [...act('email', flags.emailMarketing), ...act('sms', flags.smsMarketing)];
}

/** The ledger has no "account" source: a consent given on the account page is a storefront consent. */
function consentSource(source: IdentifySource | undefined, trusted: boolean): ConsentSource {
  if (!source) return trusted ? 'plugin' : 'storefront';
  return source === 'account' ? 'storefront' : source;
}
