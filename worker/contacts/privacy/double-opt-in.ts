import { z } from 'zod';
import { creditWidgetConfirmation } from '../../widgets/results';
import type { Db } from '../../db/client';
import { currentConsent, type NewConsent } from '../../db/queries/consents';
import { findContact, resubscribeContact, type Contact } from '../../db/queries/contacts';
import {
  countConfirmationsSince,
  expireConfirmations,
  findConfirmationByEvent,
  findPendingConfirmation,
  findPrivacySettings,
  markConfirmed,
  requestConfirmation,
  type ConsentConfirmation,
} from '../../db/queries/preferences';
import { findStoreSettings, linkSigningKey } from '../../db/queries/store-settings';
import type { Store } from '../../db/queries/stores';
import { sha256Hex } from '../../lib/hmac';
import { importTokenKey, signToken, verifyToken } from '../../lib/tokens';
import { selectEmailChannel } from '../../messaging/channels';
import { providerConfigOf } from '../../messaging/provider-config';
import { composeEmail } from '../../messaging/email/compose';
import { deliverEmail, messageIdFor } from '../../messaging/email/deliver';
import type { LinkSigning } from '../../messaging/email/links';
import { resolveLocale } from '../../messaging/templates';
import { recordConsent, type ConsentProof } from './consent';
import { publishDomainEvents } from '../publish-events';
import { proveClaim } from '../identity-claims';
import { senderOf, storeMergeFields } from '../../messaging/email/brand';

const DAY = 86_400_000;
/** Its own token purpose: a preference-centre link can never confirm a subscription, nor the reverse. */
const PURPOSE = 'pc';
const ConfirmPayload = z.tuple([z.string(), z.string(), z.string()]);
export type ConfirmToken = { storeId: string; contactId: string; confirmationId: string };

export async function confirmUrl(s: LinkSigning, t: ConfirmToken): Promise<string> {
  const token = await signToken(s.key, PURPOSE, JSON.stringify([t.storeId, t.contactId, t.confirmationId]));
  return `${s.baseUrl.replace(/\/+$/, '')}/p/${token}`;
}

export async function readConfirmToken(key: CryptoKey, token: string): Promise<ConfirmToken | null> {
  const payload = await verifyToken(key, PURPOSE, token);
  if (payload === null) return null;
  try {
    const p = ConfirmPayload.safeParse(JSON.parse(payload));
    return p.success ? { storeId: p.data[0], contactId: p.data[1], confirmationId: p.data[2] } : null;
  } catch {
    return null;
  }
}

export type ConfirmationRequest = {
  /** The stored event that carried the consent: a redelivery finds the same confirmation. */
  eventKey: string;
  source: ConsentConfirmation['source'];
  textVersion: string | null;
  proof: ConsentProof;
  now: number;
  /** Asked from an unsigned browser batch: the per-IP and per-store limits apply. */
  fromBrowser: boolean;
};

/** At most one confirmation email per address a day, and a cap per IP and per store (site key) an hour. */
export const CONFIRMATION_LIMITS = { perAddressMs: DAY, perIpPerHour: 5, perStorePerHour: 200 } as const;
const HOUR = 3_600_000;

/**
 * Double opt-in: instead of a granted ledger row, a pending confirmation and one confirmation email.
 * Nothing is asked of a contact who already consents; an address with a confirmation pending, or asked
 * within the last day, gets no second email (a pop-up filled twice, or twenty concurrent beacons, must not
 * become more emails); a redelivered request finds its own row and its send stays idempotent.
 */
export async function requestEmailConfirmation(env: Env, d: Db, store: Store, contact: Contact, req: ConfirmationRequest): Promise<ConsentConfirmation | null> {
  if (!contact.email) return null;
  const consent = await currentConsent(d, store.id, contact.id, 'email', 'marketing');
  if (consent?.granted) return null;
  const own = await findConfirmationByEvent(d, store.id, req.eventKey);
  if (own) {
    if (own.status === 'pending') await sendConfirmationEmail(env, d, store, contact, own, req.now);
    return own;
  }
  const waiting = await findPendingConfirmation(d, store.id, contact.id, 'email', req.now);
  if (waiting) return waiting;
  if (await overConfirmationLimits(d, store.id, contact.id, req)) return null;
  await expireConfirmations(d, store.id, req.now);
  const settings = await findPrivacySettings(d, store.id);
  const row = await requestConfirmation(d, {
    id: `cc_${(await sha256Hex(`${store.id}\n${req.eventKey}`)).slice(0, 24)}`,
    storeId: store.id,
    contactId: contact.id,
    channel: 'email',
    purpose: 'marketing',
    source: req.source,
    textVersion: req.textVersion,
    status: 'pending',
    eventKey: req.eventKey,
    requestedAt: req.now,
    expiresAt: req.now + settings.confirmationDays * DAY,
    proofIpHash: req.proof.ipHash,
    proofUserAgent: req.proof.userAgent,
  });
  // Undefined: a concurrent request for the same address won the one pending slot and sends the one email.
  if (row?.status === 'pending') await sendConfirmationEmail(env, d, store, contact, row, req.now);
  return row ?? null;
}

async function overConfirmationLimits(d: Db, storeId: string, contactId: string, req: ConfirmationRequest): Promise<boolean> {
  const counts = await countConfirmationsSince(
    d,
    { storeId, contactId, ipHash: req.proof.ipHash },
    { contact: req.now - CONFIRMATION_LIMITS.perAddressMs, ip: req.now - HOUR, store: req.now - HOUR },
  );
  const over =
    counts.forContact > 0 ||
    (req.fromBrowser && (counts.fromIp >= CONFIRMATION_LIMITS.perIpPerHour || counts.forStore >= CONFIRMATION_LIMITS.perStorePerHour));
  if (over) console.warn(`confirmation for ${storeId}/${contactId} not sent: limit reached`, counts);
  return over;
}

