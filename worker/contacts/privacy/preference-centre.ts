import { z } from 'zod';
import type { Db } from '../../db/client';
import { markContactUnsubscribed } from '../../db/queries/contact-reach';
import { currentConsent } from '../../db/queries/consents';
import { findCurrentContact } from '../../db/queries/contact-merge';
import { resubscribeContact, type Contact } from '../../db/queries/contacts';
import {
  findConfirmation,
  listProductCategories,
  saveChannelPreference,
  savePreferenceAnswer,
  type Category,
  type ConsentConfirmation,
  type PreferenceChannel,
} from '../../db/queries/preferences';
import { findStoreSettings } from '../../db/queries/store-settings';
import { findStore, type Store } from '../../db/queries/stores';
import { FREQUENCIES } from '../../db/schema';
import { sha256Hex } from '../../lib/hmac';
import { base64UrlDecode, importTokenKey, signToken, verifyToken } from '../../lib/tokens';
import { readPreferenceToken, type PreferenceChoice } from '../../messaging/email/links';
import { allowsOpenTracking, recordConsent, type ConsentProof } from './consent';
import { readConfirmToken } from './double-opt-in';
import { categoryTopic, FIXED_TOPICS, preferencesFor, type Preferences } from './preferences';

/** The wording version recorded in the ledger for choices made on this page. */
export const PREFERENCE_CENTRE_TEXT = 'preference-centre/v1';

type Resolved = { d: Db; store: Store; contact: Contact; key: CryptoKey };
export type PreferenceTarget = Resolved &
  ({ kind: 'centre'; sendId: string | null; choice: PreferenceChoice | null } | { kind: 'confirm'; confirmation: ConsentConfirmation });

const Leading = z.tuple([z.string().min(1).max(64)]).rest(z.unknown());

/** The store id a token names, read before the MAC is checked only to pick the key to check it with. */
function claimedStore(token: string): string | null {
  const body = base64UrlDecode(token.split('.', 1)[0] ?? '');
  if (!body) return null;
  try {
    const parsed = Leading.safeParse(JSON.parse(new TextDecoder().decode(body)));
    return parsed.success ? parsed.data[0] : null;
  } catch {
    return null;
  }
}

/**
 * What a /p/ token opens: the preference centre (purpose `p`, optionally with a one-click choice)
 * or a double opt-in confirmation (purpose `pc`). Null for a forged or foreign token, an erased
 * contact, or a confirmation that no longer exists.
 */
export async function resolvePreferenceToken(d: Db, token: string): Promise<PreferenceTarget | null> {
  const storeId = claimedStore(token);
  const secret = storeId ? (await findStoreSettings(d, storeId))?.linkSigningKey : null;
  if (!storeId || !secret) return null;
  const key = await importTokenKey(secret);
  const pref = await readPreferenceToken(key, token);
  const confirm = pref ? null : await readConfirmToken(key, token);
  const ref = pref ?? confirm;
  if (!ref || ref.storeId !== storeId) return null;
  const [store, contact] = await Promise.all([findStore(d, storeId), findCurrentContact(d, storeId, ref.contactId)]);
  if (!store || !contact) return null;
  if (pref) return { d, store, contact, key, kind: 'centre', sendId: pref.sendId, choice: pref.choice };
  const confirmation = confirm && (await findConfirmation(d, storeId, confirm.confirmationId));
  if (!confirmation || confirmation.contactId !== contact.id) return null;
  return { d, store, contact, key, kind: 'confirm', confirmation };
}

/**
 * CSRF: the token in the URL is the credential, and a form nonce proves the POST comes from a page
 * we rendered for that very token, recently. (The route also refuses a foreign Origin.)
 */
const NONCE_PURPOSE = 'pf';
const NONCE_TTL_MS = 24 * 3_600_000;

export async function formNonce(key: CryptoKey, token: string, now: number): Promise<string> {
  return signToken(key, NONCE_PURPOSE, JSON.stringify([(await sha256Hex(token)).slice(0, 32), now]));
}

export async function checkFormNonce(key: CryptoKey, token: string, nonce: string, now: number): Promise<boolean> {
  const payload = await verifyToken(key, NONCE_PURPOSE, nonce);
  if (!payload) return false;
  const parsed = z.tuple([z.string(), z.number()]).safeParse(JSON.parse(payload));
  if (!parsed.success) return false;
  const [tokenHash, issuedAt] = parsed.data;
  return tokenHash === (await sha256Hex(token)).slice(0, 32) && issuedAt <= now && now - issuedAt < NONCE_TTL_MS;
}

