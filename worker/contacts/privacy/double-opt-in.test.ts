import { SELF, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { listConsents } from '../../db/queries/consents';
import { findContactByEmail } from '../../db/queries/contacts';
import { listEventsOfContact } from '../../db/queries/events';
import { listContactMessages } from '../../db/queries/messages';
import { findConfirmation, findPendingConfirmation } from '../../db/queries/preferences';
import { linkSigningKey } from '../../db/queries/store-settings';
import { upsertStore } from '../../db/queries/stores';
import { processCollectMessage } from '../../ingest/collect/collect-processor';
import type { CollectMessage } from '../../ingest/messages';
import { importTokenKey } from '../../lib/tokens';
import { confirmUrl } from './double-opt-in';
import { confirmationExpiryJob } from './privacy-jobs';

const d = () => db(env.DB);
const AUTH = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const DAY = 86_400_000;

async function seedStore(id: string) {
  await upsertStore(d(), { id, name: 'Braise & Co', webhookSecret: `whsec_${id}_secret`, siteKey: `pk_${id}`, siteUrl: 'https://shop.example', createdAt: 1, updatedAt: 1 });
  return id;
}

function signup(storeId: string, email: string, opts: { trusted?: boolean; at?: number; eventId?: string } = {}): CollectMessage {
  const at = opts.at ?? Date.now();
  const identify = { id: opts.eventId ?? 'evt_signup_01', type: 'identify', ts: at - 1000, email, source: 'popup', consent: { emailMarketing: true, textVersion: 'popup-v3' } };
  return { kind: 'collect', storeId, trusted: opts.trusted ?? false, visitorId: 'v_doi_visitor', receivedAt: at, ipHash: 'b'.repeat(64), userAgent: 'Browser/1', events: [identify] };
}

const linkIn = (text: string) => /http:\/\/localhost:8787\/p\/[A-Za-z0-9_.-]+/.exec(text)?.[0] ?? '';
const nonceOf = (html: string) => /name="nonce" value="([^"]+)"/.exec(html)?.[1] ?? '';
const postForm = (url: string, fields: Record<string, string>) =>
  SELF.fetch(url, { method: 'POST', body: new URLSearchParams(fields), headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'CF-Connecting-IP': '198.51.100.7', 'User-Agent': 'Clicker/2' } });

