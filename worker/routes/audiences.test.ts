import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { executeAddToAudience } from '../contacts/executors/add-to-audience';
import { origin, seedExecutorContext } from '../contacts/executors/test/seed';
import type { Db } from '../db/client';
import { addAudienceMember } from '../db/queries/audiences';
import { appendConsents } from '../db/queries/consents';
import { findOrCreateContactByEmail } from '../db/queries/contacts';
import { markContactUnsubscribed } from '../db/queries/contact-reach';
import { sha256Hex } from '../lib/hmac';
import { hashEmail, hashPhone } from '../messaging/audience-export';

const NOW = Date.UTC(2026, 10, 24, 21, 0, 0);
const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}` };
async function grant(d: Db, storeId: string, contactId: string, ...channels: ('email' | 'sms')[]) {
  await appendConsents(d, channels.map((channel) => ({ storeId, contactId, channel, purpose: 'marketing' as const, granted: true, source: 'checkout' as const, occurredAt: NOW - 1 })));
}

async function exported(store: string): Promise<string[]> {
  const res = await SELF.fetch(`https://ns.test/api/audiences/cart_abandoners/export.csv?store=${store}`, { headers: auth });
  expect(res.status).toBe(200);
  expect(res.headers.get('Content-Type')).toContain('text/csv');
  expect(res.headers.get('Cache-Control')).toContain('no-store');
  return (await res.text()).split('\r\n');
}

const add = (enrollment: string) => ({ ...origin(enrollment, 'retarget'), type: 'add_to_audience' as const, audience: 'cart_abandoners' });

describe('GET /api/audiences/:audience/export.csv', () => {
  it('exports SHA-256 of the normalized email and the E.164 phone, as ad platforms take them', async () => {
    const ann = await seedExecutorContext('aud-a', NOW, {}, { email: '  Ann.Buyer@Example.COM ', phone: '+33 6 12 34 56 78' });
    await grant(ann.d, 'aud-a', ann.contact.id, 'email', 'sms');
    await executeAddToAudience(ann, add('enr_1'));
    const bob = (await findOrCreateContactByEmail(ann.d, 'aud-a', 'bob@example.net', NOW)).contact;
    await grant(ann.d, 'aud-a', bob.id, 'email');
    await executeAddToAudience({ ...ann, contact: bob }, add('enr_2'));
    const gone = (await findOrCreateContactByEmail(ann.d, 'aud-a', 'gone@example.net', NOW)).contact;
    await grant(ann.d, 'aud-a', gone.id, 'email');
    await executeAddToAudience({ ...ann, contact: gone }, add('enr_3'));
    await markContactUnsubscribed(ann.d, 'aud-a', gone.id, NOW);

    const lines = await exported('aud-a');
    expect(lines[0]).toBe('email_sha256,phone_sha256');
    expect(lines[1]).toBe(`${await sha256Hex('ann.buyer@example.com')},${await sha256Hex('+33612345678')}`);
    expect(lines[2]).toBe(`${await sha256Hex('bob@example.net')},`);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
  });

  it('holds only contacts with marketing consent, and each identifier only with consent for its channel (issue 9, item 7)', async () => {
    const base = await seedExecutorContext('aud-c', NOW, {}, { email: 'noconsent@example.com', phone: '+33611111111' });
    // No consent at all: the executor does not add the contact.
    expect(await executeAddToAudience(base, add('enr_c1'))).toEqual({ status: 'skipped', reason: 'no_marketing_consent' });
    // Added before consent rules (or directly): the export still leaves them out.
    await addAudienceMember(base.d, { storeId: 'aud-c', audience: 'cart_abandoners', contactId: base.contact.id, idempotencyKey: 'old', addedAt: NOW });
    // Email consent only: the phone stays out of the file.
    const eve = (await findOrCreateContactByEmail(base.d, 'aud-c', 'eve@example.com', NOW, { phone: '+33622222222' })).contact;
    await grant(base.d, 'aud-c', eve.id, 'email');
    expect(await executeAddToAudience({ ...base, contact: eve }, add('enr_c2'))).toEqual({ status: 'done' });
    // Withdrawn after being added: out of the next export.
    const wes = (await findOrCreateContactByEmail(base.d, 'aud-c', 'wes@example.com', NOW)).contact;
    await grant(base.d, 'aud-c', wes.id, 'email');
    await executeAddToAudience({ ...base, contact: wes }, add('enr_c3'));
    await appendConsents(base.d, [{ storeId: 'aud-c', contactId: wes.id, channel: 'email', purpose: 'marketing', granted: false, source: 'unsubscribe', occurredAt: NOW + 1 }]);

    expect(await exported('aud-c')).toEqual(['email_sha256,phone_sha256', `${await sha256Hex('eve@example.com')},`, '']);
  });

  it('hashes like the platforms document: trimmed, lower-cased, SHA-256 hex', async () => {
    expect(await hashEmail('  Test@Example.com ')).toBe('973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b');
  });

  it('leaves out numbers that are not international', async () => {
    expect(await hashPhone('06 12 34 56 78')).toBe('');
    expect(await hashPhone('0033 6 12 34 56 78')).toBe(await sha256Hex('+33612345678'));
    expect(await hashPhone(null)).toBe('');
  });

  it('is admin-only and checks its inputs', async () => {
    await seedExecutorContext('aud-b', NOW);
    expect((await SELF.fetch('https://ns.test/api/audiences/cart_abandoners/export.csv?store=aud-b')).status).toBe(401);
    expect((await SELF.fetch('https://ns.test/api/audiences/cart_abandoners/export.csv?store=nope', { headers: auth })).status).toBe(404);
    expect((await SELF.fetch('https://ns.test/api/audiences/cart_abandoners/export.csv', { headers: auth })).status).toBe(400);
    expect((await SELF.fetch('https://ns.test/api/audiences/Bad%20Name/export.csv?store=aud-b', { headers: auth })).status).toBe(400);
    const empty = await SELF.fetch('https://ns.test/api/audiences/nobody/export.csv?store=aud-b', { headers: auth });
    expect(await empty.text()).toBe('email_sha256,phone_sha256\r\n');
  });
});
