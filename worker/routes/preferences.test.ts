import { SELF, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { preferencesFor } from '../contacts/privacy/preferences';
import { db } from '../db/client';
import { listConsents } from '../db/queries/consents';
import { findContact, findOrCreateContactByEmail } from '../db/queries/contacts';
import { listPreferenceAnswers } from '../db/queries/preferences';
import { upsertProductVersion } from '../db/queries/products';
import { linkSigningKey } from '../db/queries/store-settings';
import { upsertStore } from '../db/queries/stores';
import { importTokenKey } from '../lib/tokens';
import { preferenceUrl, unsubscribeUrl, type PreferenceChoice } from '../messaging/email/links';

const d = () => db(env.DB);
const BASE = 'http://localhost:8787';

async function seed(id: string, over: { name?: string; locale?: string; contactLocale?: string; phone?: string } = {}) {
  await upsertStore(d(), { id, name: over.name ?? 'Braise & Co', webhookSecret: `whsec_${id}_secret`, siteKey: `pk_${id}`, locale: over.locale ?? 'fr', createdAt: 1, updatedAt: 1 });
  const fields = { ...(over.contactLocale ? { locale: over.contactLocale } : {}), ...(over.phone ? { phone: over.phone } : {}) };
  const { contact } = await findOrCreateContactByEmail(d(), id, `${id}@example.com`, 1, fields);
  const key = await importTokenKey(await linkSigningKey(d(), id, 1));
  const ref = { storeId: id, contactId: contact.id, sendId: 'snd_1' };
  return { storeId: id, contact, key, url: (choice?: PreferenceChoice) => preferenceUrl({ baseUrl: BASE, key }, ref, choice) };
}

const nonceOf = (html: string) => /name="nonce" value="([^"]+)"/.exec(html)?.[1] ?? '';

async function post(url: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one);
  return SELF.fetch(url, { method: 'POST', body, redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'CF-Connecting-IP': '203.0.113.9', 'User-Agent': 'UA/1', ...headers } });
}

async function page(url: string) {
  const res = await SELF.fetch(url);
  const html = await res.text();
  return { res, html, nonce: nonceOf(html) };
}

describe('GET /p/:token', () => {
  it('answers a forged, tampered or foreign-store token with the 404 page', async () => {
    const a = await seed('pref-forged-a');
    const b = await seed('pref-forged-b');
    const good = await a.url();
    const token = good.slice(good.lastIndexOf('/') + 1);
    const [body, mac] = token.split('.');
    const foreign = await preferenceUrl({ baseUrl: BASE, key: b.key }, { storeId: a.storeId, contactId: a.contact.id, sendId: null });
    const unsubscribe = await unsubscribeUrl({ baseUrl: BASE, key: a.key }, { storeId: a.storeId, contactId: a.contact.id, sendId: null });
    for (const url of [`${BASE}/p/${body}.${mac?.replace(/^./, (ch) => (ch === 'A' ? 'B' : 'A'))}`, `${BASE}/p/garbage`, `${BASE}/p/${body}`, foreign, unsubscribe.replace('/u/', '/p/')]) {
      const res = await SELF.fetch(url);
      expect(res.status, url).toBe(404);
      expect(await res.text()).toContain('Lien introuvable');
    }
    expect((await SELF.fetch(good)).status).toBe(200);
  });

  it('answers 404 for a contact that no longer exists', async () => {
    const s = await seed('pref-gone');
    await env.DB.prepare('DELETE FROM contacts WHERE store_id = ?').bind(s.storeId).run();
    expect((await SELF.fetch(await s.url())).status).toBe(404);
  });

  it("speaks the contact's language, else the store's, and escapes what it prints", async () => {
    const fr = await seed('pref-fr', { name: '<script>alert(1)</script>' });
    await upsertProductVersion(d(), { storeId: fr.storeId, id: 1, type: 'simple', name: 'P', categories: [{ id: 1, name: '<b>Grills</b>', slug: 'grills' }], sourceModifiedAt: 1, updatedAt: 1 });
    const { res, html } = await page(await fr.url());
    expect(res.headers.get('Cache-Control')).toContain('no-store');
    expect(html).toContain('Vos préférences');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('&lt;b&gt;Grills&lt;/b&gt;');
    expect(html).toContain('value="category:grills"');
    const en = await seed('pref-en', { contactLocale: 'en-GB' });
    expect((await page(await en.url())).html).toContain('Your preferences');
  });
});