describe('double opt-in for storefront email consent', () => {
  it('holds the grant back, sends one confirmation email, and grants only on the POST of its confirm page', async () => {
    const storeId = await seedStore('doi-flow');
    const m = signup(storeId, 'doi@example.com');
    await processCollectMessage(env, m);
    await processCollectMessage(env, m);
    await processCollectMessage(env, signup(storeId, 'doi@example.com', { eventId: 'evt_signup_02' }));
    const contact = (await findContactByEmail(d(), storeId, 'doi@example.com'))!;
    expect(await listConsents(d(), storeId, contact.id)).toEqual([]);
    const messages = await listContactMessages(d(), storeId, contact.id);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ status: 'outbox', to: 'doi@example.com', channel: 'email' });
    expect(messages[0]?.subject).toBe('Confirmez votre inscription à Braise & Co');
    expect(messages[0]?.html).not.toContain('/o/');
    const link = linkIn(messages[0]!.text);
    expect(link).not.toBe('');

    const page = await SELF.fetch(link);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Confirmer votre inscription');
    expect(await listConsents(d(), storeId, contact.id)).toEqual([]);

    const res = await postForm(link, { intent: 'confirm', nonce: nonceOf(html) });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Inscription confirmée');
    const ledger = await listConsents(d(), storeId, contact.id);
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ channel: 'email', purpose: 'marketing', granted: true, source: 'popup', textVersion: 'popup-v3', proofUserAgent: 'Clicker/2' });
    const events = await listEventsOfContact(d(), storeId, contact.id);
    expect(events.some((e) => e.type === 'identified' && e.properties.source === 'double_opt_in')).toBe(true);

    expect((await postForm(link, { intent: 'confirm', nonce: nonceOf(html) })).status).toBe(200);
    expect(await listConsents(d(), storeId, contact.id)).toHaveLength(1);
    expect((await postForm(link, { intent: 'save', nonce: nonceOf(html) })).status).toBe(400);
  });

  it('expires unconfirmed requests: the link dies and the scheduled job marks them expired', async () => {
    const storeId = await seedStore('doi-expire');
    await processCollectMessage(env, signup(storeId, 'late@example.com', { at: Date.now() - 8 * DAY }));
    const contact = (await findContactByEmail(d(), storeId, 'late@example.com'))!;
    const [message] = await listContactMessages(d(), storeId, contact.id);
    const link = linkIn(message!.text);
    expect((await SELF.fetch(link)).status).toBe(404);
    const pending = await env.DB.prepare('SELECT id FROM consent_confirmations WHERE store_id = ?').bind(storeId).first<{ id: string }>();
    await confirmationExpiryJob.run(env, Date.now());
    expect((await findConfirmation(d(), storeId, pending!.id))?.status).toBe('expired');
    expect(await findPendingConfirmation(d(), storeId, contact.id, 'email', 0)).toBeUndefined();
    expect(await listConsents(d(), storeId, contact.id)).toEqual([]);
  });

  it('rejects a confirm token for another confirmation or signed with another key', async () => {
    const storeId = await seedStore('doi-forged');
    await processCollectMessage(env, signup(storeId, 'forge@example.com'));
    const contact = (await findContactByEmail(d(), storeId, 'forge@example.com'))!;
    const key = await importTokenKey(await linkSigningKey(d(), storeId, 1));
    const other = await importTokenKey('another-key-of-at-least-16-chars');
    const wrongId = await confirmUrl({ baseUrl: 'http://localhost:8787', key }, { storeId, contactId: contact.id, confirmationId: 'cc_nope' });
    const wrongKey = await confirmUrl({ baseUrl: 'http://localhost:8787', key: other }, { storeId, contactId: contact.id, confirmationId: 'cc_nope' });
    expect((await SELF.fetch(wrongId)).status).toBe(404);
    expect((await SELF.fetch(wrongKey)).status).toBe(404);
  });

  it('counts a signed plugin checkout consent as confirmed (single opt-in): no confirmation email', async () => {
    const storeId = await seedStore('doi-trusted');
    await processCollectMessage(env, signup(storeId, 'buyer@example.com', { trusted: true }));
    const contact = (await findContactByEmail(d(), storeId, 'buyer@example.com'))!;
    expect((await listConsents(d(), storeId, contact.id)).map((r) => r.granted)).toEqual([true]);
    expect(await listContactMessages(d(), storeId, contact.id)).toEqual([]);
  });

  it('follows the per-store switch, except for an unsigned email claim, which only its confirmation proves', async () => {
    const storeId = await seedStore('doi-off');
    const res = await SELF.fetch(`http://x/api/stores/${storeId}/privacy`, { method: 'PATCH', headers: AUTH, body: JSON.stringify({ doubleOptIn: false }) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { settings: { doubleOptIn: boolean } }).settings.doubleOptIn).toBe(false);
    await processCollectMessage(env, signup(storeId, 'single@example.com'));
    const contact = (await findContactByEmail(d(), storeId, 'single@example.com'))!;
    // Issue 10: a browser's email is a claim; without a confirmation anyone could subscribe anyone.
    expect(await listConsents(d(), storeId, contact.id)).toEqual([]);
    expect(await listContactMessages(d(), storeId, contact.id)).toHaveLength(1);
    const bad = await SELF.fetch(`http://x/api/stores/${storeId}/privacy`, { method: 'PATCH', headers: AUTH, body: JSON.stringify({ doubleOptIn: 'yes' }) });
    expect(bad.status).toBe(400);
  });

  it('lets an erased person back in only through their own confirmation', async () => {
    const storeId = await seedStore('doi-return');
    await processCollectMessage(env, signup(storeId, 'again@example.com', { trusted: true }));
    const first = (await findContactByEmail(d(), storeId, 'again@example.com'))!;
    expect((await SELF.fetch(`http://x/api/contacts/${first.id}?store=${storeId}`, { method: 'DELETE', headers: AUTH })).status).toBe(200);
    await processCollectMessage(env, signup(storeId, 'again@example.com', { eventId: 'evt_signup_03' }));
    const back = (await findContactByEmail(d(), storeId, 'again@example.com'))!;
    expect(back.status).toBe('unsubscribed');
    const link = linkIn((await listContactMessages(d(), storeId, back.id))[0]!.text);
    const html = await (await SELF.fetch(link)).text();
    await postForm(link, { intent: 'confirm', nonce: nonceOf(html) });
    expect((await findContactByEmail(d(), storeId, 'again@example.com'))?.status).toBe('active');
  });

  it('asks an unsubscribed or erased shopper to confirm even a signed checkout consent', async () => {
    const storeId = await seedStore('doi-checkout-return');
    await processCollectMessage(env, signup(storeId, 'gone@example.com', { trusted: true }));
    const first = (await findContactByEmail(d(), storeId, 'gone@example.com'))!;
    expect((await SELF.fetch(`http://x/api/contacts/${first.id}?store=${storeId}`, { method: 'DELETE', headers: AUTH })).status).toBe(200);
    await processCollectMessage(env, signup(storeId, 'gone@example.com', { trusted: true, eventId: 'evt_checkout_02' }));
    const back = (await findContactByEmail(d(), storeId, 'gone@example.com'))!;
    expect(back.status).toBe('unsubscribed');
    expect(await listConsents(d(), storeId, back.id)).toEqual([]);
    expect(await listContactMessages(d(), storeId, back.id)).toHaveLength(1);
  });
});
