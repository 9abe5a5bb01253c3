import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { untranslatedTexts } from '../dashboard/i18n/catalogue';
import { db, type Db } from '../db/client';
import { appendConsents } from '../db/queries/consents';
import { markContactUnsubscribed } from '../db/queries/contact-reach';
import { setContactTag } from '../db/queries/contact-tags';
import { findOrCreateContactByEmail } from '../db/queries/contacts';
import { upsertStore } from '../db/queries/stores';
import { sha256Hex } from '../lib/hmac';
import { createSegment } from '../segments/dynamic/segment-admin';
import { adminFetch, login, page } from '../test/dashboard-session';
import { visibleTexts } from '../test/visible-text';

const NOW = Date.UTC(2026, 10, 24, 21, 0, 0);
const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}` };
type Consent = { channel: 'email' | 'sms'; granted: boolean };

/**
 * A "VIP" tag segment of members with mixed consent: Ann (email and SMS), Bob (email only), Cat (email withdrawn,
 * SMS granted), Dan (never consented, as a double opt-in still waiting for its confirmation leaves him), Eve (granted
 * but unsubscribed since), and Fay (consented, not a member).
 */
async function vipStore(storeId: string): Promise<{ d: Db; segmentId: string }> {
  const d = db(env.DB);
  await upsertStore(d, { id: storeId, name: storeId, webhookSecret: 'w'.repeat(32), siteKey: `pk_${storeId}`, createdAt: 1, updatedAt: 1 });
  const people: [string, string, Consent[], boolean][] = [
    ['ann', '+33 6 11 11 11 11', [{ channel: 'email', granted: true }, { channel: 'sms', granted: true }], true],
    ['bob', '+33622222222', [{ channel: 'email', granted: true }], true],
    ['cat', '+33633333333', [{ channel: 'email', granted: true }, { channel: 'email', granted: false }, { channel: 'sms', granted: true }], true],
    ['dan', '+33644444444', [], true],
    ['eve', '+33655555555', [{ channel: 'email', granted: true }, { channel: 'sms', granted: true }], true],
    ['fay', '+33666666666', [{ channel: 'email', granted: true }, { channel: 'sms', granted: true }], false],
  ];
  for (const [name, phone, consents, vip] of people) {
    const { contact } = await findOrCreateContactByEmail(d, storeId, `${name}@example.com`, NOW - 10_000, { phone });
    await appendConsents(d, consents.map((c, i) => ({ storeId, contactId: contact.id, ...c, purpose: 'marketing' as const, source: 'checkout' as const, occurredAt: NOW - 5000 + i })));
    if (vip) await setContactTag(d, storeId, contact.id, 'vip', true, NOW - 4000);
    if (name === 'eve') await markContactUnsubscribed(d, storeId, contact.id, NOW - 3000);
  }
  const segment = await createSegment(d, storeId, { name: { fr: 'VIP', en: 'VIP' }, rules: { version: 1, match: { all: [{ kind: 'tag', tag: 'vip' }] } } }, NOW);
  expect(segment.count).toBe(5);
  return { d, segmentId: segment.id };
}

async function csv(path: string, init: RequestInit = { headers: auth }): Promise<string[]> {
  const res = await SELF.fetch(`https://ns.test${path}`, init);
  expect(res.status).toBe(200);
  expect(res.headers.get('Content-Type')).toContain('text/csv');
  expect(res.headers.get('Content-Disposition')).toMatch(/^attachment; filename=".+\.csv"$/);
  expect(res.headers.get('Cache-Control')).toContain('no-store');
  const lines = (await res.text()).split('\r\n');
  expect([lines[0], lines.at(-1)]).toEqual(['email_sha256,phone_sha256', '']);
  // Members who joined together come in id order, and ids of one millisecond differ only by chance.
  return lines.slice(1, -1).sort();
}

const email = (name: string) => sha256Hex(`${name}@example.com`);

describe('GET /api/segments/:id/audience.csv', () => {
  it('hashes the members reachable on the channel asked for, and no one else', async () => {
    const { segmentId } = await vipStore('seg-aud');
    expect(await csv(`/api/segments/${segmentId}/audience.csv?store=seg-aud&channel=email`)).toEqual([`${await email('ann')},`, `${await email('bob')},`].sort());
    expect(await csv(`/api/segments/${segmentId}/audience.csv?store=seg-aud&channel=sms`)).toEqual([`,${await sha256Hex('+33611111111')}`, `,${await sha256Hex('+33633333333')}`].sort());
    // Both channels: each identifier only where its own consent is granted.
    expect(await csv(`/api/segments/${segmentId}/audience.csv?store=seg-aud`)).toEqual(
      [`${await email('ann')},${await sha256Hex('+33611111111')}`, `${await email('bob')},`, `,${await sha256Hex('+33633333333')}`].sort(),
    );
  });

  it('is admin-only and checks its inputs', async () => {
    const { segmentId } = await vipStore('seg-aud-in');
    const get = (q: string, headers: Record<string, string> = auth) => SELF.fetch(`https://ns.test/api/segments/${q}`, { headers });
    expect((await get(`${segmentId}/audience.csv?store=seg-aud-in`, {})).status).toBe(401);
    expect((await get(`${segmentId}/audience.csv?store=seg-aud-in&channel=fax`)).status).toBe(400);
    expect((await get(`seg_nope/audience.csv?store=seg-aud-in`)).status).toBe(404);
    expect((await get(`${segmentId}/audience.csv?store=nope`)).status).toBe(404);
  });

  it('is a download on the segment page, in French and English', async () => {
    const { segmentId } = await vipStore('seg-aud-page');
    const cookie = await login();
    for (const [lang, label] of [['fr', 'Télécharger les e-mails hachés'], ['en', 'Download hashed emails']] as const) {
      const html = await page(cookie, `/admin/stores/seg-aud-page/segments/${segmentId}?lang=${lang}`);
      expect(visibleTexts(html)).toContain(label);
      expect(untranslatedTexts(visibleTexts(html), lang)).toEqual([]);
      expect(html).toContain(`/admin/stores/seg-aud-page/segments/${segmentId}/audience/export?channel=email`);
    }
    const file = await csv(`/admin/stores/seg-aud-page/segments/${segmentId}/audience/export?channel=email`, { headers: { Cookie: cookie } });
    expect(file).toEqual([`${await email('ann')},`, `${await email('bob')},`].sort());
    expect((await adminFetch(`/admin/stores/seg-aud-page/segments/${segmentId}/audience/export?channel=email`)).status).toBe(303);
  });
});
