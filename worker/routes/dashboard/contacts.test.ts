import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { explainContactList } from '../../db/queries/contact-search';
import { findContact, findContactByEmail } from '../../db/queries/contacts';
import { listErasures } from '../../db/queries/privacy';
import { contactHibernation, consents, contacts, contactTags, events, orders, segmentMembers } from '../../db/schema';
import { adminFetch, csrfOf, login, ORIGIN, page, postForm, seedDashboardStore } from '../../test/dashboard-session';

const d = () => db(env.DB);
const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}` };
const T0 = Date.UTC(2026, 0, 1);

type Seed = { id: string; email: string | null; first?: string; last?: string; phone?: string; status?: 'active' | 'unsubscribed' | 'bounced' | 'complained' };

async function insertContacts(storeId: string, rows: Seed[], at: (i: number) => number) {
  const values = rows.map((r, i) => ({
    id: r.id, storeId, email: r.email, firstName: r.first ?? null, lastName: r.last ?? null, phone: r.phone ?? null,
    status: r.status ?? 'active', createdAt: at(i), updatedAt: at(i),
  }));
  // D1 binds at most 100 parameters a statement: 9 columns, 10 rows.
  for (let i = 0; i < values.length; i += 10) await d().insert(contacts).values(values.slice(i, i + 10));
}

/** The contact ids of a list page, in the order shown. */
function listed(html: string, storeId: string): string[] {
  return [...html.matchAll(new RegExp(`href="/admin/stores/${storeId}/contacts/([A-Za-z0-9_-]+)"`, 'g'))].map((m) => m[1] ?? '');
}

function link(html: string, rel: 'next' | 'prev'): string | null {
  const href = new RegExp(`<a href="([^"]+)" rel="${rel}"`).exec(html)?.[1];
  return href ? href.replaceAll('&amp;', '&') : null;
}

