import type { Db } from '../../db/client';
import { readContactPreferences, type PreferenceChannel } from '../../db/queries/preferences';
import type { Frequency } from '../../db/schema';

/**
 * A contact's preference-centre choices, as the send path reads them. Topics are `news`, `offers`
 * and `category:<product category slug>`; a contact who never visited the centre gets everything.
 */
export type ChannelPreferences = { frequency: Frequency; pausedUntil: number | null; mutedTopics: string[] };
export type Preferences = {
  email: ChannelPreferences;
  sms: ChannelPreferences;
  /** One-click answers from emails, by question key (welcome: `interest` → `deals`). */
  answers: Record<string, string>;
};

export const FIXED_TOPICS = ['news', 'offers'] as const;
export const categoryTopic = (slug: string) => `category:${slug}`;

const DAY = 86_400_000;
export const FREQUENCY_WINDOW_MS: Record<Frequency, number> = { as_it_comes: 0, weekly: 7 * DAY, monthly: 30 * DAY, paused: 0 };

export const DEFAULT_CHANNEL_PREFERENCES: ChannelPreferences = { frequency: 'as_it_comes', pausedUntil: null, mutedTopics: [] };

export async function preferencesFor(d: Db, storeId: string, contactId: string): Promise<Preferences> {
  const { channels, answers } = await readContactPreferences(d, storeId, contactId);
  const of = (channel: PreferenceChannel): ChannelPreferences => {
    const row = channels.find((c) => c.channel === channel);
    return row ? { frequency: row.frequency, pausedUntil: row.pausedUntil, mutedTopics: row.mutedTopics } : DEFAULT_CHANNEL_PREFERENCES;
  };
  return { email: of('email'), sms: of('sms'), answers };
}

export type SendIntent = {
  channel: PreferenceChannel;
  /** What the message is about; it is held back if the contact muted any of them (an offer on shoes is still an offer). */
  topics?: string[];
  now: number;
  /** The contact's last marketing send on this channel, for weekly/monthly frequencies. */
  lastSentAt?: number | null;
  /** Order and account messages, confirmations: preferences govern marketing only. */
  transactional?: boolean;
};

export type SendVerdict =
  | { allowed: true }
  /** `retryAt`: the earliest time the same send would pass, or null when only the contact can change it. */
  | { allowed: false; reason: 'paused' | 'frequency' | 'topic'; retryAt: number | null };

/**
 * Pure: whether the contact's preferences let this send go now. Consent and suppression are
 * checked elsewhere (the consent ledger, contact status); this only answers "did they ask for this,
 * this often, now?".
 */
export function allowsSend(preferences: Preferences, intent: SendIntent): SendVerdict {
  if (intent.transactional) return { allowed: true };
  const p = preferences[intent.channel];
  const muted = (intent.topics ?? []).some((t) => p.mutedTopics.includes(t));
  if (muted) return { allowed: false, reason: 'topic', retryAt: null };
  if (p.frequency === 'paused') {
    if (p.pausedUntil === null) return { allowed: false, reason: 'paused', retryAt: null };
    if (intent.now < p.pausedUntil) return { allowed: false, reason: 'paused', retryAt: p.pausedUntil };
    return { allowed: true };
  }
  const window = FREQUENCY_WINDOW_MS[p.frequency];
  if (window > 0 && intent.lastSentAt != null && intent.now < intent.lastSentAt + window) {
    return { allowed: false, reason: 'frequency', retryAt: intent.lastSentAt + window };
  }
  return { allowed: true };
}
