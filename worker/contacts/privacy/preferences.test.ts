import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { findOrCreateContactByEmail } from '../../db/queries/contacts';
import { saveChannelPreference, savePreferenceAnswer } from '../../db/queries/preferences';
import { countingD1 } from '../../messaging/test/counting-d1';
import { upsertStore } from '../../db/queries/stores';
import { allowsOpenTracking, isEuropean, recordConsent } from './consent';
import { allowsSend, DEFAULT_CHANNEL_PREFERENCES, preferencesFor, type Preferences } from './preferences';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 24, 12);
const prefs = (email: Partial<Preferences['email']> = {}, sms: Partial<Preferences['sms']> = {}): Preferences => ({
  email: { ...DEFAULT_CHANNEL_PREFERENCES, ...email },
  sms: { ...DEFAULT_CHANNEL_PREFERENCES, ...sms },
  answers: {},
});

describe('allowsSend', () => {
  it('lets everything through for a contact who never chose', () => {
    expect(allowsSend(prefs(), { channel: 'email', topics: ['offers'], now: NOW, lastSentAt: NOW - 1000 })).toEqual({ allowed: true });
  });

  it('holds back a muted topic on that channel only, with no retry time', () => {
    const p = prefs({ mutedTopics: ['offers'] });
    expect(allowsSend(p, { channel: 'email', topics: ['category:grills', 'offers'], now: NOW })).toEqual({ allowed: false, reason: 'topic', retryAt: null });
    expect(allowsSend(p, { channel: 'email', topics: ['news'], now: NOW }).allowed).toBe(true);
    expect(allowsSend(p, { channel: 'sms', topics: ['offers'], now: NOW }).allowed).toBe(true);
  });

  it('spaces sends weekly or monthly from the last marketing send', () => {
    const weekly = prefs({ frequency: 'weekly' });
    expect(allowsSend(weekly, { channel: 'email', now: NOW, lastSentAt: NOW - 2 * DAY })).toEqual({ allowed: false, reason: 'frequency', retryAt: NOW + 5 * DAY });
    expect(allowsSend(weekly, { channel: 'email', now: NOW, lastSentAt: NOW - 7 * DAY }).allowed).toBe(true);
    expect(allowsSend(weekly, { channel: 'email', now: NOW, lastSentAt: null }).allowed).toBe(true);
    const monthly = prefs({}, { frequency: 'monthly' });
    expect(allowsSend(monthly, { channel: 'sms', now: NOW, lastSentAt: NOW - 20 * DAY })).toMatchObject({ allowed: false, retryAt: NOW + 10 * DAY });
  });

  it('pauses until the date (then resumes), or until the contact changes it', () => {
    const until = prefs({ frequency: 'paused', pausedUntil: NOW + DAY });
    expect(allowsSend(until, { channel: 'email', now: NOW })).toEqual({ allowed: false, reason: 'paused', retryAt: NOW + DAY });
    expect(allowsSend(until, { channel: 'email', now: NOW + DAY }).allowed).toBe(true);
    expect(allowsSend(prefs({ frequency: 'paused' }), { channel: 'email', now: NOW })).toEqual({ allowed: false, reason: 'paused', retryAt: null });
  });

  it('never blocks transactional messages', () => {
    const p = prefs({ frequency: 'paused', mutedTopics: ['offers'] });
    expect(allowsSend(p, { channel: 'email', topics: ['offers'], now: NOW, transactional: true })).toEqual({ allowed: true });
  });
});

