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
import type { Identify, IdentifySource } from '../ingest/collect/beacon';
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
  contactId: string | null;
  created: boolean;
  /** What may be stored on the event: never the token, never an email nobody consented to give us. */
  properties: Record<string, unknown>;
};

/**
 * Who an `identify` names. A signed batch is trusted outright. A browser batch names a contact only through a
 * valid identity token, or through an email given together with marketing consent: anything else could let a
 * stranger attach their browsing to someone else's address, or make us mail an address that never opted in.
 */
export async function resolveIdentify(ctx: IdentifyContext, event: Identify): Promise<IdentifyOutcome> {
  const properties: Record<string, unknown> = { source: event.source ?? (ctx.trusted ? 'plugin' : 'storefront') };
  if (event.consent) properties.consent = event.consent;

  const byToken = await contactFromToken(ctx, event.identityToken, properties);
  if (byToken) return { contactId: byToken, created: false, properties };

  if (!event.email || !(ctx.trusted || event.consent?.emailMarketing === true)) {
    return { contactId: null, created: false, properties };
  }
  const fields = definedFields({ firstName: event.firstName, lastName: event.lastName, phone: event.phone });
  const { contact, created } = await findOrCreateContactByEmail(ctx.d, ctx.storeId, event.email, ctx.receivedAt, fields);
  properties.email = normalizeEmail(event.email);
  if (event.phone) properties.phone = event.phone;
  return { contactId: contact.id, created, properties };
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

/** Consent flags become ledger rows with their proof; an absent flag records nothing. */
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
  const rows: NewConsent[] = [];
  if (flags.emailMarketing !== undefined) rows.push(row('email', flags.emailMarketing));
  if (flags.smsMarketing !== undefined) rows.push(row('sms', flags.smsMarketing));
  return rows;
}

/** The ledger has no "account" source: a consent given on the account page is a storefront consent. */
function consentSource(source: IdentifySource | undefined, trusted: boolean): ConsentSource {
  if (!source) return trusted ? 'plugin' : 'storefront';
  return source === 'account' ? 'storefront' : source;
}
