import { contactTimeZone } from '../time-zone';
import type { Db } from '../../db/client';
import { appendConsents, currentConsent, currentConsents, type Consent, type ConsentChannel, type ConsentPurpose, type ConsentSource } from '../../db/queries/consents';
import type { Contact } from '../../db/queries/contacts';
import type { Store } from '../../db/queries/stores';
import { hmacSha256, toHex } from '../../lib/hmac';
import { sharedRead, type ExecutorContext } from '../executors/types';

export type ConsentProof = { ipHash: string | null; userAgent: string | null };

export type ConsentChange = {
  storeId: string;
  contactId: string;
  channel: ConsentChannel;
  purpose: ConsentPurpose;
  granted: boolean;
  source: ConsentSource;
  /** The wording the person saw, e.g. `preference-centre/v1` or the pop-up's version. */
  textVersion: string | null;
  occurredAt: number;
  proof: ConsentProof;
};

/** Grant and withdrawal take the same path and leave the same evidence: one ledger row each. */
export async function recordConsent(d: Db, change: ConsentChange): Promise<void> {
  await appendConsents(d, [
    {
      storeId: change.storeId,
      contactId: change.contactId,
      channel: change.channel,
      purpose: change.purpose,
      granted: change.granted,
      source: change.source,
      textVersion: change.textVersion,
      occurredAt: change.occurredAt,
      proofIpHash: change.proof.ipHash,
      proofUserAgent: change.proof.userAgent,
    },
  ]);
}

/**
 * The IP is evidence, not data we need to read back: only a keyed hash is kept, the same one
 * /collect records (HMAC with the store's secret), so proofs from both paths can be compared.
 */
export async function proofOf(secret: string, headers: { ip: string | undefined; userAgent: string | undefined }): Promise<ConsentProof> {
  return {
    ipHash: headers.ip ? toHex(await hmacSha256(secret, `ip.${headers.ip}`)) : null,
    userAgent: headers.userAgent ? headers.userAgent.slice(0, 512) : null,
  };
}

/**
 * EU/EEA law (GDPR + ePrivacy) applies where the person is. We only know a timezone: the contact's,
 * else the store's. Every `Europe/*` zone counts (UK and Swiss law ask the same) plus the EU's
 * outermost regions that sit in other zones. Unknown means European: the safe default.
 */
const EU_OUTSIDE_EUROPE = new Set([
  'Atlantic/Canary',
  'Atlantic/Madeira',
  'Atlantic/Azores',
  'America/Guadeloupe',
  'America/Martinique',
  'America/Cayenne',
  'America/St_Barthelemy',
  'America/Marigot',
  'Indian/Reunion',
  'Indian/Mayotte',
  'Africa/Ceuta',
]);

export function isEuropean(timezone: string | null | undefined): boolean {
  if (!timezone) return true;
  return timezone.startsWith('Europe/') || EU_OUTSIDE_EUROPE.has(timezone);
}

/**
 * Whether an email to this contact may carry the open pixel (composeEmail's `trackOpens`).
 * An explicit ledger entry for (email, tracking) decides; without one, European contacts are not
 * tracked (ePrivacy asks for opt-in) and others are. Click tracking is not affected.
 */
export async function allowsOpenTracking(
  d: Db,
  store: Pick<Store, 'id' | 'timezone'>,
  contact: Pick<Contact, 'id' | 'timezone' | 'geoTimezone' | 'locale'>,
): Promise<boolean> {
  return openTrackingAllowed(await currentConsent(d, store.id, contact.id, 'email', 'tracking'), store, contact);
}

export function openTrackingAllowed(
  row: Consent | undefined,
  store: Pick<Store, 'id' | 'timezone'>,
  contact: Pick<Contact, 'id' | 'timezone' | 'geoTimezone' | 'locale'>,
): boolean {
  if (row) return row.granted;
  return !isEuropean(contactTimeZone(contact, store));
}

/**
 * The consents a flow message's gate and rendering ask about (each channel's marketing, email tracking), in force
 * now: one statement, read once per contact in a send-stage batch (nothing in the stage writes consent).
 */
export function sendConsents(ctx: ExecutorContext): Promise<Record<'email' | 'sms' | 'tracking', Consent | undefined>> {
  return sharedRead(ctx, `consents:${ctx.store.id}:${ctx.contact.id}`, () =>
    currentConsents(ctx.d, ctx.store.id, ctx.contact.id, { email: ['email', 'marketing'], sms: ['sms', 'marketing'], tracking: ['email', 'tracking'] }),
  );
}