const BUTTON = { fr: 'Je confirme mon inscription', en: 'Yes, subscribe me' } as const;

/** Transactional, sent once per confirmation (its idempotency key), never open-tracked. */
async function sendConfirmationEmail(env: Env, d: Db, store: Store, contact: Contact, row: ConsentConfirmation, now: number): Promise<void> {
  const settings = await findStoreSettings(d, store.id);
  const key = await importTokenKey(await linkSigningKey(d, store.id, now));
  const signing = { baseUrl: env.PUBLIC_BASE_URL, key };
  const idempotencyKey = `consent-confirm:${row.id}`;
  const sendId = await messageIdFor(store.id, idempotencyKey);
  const locale = contact.locale ?? store.locale;
  const site = store.siteUrl ?? env.PUBLIC_BASE_URL;
  const email = await composeEmail({
    sendId,
    storeId: store.id,
    contactId: contact.id,
    from: senderOf(store, settings, site),
    to: contact.email ?? '',
    ...(settings?.replyTo ? { replyTo: settings.replyTo } : {}),
    tag: 'consent-confirm',
    templateId: 'consent.confirm',
    locale,
    data: {
      store: storeMergeFields(store, settings, site),
      contact: { first_name: contact.firstName },
      choices: [{ label: BUTTON[resolveLocale(locale)], url: await confirmUrl(signing, { storeId: store.id, contactId: contact.id, confirmationId: row.id }) }],
    },
    signing,
    trackOpens: false,
  });
  // Postmark's default transactional stream: a confirmation is not a broadcast.
  const channel = selectEmailChannel(providerConfigOf(env, settings, { postmarkMessageStream: 'outbound' }));
  const delivery = await deliverEmail(d, channel, { storeId: store.id, contactId: contact.id, idempotencyKey }, email, now);
  if (delivery.result?.status === 'failed' && delivery.result.retryable) throw new Error(`confirmation ${row.id}: ${delivery.result.message}`);
}

/**
 * The click on the confirmation email's button: only now is email marketing granted, with the proof
 * of this confirming request. A returning person who had unsubscribed (or been erased) and confirms
 * again is active again: this is the explicit re-subscription. Returns false for anything not
 * pending (already confirmed, expired).
 */
export async function confirmEmailConsent(env: Env, d: Db, row: ConsentConfirmation, proof: ConsentProof, now: number): Promise<boolean> {
  if (!(await markConfirmed(d, row.storeId, row.id, now))) return false;
  await recordConsent(d, {
    storeId: row.storeId,
    contactId: row.contactId,
    channel: row.channel,
    purpose: row.purpose,
    granted: true,
    source: row.source,
    textVersion: row.textVersion,
    occurredAt: now,
    proof,
  });
  await resubscribeContact(d, row.storeId, row.contactId, now);
  await creditWidgetConfirmation(env, d, { storeId: row.storeId, contactId: row.contactId, textVersion: row.textVersion }, now);
  const visitorId = row.eventKey.slice(0, row.eventKey.indexOf(':'));
  await proveClaim(d, row.storeId, visitorId, row.contactId, 'double_opt_in', now);
  // Journeys that start when the contact becomes reachable (welcome) start now.
  const identified = { id: `${row.eventKey}:confirmed`, storeId: row.storeId, contactId: row.contactId, occurredAt: now, visitorId, type: 'identified' as const, source: 'double_opt_in' };
  await publishDomainEvents(env, d, [identified], 'server', now);
  return true;
}

/**
 * The contacts whose email grant must be confirmed first: every one from an unsigned browser batch
 * when the store uses double opt-in; and, from any source (a signed checkout included, otherwise a
 * confirmed single opt-in), a contact who is unsubscribed or came back after an erasure: only their
 * own confirmation from the mailbox lifts that.
 */
export async function confirmationsRequired(d: Db, storeId: string, trusted: boolean, contactIds: string[]): Promise<Set<string>> {
  if (contactIds.length === 0) return new Set();
  if (!trusted && (await findPrivacySettings(d, storeId)).doubleOptIn) return new Set(contactIds);
  const contacts = await Promise.all([...new Set(contactIds)].map((id) => findContact(d, storeId, id)));
  return new Set(contacts.filter((c) => c?.status === 'unsubscribed').map((c) => c!.id));
}

/**
 * Splits an identify's ledger rows: an email marketing grant under double opt-in waits for its
 * confirmation; everything else (withdrawals, SMS) is recorded as it comes.
 */
export function splitForConfirmation(rows: NewConsent[], doubleOptIn: boolean): { direct: NewConsent[]; confirm: NewConsent | null } {
  const confirm = doubleOptIn ? (rows.find((r) => r.channel === 'email' && r.purpose === 'marketing' && r.granted) ?? null) : null;
  return { direct: rows.filter((r) => r !== confirm), confirm };
}

/** The storefront side: turns a held-back grant into a pending confirmation and its email. */
export async function requestStorefrontConfirmation(env: Env, d: Db, store: Store, row: NewConsent, eventKey: string, fromBrowser: boolean): Promise<void> {
  const contact = await findContact(d, store.id, row.contactId);
  if (!contact) return;
  await requestEmailConfirmation(env, d, store, contact, {
    eventKey,
    source: row.source,
    textVersion: row.textVersion ?? null,
    proof: { ipHash: row.proofIpHash ?? null, userAgent: row.proofUserAgent ?? null },
    now: row.occurredAt,
    fromBrowser,
  });
}
