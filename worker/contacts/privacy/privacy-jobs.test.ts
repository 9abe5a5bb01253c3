import { SELF, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { listConsents } from '../../db/queries/consents';
import { findOrCreateContactByEmail } from '../../db/queries/contacts';
import { updatePrivacySettings } from '../../db/queries/preferences';
import { upsertStore } from '../../db/queries/stores';
import { JOBS } from '../../jobs';
import { eventRetentionJob, monthsBefore } from './privacy-jobs';

const d = () => db(env.DB);
const NOW = Date.UTC(2026, 10, 24, 12);
const AUTH = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };

async function seed(id: string) {
  await upsertStore(d(), { id, name: id, webhookSecret: `whsec_${id}_secret`, siteKey: `pk_${id}`, createdAt: 1, updatedAt: 1 });
}

async function event(storeId: string, key: string, source: string, at: number) {
  await env.DB.prepare(`INSERT INTO events (store_id, event_key, type, properties, source, occurred_at, received_at) VALUES (?, ?, 'page_view', '{}', ?, ?, ?)`)
    .bind(storeId, key, source, at, at)
    .run();
}

const keys = async (storeId: string) =>
  (await env.DB.prepare('SELECT event_key FROM events WHERE store_id = ? ORDER BY event_key').bind(storeId).all<{ event_key: string }>()).results.map((r) => r.event_key);

describe('event retention', () => {
  it('counts calendar months', () => {
    expect(new Date(monthsBefore(NOW, 13)).toISOString()).toBe('2025-10-24T12:00:00.000Z');
  });

  it('purges storefront behaviour older than 13 months by default, keeps newer events and commerce events', async () => {
    await seed('retain-default');
    const cutoff = monthsBefore(NOW, 13);
    await event('retain-default', 'old-browser', 'browser', cutoff - 1);
    await event('retain-default', 'old-plugin', 'server', cutoff - 1000);
    await event('retain-default', 'old-order', 'woocommerce', cutoff - 1000);
    await event('retain-default', 'recent', 'browser', cutoff + 1);
    await eventRetentionJob.run(env, NOW);
    expect(await keys('retain-default')).toEqual(['old-order', 'recent']);
    expect(JOBS).toContain(eventRetentionJob);
  });

  it("follows the store's configured retention", async () => {
    await seed('retain-custom');
    await updatePrivacySettings(d(), 'retain-custom', { eventRetentionMonths: 1 }, 1);
    await event('retain-custom', 'two-months', 'browser', monthsBefore(NOW, 2));
    await event('retain-custom', 'two-weeks', 'browser', NOW - 14 * 86_400_000);
    await eventRetentionJob.run(env, NOW);
    expect(await keys('retain-custom')).toEqual(['two-weeks']);
  });
});

describe('POST /api/contacts/:id/consents', () => {
  it('records an admin/import grant or withdrawal in the ledger with its source, text version and proof', async () => {
    await seed('consent-api');
    const { contact } = await findOrCreateContactByEmail(d(), 'consent-api', 'imp@example.com', 1);
    const url = `http://x/api/contacts/${contact.id}/consents?store=consent-api`;
    const body = { channel: 'email', granted: true, source: 'import', textVersion: 'newsletter-2024', occurredAt: Date.UTC(2024, 0, 1), proof: { ip: '192.0.2.1', userAgent: 'Importer' } };
    expect((await SELF.fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } })).status).toBe(401);
    const res = await SELF.fetch(url, { method: 'POST', headers: AUTH, body: JSON.stringify(body) });
    expect(res.status).toBe(201);
    const withdraw = await SELF.fetch(url, { method: 'POST', headers: AUTH, body: JSON.stringify({ channel: 'email', granted: false, source: 'api' }) });
    expect(withdraw.status).toBe(201);
    const ledger = await listConsents(d(), 'consent-api', contact.id);
    expect(ledger.map((r) => [r.granted, r.source])).toEqual([[false, 'api'], [true, 'import']]);
    expect(ledger[1]).toMatchObject({ textVersion: 'newsletter-2024', occurredAt: Date.UTC(2024, 0, 1), proofUserAgent: 'Importer', purpose: 'marketing' });
    expect(ledger[1]?.proofIpHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers 400 for a bad body and 404 for an unknown contact', async () => {
    await seed('consent-api-bad');
    const { contact } = await findOrCreateContactByEmail(d(), 'consent-api-bad', 'bad@example.com', 1);
    const bad = await SELF.fetch(`http://x/api/contacts/${contact.id}/consents?store=consent-api-bad`, { method: 'POST', headers: AUTH, body: JSON.stringify({ channel: 'fax', granted: true }) });
    expect(bad.status).toBe(400);
    const missing = await SELF.fetch(`http://x/api/contacts/c_missing/consents?store=consent-api-bad`, { method: 'POST', headers: AUTH, body: JSON.stringify({ channel: 'email', granted: true }) });
    expect(missing.status).toBe(404);
  });
});