describe('dashboard contacts list', () => {
  const storeId = 'dash-contacts-pages';

  it('pages 120 contacts newest first by 50, stable when a contact arrives between pages, and back again', async () => {
    await seedDashboardStore(storeId);
    await insertContacts(storeId, Array.from({ length: 120 }, (_, i) => ({ id: `c_page_${String(i).padStart(3, '0')}`, email: `p${i}@example.com` })), (i) => T0 + i * 1000);
    const cookie = await login();
    const first = await page(cookie, `/admin/stores/${storeId}/contacts`);
    expect(first).toContain('120 contact(s)');
    const page1 = listed(first, storeId);
    expect(page1).toHaveLength(50);
    expect(page1[0]).toBe('c_page_119');
    expect(page1[49]).toBe('c_page_070');
    expect(link(first, 'prev')).toBeNull();

    // A newer contact arrives: it belongs before page 1, so the following pages do not shift.
    await insertContacts(storeId, [{ id: 'c_page_new', email: 'new@example.com' }], () => T0 + 500_000);
    const second = await page(cookie, link(first, 'next') ?? '');
    const page2 = listed(second, storeId);
    expect([page2[0], page2[49], page2.length]).toEqual(['c_page_069', 'c_page_020', 50]);
    const third = await page(cookie, link(second, 'next') ?? '');
    const page3 = listed(third, storeId);
    expect([page3[0], page3[19], page3.length]).toEqual(['c_page_019', 'c_page_000', 20]);
    expect(link(third, 'next')).toBeNull();
    expect(new Set([...page1, ...page2, ...page3]).size).toBe(120);

    // Back from page 2: the 50 just before it, which are page 1 as it was.
    const back = await page(cookie, link(second, 'prev') ?? '');
    expect(listed(back, storeId)).toEqual(page1);
    expect(link(back, 'prev')).not.toBeNull();
    // Back at the top: the first page as it is now, the newcomer first.
    const top = await page(cookie, link(back, 'prev') ?? '');
    expect(listed(top, storeId)).toEqual(['c_page_new', ...page1.slice(0, 49)]);
    expect(link(top, 'prev')).toBeNull();
  });

  it('walks the (store, created_at, id) index: no sort of the store’s contacts', async () => {
    const cursor = { createdAt: T0 + 60_000, id: 'c_page_060' };
    for (const page of [{ limit: 50 }, { after: cursor, limit: 50 }, { before: cursor, limit: 50 }]) {
      const plan = (await explainContactList(d(), storeId, { q: 'dupont', email: 'granted' }, page)).join(' | ');
      expect(plan).toMatch(/SEARCH c USING INDEX contacts_store_created \(store_id=\?/);
      if (page.after ?? page.before) expect(plan).toContain('(created_at,id)');
      expect(plan).not.toContain('TEMP B-TREE');
    }
  });
});

describe('dashboard contacts search and filters', () => {
  const storeId = 'dash-contacts-find';
  const people: Seed[] = [
    { id: 'c_find_elodie', email: 'elodie.dupont@example.com', first: 'Élodie', last: 'Dupont', phone: '+33612345678' },
    { id: 'c_find_marc', email: 'marc@exemple.fr', first: 'Marc', last: 'Lefèvre' },
    { id: 'c_find_unsub', email: 'gone@example.com', first: 'Anne', last: 'Martin', status: 'unsubscribed' },
    { id: 'c_find_bounce', email: 'bounce@example.com', status: 'bounced' },
    { id: 'c_find_sleepy', email: 'sleepy@example.com', first: 'Paul' },
    { id: 'c_find_phone', email: null, phone: '+447700900123' },
  ];

  async function seed() {
    await seedDashboardStore(storeId);
    await insertContacts(storeId, people, (i) => T0 + i * 1000);
    const consent = (contactId: string, channel: 'email' | 'sms', granted: boolean, at: number) =>
      ({ storeId, contactId, channel, purpose: 'marketing' as const, granted, source: 'api' as const, occurredAt: at });
    await d().insert(consents).values([
      consent('c_find_elodie', 'email', true, T0),
      consent('c_find_elodie', 'sms', true, T0),
      // Granted, then withdrawn: withdrawn is in force.
      consent('c_find_marc', 'email', true, T0),
      consent('c_find_marc', 'email', false, T0 + 10),
      consent('c_find_unsub', 'email', false, T0),
    ]);
    await d().insert(contactHibernation).values({ storeId, contactId: 'c_find_sleepy', lastActivityAt: null, hibernatedAt: T0, checkedAt: T0 });
    const order = { storeId, status: 'completed', currency: 'EUR', total: 42, couponCodes: [], attribution: {}, createdAt: T0, sourceModifiedAt: T0, updatedAt: T0 };
    // An order trashed in WooCommerce is no longer a purchase.
    await d().insert(orders).values([{ ...order, id: 501, number: '501', contactId: 'c_find_marc' }, { ...order, id: 502, number: '502', contactId: 'c_find_bounce', deletedAt: T0 + 1 }]);
    await d().insert(contactTags).values([{ storeId, contactId: 'c_find_elodie', tag: 'vip', createdAt: T0 }, { storeId, contactId: 'c_find_marc', tag: 'client fidèle', createdAt: T0 }]);
    await d().insert(events).values({
      storeId, eventKey: 'seg_ignore_1', type: 'segment.entered', contactId: 'c_find_sleepy', properties: { segment: 'ignores-promotions' }, source: 'server', occurredAt: T0, receivedAt: T0,
    });
  }

  it('finds by a fragment of the email, the name (any case, any accent) or the phone as dialled', async () => {
    await seed();
    const cookie = await login();
    const find = async (q: string) => listed(await page(cookie, `/admin/stores/${storeId}/contacts?q=${encodeURIComponent(q)}`), storeId);
    expect(await find('lodie.dup')).toEqual(['c_find_elodie']);
    expect(await find('ÉLODIE')).toEqual(['c_find_elodie']);
    expect(await find('elodie dupont')).toEqual(['c_find_elodie']);
    expect(await find('lefevre')).toEqual(['c_find_marc']);
    expect(await find('EXEMPLE.FR')).toEqual(['c_find_marc']);
    expect(await find('06 12 34 56')).toEqual(['c_find_elodie']);
    expect(await find('7700 900')).toEqual(['c_find_phone']);
    const none = await page(cookie, `/admin/stores/${storeId}/contacts?q=zz%40nowhere.io`);
    expect(listed(none, storeId)).toEqual([]);
    expect(none).toContain('Aucun contact avec l’adresse zz@nowhere.io.');
    expect(none).toContain('0 contact(s)');
  });

  it('filters by consent in force, status, orders and segment or tag, combined with a search', async () => {
    const cookie = await login();
    const filter = async (query: string) => listed(await page(cookie, `/admin/stores/${storeId}/contacts?${query}`), storeId).sort();
    expect(await filter('emailConsent=granted')).toEqual(['c_find_elodie']);
    expect(await filter('emailConsent=withdrawn')).toEqual(['c_find_marc', 'c_find_unsub']);
    expect(await filter('emailConsent=none')).toEqual(['c_find_bounce', 'c_find_phone', 'c_find_sleepy']);
    expect(await filter('smsConsent=granted')).toEqual(['c_find_elodie']);
    expect(await filter('status=subscribed')).toEqual(['c_find_elodie', 'c_find_marc', 'c_find_phone', 'c_find_sleepy']);
    expect(await filter('status=unsubscribed')).toEqual(['c_find_unsub']);
    expect(await filter('status=suppressed')).toEqual(['c_find_bounce']);
    expect(await filter('status=hibernated')).toEqual(['c_find_sleepy']);
    expect(await filter('ordered=yes')).toEqual(['c_find_marc']);
    expect((await filter('ordered=no')).length).toBe(5);
    expect(await filter('segment=tag%3Avip')).toEqual(['c_find_elodie']);
    expect(await filter(`segment=${encodeURIComponent('tag:client fidèle')}`)).toEqual(['c_find_marc']);
    expect(await filter('segment=segment%3Aignores-promotions')).toEqual(['c_find_sleepy']);
    expect(await filter('emailConsent=withdrawn&status=subscribed&q=marc')).toEqual(['c_find_marc']);
    // "Any" submits an empty value; an unknown value (an old bookmark) is ignored, not a 500.
    expect((await filter('emailConsent=&status=&ordered=&segment=')).length).toBe(6);
    expect((await filter('status=bogus')).length).toBe(6);
    const tooLong = await adminFetch(`/admin/stores/${storeId}/contacts?q=${'x'.repeat(201)}`, { headers: { Cookie: cookie } });
    expect(tooLong.status).toBe(400);
    const html = await page(cookie, `/admin/stores/${storeId}/contacts?status=hibernated&lang=en`);
    expect(html).toContain('<option value="tag:vip">Tag: vip</option>');
    expect(html).toContain('<option value="hibernated" selected="">Hibernated</option>');
    expect(html).toContain('1 contact(s)');
  });

  it('filters by a rule-based segment (built-in or the owner’s), named in the admin’s language', async () => {
    const cookie = await login();
    // Listing the segments installs the built-ins; membership as the segment runs keep it.
    expect((await SELF.fetch(`https://ns.test/api/segments?store=${storeId}`, { headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}` } })).status).toBe(200);
    await db(env.DB).insert(segmentMembers).values({ storeId, segmentId: 'hot-lead', contactId: 'c_find_elodie', since: T0 });
    const html = await page(cookie, `/admin/stores/${storeId}/contacts?segment=${encodeURIComponent('segment:hot-lead')}`);
    expect(listed(html, storeId)).toEqual(['c_find_elodie']);
    expect(html).toMatch(/<option value="segment:hot-lead" selected="">Prospects chauds<\/option>/);
    expect(html).toContain('<option value="segment:rfm-champions">');
  });

  it('keeps other stores’ contacts out', async () => {
    await seedDashboardStore('dash-contacts-other');
    await insertContacts('dash-contacts-other', [{ id: 'c_other_elodie', email: 'elodie@other.example', first: 'Élodie' }], () => T0);
    const cookie = await login();
    expect(listed(await page(cookie, `/admin/stores/${storeId}/contacts?q=elodie`), storeId)).toEqual(['c_find_elodie']);
    expect((await adminFetch(`/admin/stores/${storeId}/contacts/c_other_elodie`, { headers: { Cookie: cookie } })).status).toBe(404);
  });
});

describe('dashboard contact export and erasure', () => {
  const storeId = 'dash-contacts-erase';

  it('downloads the same JSON as the API export, as an attachment', async () => {
    await seedDashboardStore(storeId);
    await insertContacts(storeId, [{ id: 'c_erase_1', email: 'erase.me@example.com', first: 'Erin' }], () => T0);
    const cookie = await login();
    const res = await adminFetch(`/admin/stores/${storeId}/contacts/c_erase_1/export`, { headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Disposition')).toBe('attachment; filename="contact-c_erase_1.json"');
    const mine = await res.json<{ exportedAt: string; contact: { email: string } }>();
    const api = await (await SELF.fetch(`${ORIGIN}/api/contacts/c_erase_1/export?store=${storeId}`, { headers: auth })).json<{ exportedAt: string }>();
    expect({ ...mine, exportedAt: '' }).toEqual({ ...api, exportedAt: '' });
    expect(mine.contact.email).toBe('erase.me@example.com');
  });

  it('erases only after the address is typed on the confirmation page, with the session’s CSRF token', async () => {
    const cookie = await login();
    const contactPage = await page(cookie, `/admin/stores/${storeId}/contacts/c_erase_1`);
    expect(contactPage).toContain(`href="/admin/stores/${storeId}/contacts/c_erase_1/erase"`);
    const confirm = await page(cookie, `/admin/stores/${storeId}/contacts/c_erase_1/erase`);
    expect(confirm).toContain('Toutes les données de Erin seront effacées définitivement');
    expect(confirm).toContain('tapez l’adresse e-mail du contact (erase.me@example.com)');
    const path = `/admin/stores/${storeId}/contacts/c_erase_1/erase`;

    const forged = await postForm(cookie, path, { _csrf: 'f'.repeat(64), confirm: 'erase.me@example.com' }, { Origin: ORIGIN });
    expect(forged.status).toBe(403);
    const wrong = await postForm(cookie, path, { _csrf: csrfOf(confirm), confirm: 'someone@example.com' }, { Origin: ORIGIN });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('L’adresse saisie ne correspond pas à celle du contact : rien n’a été effacé.');
    expect(await findContact(d(), storeId, 'c_erase_1')).toBeDefined();

    const done = await postForm(cookie, path, { _csrf: csrfOf(confirm), confirm: ' Erase.Me@example.com ' }, { Origin: ORIGIN });
    expect([done.status, done.headers.get('Location')]).toEqual([303, `/admin/stores/${storeId}/contacts?notice=erased`]);
    expect(await findContactByEmail(d(), storeId, 'erase.me@example.com')).toBeUndefined();
    expect((await listErasures(d(), storeId)).map((e) => e.requestedBy)).toEqual(['dashboard']);
    expect(await page(cookie, done.headers.get('Location') ?? '')).toContain('Le contact a été effacé.');
    expect((await adminFetch(path, { headers: { Cookie: cookie } })).status).toBe(404);
  });

  it('asks for a ticked box for a contact known only by phone', async () => {
    await insertContacts(storeId, [{ id: 'c_erase_phone', email: null, phone: '+33700000001' }], () => T0);
    const cookie = await login();
    const path = `/admin/stores/${storeId}/contacts/c_erase_phone/erase`;
    const confirm = await page(cookie, `${path}?lang=en`);
    expect(confirm).toContain('I confirm that this contact is erased for good');
    const unticked = await postForm(cookie, `${path}?lang=en`, { _csrf: csrfOf(confirm) }, { Origin: ORIGIN });
    expect(unticked.status).toBe(400);
    expect(await unticked.text()).toContain('Tick the box to confirm: nothing was erased.');
    const ticked = await postForm(cookie, path, { _csrf: csrfOf(confirm), confirm: 'yes' }, { Origin: ORIGIN });
    expect(ticked.status).toBe(303);
    expect(await findContact(d(), storeId, 'c_erase_phone')).toBeUndefined();
  });
});
