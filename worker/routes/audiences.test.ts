import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { executeAddToAudience } from '../contacts/executors/add-to-audience';
import { origin, seedExecutorContext } from '../contacts/executors/test/seed';
import { findOrCreateContactByEmail } from '../db/queries/contacts';
import { markContactUnsubscribed } from '../db/queries/contact-reach';
import { sha256Hex } from '../lib/hmac';
import { hashEmail, hashPhone } from '../messaging/audience-export';

const NOW = Date.UTC(2026, 10, 24, 21, 0, 0);
const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}` };
const add = (enrollment: string) => ({ ...origin(enrollment, 'retarget'), type: 'add_to_audience' as const, audience: 'cart_abandoners' });

describe('GET /api/audiences/:audience/export.csv', () => {
  it('exports SHA-256 of the normalized email and the E.164 phone, as ad platforms take them', async () => {
    const ann = await seedExecutorContext('aud-a', NOW, {}, { email: '  Ann.Buyer@Example.COM ', phone: '+33 6 12 34 56 78' });
    await executeAddToAudience(ann, add('enr_1'));
    const bob = (await findOrCreateContactByEmail(ann.d, 'aud-a', 'bob@example.net', NOW)).contact;
    await executeAddToAudience({ ...ann, contact: bob }, add('enr_2'));
    const gone = (await findOrCreateContactByEmail(ann.d, 'aud-a', 'gone@example.net', NOW)).contact;
    await executeAddToAudience({ ...ann, contact: gone }, add('enr_3'));
    await markContactUnsubscribed(ann.d, 'aud-a', gone.id, NOW);

    const res = await SELF.fetch('https://ns.test/api/audiences/cart_abandoners/export.csv?store=aud-a', { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toContain('text/csv');
    expect(res.headers.get('Cache-Control')).toContain('no-store');
    const lines = (await res.text()).split('\r\n');
    expect(lines[0]).toBe('email_sha256,phone_sha256');
    expect(lines[1]).toBe(`${await sha256Hex('ann.buyer@example.com')},${await sha256Hex('+33612345678')}`);
    expect(lines[2]).toBe(`${await sha256Hex('bob@example.net')},`);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
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