export type Topic = { id: string; category: Category | null };
export type ChannelView = { channel: PreferenceChannel; consent: boolean; preferences: Preferences['email'] };
export type PreferenceView = { topics: Topic[]; channels: ChannelView[]; tracking: boolean };

export async function preferenceView(d: Db, store: Store, contact: Contact): Promise<PreferenceView> {
  const [categories, prefs, tracking] = await Promise.all([
    listProductCategories(d, store.id),
    preferencesFor(d, store.id, contact.id),
    allowsOpenTracking(d, store, contact),
  ]);
  const topics: Topic[] = [...FIXED_TOPICS.map((id) => ({ id, category: null })), ...categories.map((c) => ({ id: categoryTopic(c.slug), category: c }))];
  const channels: ChannelView[] = [];
  for (const channel of channelsOf(contact)) {
    const consent = await currentConsent(d, store.id, contact.id, channel, 'marketing');
    channels.push({ channel, consent: consent?.granted ?? false, preferences: prefs[channel] });
  }
  return { topics, channels, tracking };
}

const channelsOf = (contact: Contact): PreferenceChannel[] => [...(contact.email ? ['email' as const] : []), ...(contact.phone ? ['sms' as const] : [])];

const On = z.literal('on').optional();
const List = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string().max(200)).max(200));
const Day = z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/)]).optional();
export const PreferenceForm = z.object({
  nonce: z.string().min(1).max(400),
  intent: z.enum(['save', 'choice', 'confirm']),
  email_marketing: On,
  email_tracking: On,
  email_frequency: z.enum(FREQUENCIES).default('as_it_comes'),
  email_paused_until: Day,
  email_topics: List,
  sms_marketing: On,
  sms_frequency: z.enum(FREQUENCIES).default('as_it_comes'),
  sms_paused_until: Day,
  sms_topics: List,
});
export type PreferenceForm = z.infer<typeof PreferenceForm>;

function pausedUntil(day: string | undefined): number | null {
  if (!day) return null;
  const at = Date.parse(`${day}T00:00:00Z`);
  return Number.isFinite(at) ? at : null;
}

/**
 * Saves the page as submitted. Consent changes write ledger rows with this request's proof, the
 * same way for a grant and a withdrawal; an unchanged box writes nothing.
 */
export async function savePreferenceForm(t: Resolved, form: PreferenceForm, proof: ConsentProof, now: number): Promise<void> {
  const view = await preferenceView(t.d, t.store, t.contact);
  const shown = view.topics.map((topic) => topic.id);
  for (const c of view.channels) {
    const wanted = c.channel === 'email' ? form.email_topics : form.sms_topics;
    const kept = c.preferences.mutedTopics.filter((topic) => !shown.includes(topic));
    const frequency = c.channel === 'email' ? form.email_frequency : form.sms_frequency;
    const until = frequency === 'paused' ? pausedUntil(c.channel === 'email' ? form.email_paused_until : form.sms_paused_until) : null;
    const mutedTopics = [...kept, ...shown.filter((topic) => !wanted.includes(topic))];
    await saveChannelPreference(t.d, t.store.id, t.contact.id, { channel: c.channel, frequency, pausedUntil: until, mutedTopics }, now);
    const granted = (c.channel === 'email' ? form.email_marketing : form.sms_marketing) === 'on';
    if (granted !== c.consent) await changeConsent(t, c.channel, 'marketing', granted, proof, now);
  }
  const tracking = form.email_tracking === 'on';
  if (t.contact.email && tracking !== view.tracking) await changeConsent(t, 'email', 'tracking', tracking, proof, now);
}

async function changeConsent(t: Resolved, channel: PreferenceChannel, purpose: 'marketing' | 'tracking', granted: boolean, proof: ConsentProof, now: number) {
  const source = granted ? 'storefront' : 'unsubscribe';
  await recordConsent(t.d, { storeId: t.store.id, contactId: t.contact.id, channel, purpose, granted, source, textVersion: PREFERENCE_CENTRE_TEXT, occurredAt: now, proof });
  if (channel !== 'email' || purpose !== 'marketing') return;
  // Keep the contact's email status in step with the ledger, as /u/ does for a withdrawal.
  if (granted) await resubscribeContact(t.d, t.store.id, t.contact.id, now);
  else await markContactUnsubscribed(t.d, t.store.id, t.contact.id, now);
}

/** A one-click answer: idempotent, and never a consent (it cannot subscribe anyone to anything). */
export async function recordChoice(t: Resolved, sendId: string | null, choice: PreferenceChoice, now: number): Promise<void> {
  await savePreferenceAnswer(t.d, { storeId: t.store.id, contactId: t.contact.id, key: choice.key.slice(0, 100), value: choice.value.slice(0, 200), sendId, answeredAt: now });
}
