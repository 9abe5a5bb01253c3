import { SELF, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../db/client';
import { listConsents } from '../db/queries/consents';
import { findContactByEmail, findOrCreateContactByEmail } from '../db/queries/contacts';
import { upsertStore } from '../db/queries/stores';
import { processCollectMessage } from '../ingest/collect/collect-processor';
import { signNightshift } from '../lib/hmac';

const d = () => db(env.DB);
const SECRET = 'whsec_privacy_tools_secret';
const EMAIL = 'ines.privee@example.fr';

async function seedShopper(store: string) {
  await upsertStore(d(), { id: store, name: store, webhookSecret: SECRET, siteKey: `pk_${store}`, createdAt: 1, updatedAt: 1 });
  const ts = Date.now();
  await processCollectMessage(env, {
    kind: 'collect', storeId: store, trusted: true, visitorId: 'v_privacy_tools', receivedAt: ts, ipHash: null, userAgent: null,
    events: [{ id: 'evt_privacy_id', type: 'identify', ts, email: EMAIL, firstName: 'Inès', consent: { emailMarketing: true }, source: 'checkout' }],
  });
  const contact = await findContactByEmail(d(), store, EMAIL);
  if (!contact) throw new Error('contact not created');
  return contact;
}

async function call(store: string, action: 'export' | 'erase', body: unknown, secret = SECRET) {
  const text = JSON.stringify(body);
  const signature = await signNightshift(secret, text, Math.floor(Date.now() / 1000));
  return SELF.fetch(`https://ns.test/api/stores/${store}/privacy/${action}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Nightshift-Signature': signature },
    body: text,
  });
}

describe('signed privacy endpoints for WordPress personal-data tools', () => {
  it('refuses a missing or wrong signature, and an unknown store alike, with 401', async () => {
    const store = 'pp-auth';
    await seedShopper(store);
    const unsigned = await SELF.fetch(`https://ns.test/api/stores/${store}/privacy/export`, { method: 'POST', body: JSON.stringify({ email: EMAIL }) });
    expect(unsigned.status).toBe(401);
    expect((await call(store, 'export', { email: EMAIL }, 'not-the-secret')).status).toBe(401);
    expect((await call(store, 'erase', { email: EMAIL }, 'not-the-secret')).status).toBe(401);
    expect((await call('pp-no-such-store', 'export', { email: EMAIL })).status).toBe(401);
    expect(await findContactByEmail(d(), store, EMAIL)).toBeDefined();
    expect((await call(store, 'export', { email: 'not an email' })).status).toBe(400);
  });

  it('exports what Nightshift holds for the address, and nothing for an unknown one', async () => {
    const store = 'pp-export';
    const contact = await seedShopper(store);
    const res = await call(store, 'export', { email: ' Ines.Privee@Example.fr ' });
    expect(res.status).toBe(200);
    const body = await res.json<{ found: boolean; export: { contact: { id: string; email: string; firstName: string }; data: Record<string, unknown[]> } }>();
    expect(body.found).toBe(true);
    expect(body.export.contact).toMatchObject({ id: contact.id, email: EMAIL, firstName: 'Inès' });
    expect(body.export.data.consents).toHaveLength((await listConsents(d(), store, contact.id)).length);
    expect(body.export.data.consents!.length).toBeGreaterThan(0);
    expect(body.export.data.visitors).toMatchObject([{ visitorId: 'v_privacy_tools' }]);

    const unknown = await call(store, 'export', { email: 'nobody@example.fr' });
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toEqual({ found: false, export: null });
  });

  it('erases the contact for real: gone from D1, address suppressed, a second request finds nothing', async () => {
    const store = 'pp-erase';
    const contact = await seedShopper(store);
    const res = await call(store, 'erase', { email: EMAIL });
    expect(res.status).toBe(200);
    const body = await res.json<{ erased: boolean; removed: Record<string, number> }>();
    expect(body.erased).toBe(true);
    expect(body.removed).toMatchObject({ contacts: 1 });
    expect(body.removed.consents).toBeGreaterThan(0);
    expect(await findContactByEmail(d(), store, EMAIL)).toBeUndefined();
    expect(await listConsents(d(), store, contact.id)).toEqual([]);
    const log = await env.DB.prepare('SELECT requested_by FROM erasure_log WHERE store_id = ?').bind(store).all();
    expect(log.results).toEqual([{ requested_by: 'wordpress-privacy-tools' }]);
    expect((await findOrCreateContactByEmail(d(), store, EMAIL, Date.now())).contact.status).toBe('unsubscribed');

    const again = await call(store, 'erase', { email: 'nobody@example.fr' });
    expect(await again.json()).toEqual({ erased: false, removed: {} });
  });
});