describe('preferencesFor', () => {
  it('reads the stored choices per channel, defaults elsewhere', async () => {
    await upsertStore(db(env.DB), { id: 'prefs-read', name: 's', webhookSecret: 'whsec_prefs_read_x', siteKey: 'pk_prefs_read', createdAt: 1, updatedAt: 1 });
    const { contact } = await findOrCreateContactByEmail(db(env.DB), 'prefs-read', 'p@example.com', 1);
    await saveChannelPreference(db(env.DB), 'prefs-read', contact.id, { channel: 'sms', frequency: 'weekly', pausedUntil: null, mutedTopics: ['news'] }, 1);
    const p = await preferencesFor(db(env.DB), 'prefs-read', contact.id);
    expect(p.email).toEqual(DEFAULT_CHANNEL_PREFERENCES);
    expect(p.sms).toEqual({ frequency: 'weekly', pausedUntil: null, mutedTopics: ['news'] });
    expect(p.answers).toEqual({});
  });

  it('reads both channels and the one-click answers in one statement, and nothing of another contact', async () => {
    const d = db(env.DB);
    await upsertStore(d, { id: 'prefs-all', name: 's', webhookSecret: 'whsec_prefs_all_x', siteKey: 'pk_prefs_all', createdAt: 1, updatedAt: 1 });
    const { contact } = await findOrCreateContactByEmail(d, 'prefs-all', 'all@example.com', 1);
    const { contact: other } = await findOrCreateContactByEmail(d, 'prefs-all', 'other@example.com', 1);
    await saveChannelPreference(d, 'prefs-all', contact.id, { channel: 'email', frequency: 'paused', pausedUntil: 5_000, mutedTopics: ['offers', 'category:shoes'] }, 1);
    await saveChannelPreference(d, 'prefs-all', contact.id, { channel: 'sms', frequency: 'monthly', pausedUntil: null, mutedTopics: [] }, 1);
    await saveChannelPreference(d, 'prefs-all', other.id, { channel: 'email', frequency: 'weekly', pausedUntil: null, mutedTopics: ['news'] }, 1);
    await savePreferenceAnswer(d, { storeId: 'prefs-all', contactId: contact.id, key: 'interest', value: 'deals', sendId: 'snd_1', answeredAt: 2 });
    await savePreferenceAnswer(d, { storeId: 'prefs-all', contactId: other.id, key: 'interest', value: 'news', sendId: null, answeredAt: 2 });
    const log: string[] = [];
    const p = await preferencesFor(db(countingD1(env.DB, log)), 'prefs-all', contact.id);
    expect(log).toHaveLength(1);
    expect(p).toEqual({
      email: { frequency: 'paused', pausedUntil: 5_000, mutedTopics: ['offers', 'category:shoes'] },
      sms: { frequency: 'monthly', pausedUntil: null, mutedTopics: [] },
      answers: { interest: 'deals' },
    });
  });
});

describe('allowsOpenTracking', () => {
  it('treats Europe/* and EU outermost regions as European, unknown as European', () => {
    expect(isEuropean('Europe/Paris')).toBe(true);
    expect(isEuropean('Europe/London')).toBe(true);
    expect(isEuropean('Indian/Reunion')).toBe(true);
    expect(isEuropean(null)).toBe(true);
    expect(isEuropean('America/New_York')).toBe(false);
  });

  it("is off by default in Europe, on elsewhere, and the ledger's (email, tracking) row decides when present", async () => {
    const d = db(env.DB);
    await upsertStore(d, { id: 'track-eu', name: 's', webhookSecret: 'whsec_track_eu_xx', siteKey: 'pk_track_eu', timezone: 'Europe/Paris', createdAt: 1, updatedAt: 1 });
    const store = { id: 'track-eu', timezone: 'Europe/Paris' };
    const { contact } = await findOrCreateContactByEmail(d, 'track-eu', 't@example.com', 1);
    expect(await allowsOpenTracking(d, store, contact)).toBe(false);
    expect(await allowsOpenTracking(d, store, { ...contact, timezone: 'America/Chicago' })).toBe(true);
    expect(await allowsOpenTracking(d, { id: 'track-eu', timezone: 'America/Toronto' }, contact)).toBe(true);
    const change = { storeId: 'track-eu', contactId: contact.id, channel: 'email', purpose: 'tracking', source: 'api', textVersion: null, proof: { ipHash: null, userAgent: null } } as const;
    await recordConsent(d, { ...change, granted: true, occurredAt: 10 });
    expect(await allowsOpenTracking(d, store, contact)).toBe(true);
    await recordConsent(d, { ...change, granted: false, occurredAt: 20 });
    expect(await allowsOpenTracking(d, store, { ...contact, timezone: 'America/Chicago' })).toBe(false);
  });
});