describe('POST /p/:token', () => {
  it('keeps the Origin of its own form posts: a no-referrer policy would make browsers send Origin: null', async () => {
    const s = await seed('pref-referrer');
    const res = await SELF.fetch(await s.url());
    expect(res.headers.get('Referrer-Policy')).toBe('same-origin');
  });

  it('refuses a POST without the form nonce, with a forged one, or from another origin (403), and changes nothing', async () => {
    const s = await seed('pref-csrf');
    const url = await s.url();
    const { nonce } = await page(url);
    expect((await post(url, { intent: 'save', email_frequency: 'weekly' })).status).toBe(403);
    expect((await post(url, { intent: 'save', nonce: 'abc.def', email_frequency: 'weekly' })).status).toBe(403);
    const other = await seed('pref-csrf-other');
    const otherNonce = (await page(await other.url())).nonce;
    expect((await post(url, { intent: 'save', nonce: otherNonce, email_frequency: 'weekly' })).status).toBe(403);
    expect((await post(url, { intent: 'save', nonce, email_frequency: 'weekly' }, { Origin: 'https://evil.example' })).status).toBe(403);
    expect((await preferencesFor(d(), s.storeId, s.contact.id)).email.frequency).toBe('as_it_comes');
    expect((await post(url, { intent: 'save', nonce, email_frequency: 'weekly' }, { Origin: BASE })).status).toBe(303);
    expect((await preferencesFor(d(), s.storeId, s.contact.id)).email.frequency).toBe('weekly');
  });

  it('rejects a malformed form with 400, never a 500', async () => {
    const s = await seed('pref-bad');
    const url = await s.url();
    const { nonce } = await page(url);
    const res = await post(url, { intent: 'save', nonce, email_frequency: 'hourly' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
  });

  it('saves topics and frequency per channel, and grant and withdrawal write ledger rows the same way', async () => {
    const s = await seed('pref-save', { phone: '+33611223344' });
    await upsertProductVersion(d(), { storeId: s.storeId, id: 1, type: 'simple', name: 'P', categories: [{ id: 1, name: 'Grills', slug: 'grills' }], sourceModifiedAt: 1, updatedAt: 1 });
    const url = await s.url();
    let { nonce, html } = await page(url);
    expect(html).toContain('name="sms_marketing"');
    const res = await post(url, {
      intent: 'save',
      nonce,
      email_marketing: 'on',
      email_frequency: 'paused',
      email_paused_until: '2030-01-15',
      email_topics: ['news', 'category:grills'],
      sms_frequency: 'monthly',
      sms_topics: ['news'],
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toMatch(/\?saved=1$/);
    const prefs = await preferencesFor(d(), s.storeId, s.contact.id);
    expect(prefs.email).toEqual({ frequency: 'paused', pausedUntil: Date.parse('2030-01-15T00:00:00Z'), mutedTopics: ['offers'] });
    expect(prefs.sms).toEqual({ frequency: 'monthly', pausedUntil: null, mutedTopics: ['offers', 'category:grills'] });
    let ledger = await listConsents(d(), s.storeId, s.contact.id);
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ channel: 'email', purpose: 'marketing', granted: true, textVersion: 'preference-centre/v1', proofUserAgent: 'UA/1' });
    expect(ledger[0]?.proofIpHash).toMatch(/^[0-9a-f]{64}$/);

    ({ nonce, html } = await page(`${url}?saved=1`));
    expect(html).toContain('Vos préférences sont enregistrées');
    await post(url, { intent: 'save', nonce, email_frequency: 'as_it_comes' });
    ledger = await listConsents(d(), s.storeId, s.contact.id);
    expect(ledger.map((r) => [r.channel, r.purpose, r.granted, r.source])).toEqual([
      ['email', 'marketing', false, 'unsubscribe'],
      ['email', 'marketing', true, 'storefront'],
    ]);
    expect((await findContact(d(), s.storeId, s.contact.id))?.status).toBe('unsubscribed');
    await post(url, { intent: 'save', nonce, email_frequency: 'as_it_comes' });
    expect(await listConsents(d(), s.storeId, s.contact.id)).toHaveLength(2);
    await post(url, { intent: 'save', nonce, email_marketing: 'on' });
    expect((await findContact(d(), s.storeId, s.contact.id))?.status).toBe('active');
  });

  it('records open-tracking consent from its own box', async () => {
    const s = await seed('pref-track');
    const url = await s.url();
    const { nonce } = await page(url);
    await post(url, { intent: 'save', nonce, email_tracking: 'on' });
    const rows = await listConsents(d(), s.storeId, s.contact.id);
    expect(rows.map((r) => [r.channel, r.purpose, r.granted])).toEqual([['email', 'tracking', true]]);
  });
});

describe('one-click preference choices', () => {
  it('records nothing on GET (scanners prefetch), records once on the POST button, idempotently', async () => {
    const s = await seed('pref-choice');
    const url = await s.url({ key: 'interest', value: 'deals' });
    const { res, html, nonce } = await page(url);
    expect(res.status).toBe(200);
    expect(html).toContain('deals');
    expect(await listPreferenceAnswers(d(), s.storeId, s.contact.id)).toHaveLength(0);
    expect((await post(url, { intent: 'choice', nonce })).status).toBe(200);
    expect((await post(url, { intent: 'choice', nonce })).status).toBe(200);
    expect(await listPreferenceAnswers(d(), s.storeId, s.contact.id)).toMatchObject([{ key: 'interest', value: 'deals', sendId: 'snd_1' }]);
    expect((await preferencesFor(d(), s.storeId, s.contact.id)).answers).toEqual({ interest: 'deals' });
    expect(await listConsents(d(), s.storeId, s.contact.id)).toHaveLength(0);
    expect((await post(url, { intent: 'save', nonce })).status).toBe(400);
  });
});
