import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { seedExecutorContext } from '../contacts/executors/test/seed';
import { appendConsents } from '../db/queries/consents';
import { applyContactMembership } from '../db/queries/segment-members';
import { linkVisitorToContact, touchVisitor } from '../db/queries/visitors';

const copy = (lang: string) => ({ title: `Title ${lang}`, body: `Body ${lang}`, submit: `Go ${lang}`, thanks: `Thanks ${lang}`, consentEmail: `Email me ${lang}` });
const config = (extra: Record<string, unknown> = {}) => ({ copy: { fr: copy('fr'), en: copy('en') }, ...extra });

function api(path: string, method = 'GET', body?: unknown): Promise<Response> {
  const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${env.ADMIN_TOKEN}` };
  return SELF.fetch(`https://ns.test/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function setup(storeId: string, locale = 'fr') {
  const ctx = await seedExecutorContext(storeId, Date.now(), { locale });
  const vid = `v_${storeId.replace(/-/g, '_')}_visitor`;
  const page = (query = '') =>
    SELF.fetch(`https://ns.test/widgets/page?store=pk_${storeId}&vid=${vid}${query}`, { headers: { Origin: `https://${storeId}.shop.test` } });
  const event = (w: string, m: string, origin = `https://${storeId}.shop.test`) =>
    SELF.fetch(`https://ns.test/widgets/event?store=pk_${storeId}&vid=${vid}&w=${w}&m=${m}`, { method: 'POST', headers: { Origin: origin } });
  return { ctx, vid, page, event };
}

type Page = { lang: string; brand: { primary: string; accent: string }; signups: { id: string; kind: string; title: string; email: string; phone?: string; delay: number; days: number }[] };

describe('widget config API', () => {
  it('refuses invalid configs with readable 400s, naming the field', async () => {
    await setup('wdg-valid');
    const over = await api('/stores/wdg-valid/widgets/w1', 'PUT', { kind: 'popup', config: config({ incentive: { discountType: 'percent', amount: 150, expiryDays: 30 } }) });
    expect(over.status).toBe(400);
    expect(await over.text()).toContain('incentive.amount');
    const noCopy = await api('/stores/wdg-valid/widgets/w1', 'PUT', { kind: 'popup', config: { copy: { fr: copy('fr') } } });
    expect(noCopy.status).toBe(400);
    expect(await noCopy.text()).toContain('copy.en');
    expect((await api('/stores/wdg-valid/widgets/bad%20id', 'PUT', { kind: 'popup', config: config() })).status).toBe(400);
    expect((await api('/stores/nope/widgets/w1', 'PUT', { kind: 'popup', config: config() })).status).toBe(404);
  });
});

describe('GET /widgets/page', () => {
  it('answers 204 (no widget code) when nothing applies, and the sign-up in the store language when one does', async () => {
    const { page } = await setup('wdg-page');
    expect((await page('&path=/')).status).toBe(204);
    const put = await api('/stores/wdg-page/widgets/welcome', 'PUT', { kind: 'popup', config: config({ fields: { phone: true }, triggers: { delaySeconds: 5, paths: ['/shop/'] }, frequencyDays: 3 }) });
    expect(put.status).toBe(200);
    expect((await page('&path=/')).status).toBe(204);
    const res = await page('&path=/shop/kamado');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const body = (await res.json()) as Page;
    expect(body.lang).toBe('fr');
    expect(body.brand).toEqual({ primary: '#18181b', accent: '#18181b' });
    expect(body.signups).toEqual([expect.objectContaining({ id: 'welcome', kind: 'popup', title: 'Title fr', email: 'Adresse e-mail', phone: 'Téléphone (facultatif)', delay: 5, days: 3 })]);
  });

  it('speaks English for an English store, and answers a page that placed a carousel even without a sign-up', async () => {
    const { page } = await setup('wdg-en', 'en');
    const placed = await page('&path=/&placed=1');
    expect(placed.status).toBe(200);
    expect(await placed.json()).toMatchObject({ lang: 'en', carousel: 'Recommended products', signups: [] });
    await api('/stores/wdg-en/widgets/w', 'PUT', { kind: 'inlay', config: config() });
    expect(((await (await page('&path=/')).json()) as Page).signups[0]).toMatchObject({ kind: 'inlay', title: 'Title en', email: 'Email address' });
  });

  it('hides a not-subscribers widget from a visitor whose contact already gets marketing email, and disabled widgets', async () => {
    const { ctx, vid, page } = await setup('wdg-sub');
    await api('/stores/wdg-sub/widgets/w', 'PUT', { kind: 'popup', config: config() });
    expect((await page()).status).toBe(200);
    await touchVisitor(ctx.d, 'wdg-sub', vid, Date.now());
    await linkVisitorToContact(ctx.d, 'wdg-sub', vid, ctx.contact.id);
    await appendConsents(ctx.d, [{ storeId: 'wdg-sub', contactId: ctx.contact.id, channel: 'email', purpose: 'marketing', granted: true, source: 'checkout', occurredAt: Date.now() }]);
    expect((await page()).status).toBe(204);
    await api('/stores/wdg-sub/widgets/w', 'PUT', { kind: 'popup', enabled: false, config: config({ audience: { notSubscribers: false } }) });
    expect((await page()).status).toBe(204);
  });
});

describe('audience rules, decided by the server', () => {
  const shown = async (page: () => Promise<Response>) => {
    const res = await page();
    return res.status === 200 ? ((await res.json()) as Page).signups.map((s) => s.id) : [];
  };

  it('shows a new-visitors widget to a visitor first seen less than a day ago (or not seen yet), not to an older one', async () => {
    const { ctx, vid, page } = await setup('wdg-new');
    await api('/stores/wdg-new/widgets/fresh', 'PUT', { kind: 'popup', config: config({ audience: { newVisitorsOnly: true } }) });
    await api('/stores/wdg-new/widgets/all', 'PUT', { kind: 'popup', config: config() });
    expect(await shown(page)).toEqual(['fresh', 'all']);
    await touchVisitor(ctx.d, 'wdg-new', vid, Date.now() - 23 * 3_600_000);
    expect(await shown(page)).toEqual(['fresh', 'all']);
    await touchVisitor(ctx.d, 'wdg-new', vid, Date.now() - 25 * 3_600_000);
    expect(await shown(page)).toEqual(['all']);
  });

  it('shows a segment widget to members only and an excluding one to non-members only; unknown visitors are in no segment', async () => {
    const { ctx, vid, page } = await setup('wdg-seg');
    await api('/stores/wdg-seg/widgets/vip', 'PUT', { kind: 'popup', config: config({ audience: { notSubscribers: false, segmentsIn: ['rfm-champions', 'hot-lead'] } }) });
    await api('/stores/wdg-seg/widgets/nochurn', 'PUT', { kind: 'popup', config: config({ audience: { notSubscribers: false, segmentsOut: ['churn-risk'] } }) });
    expect(await shown(page)).toEqual(['nochurn']);
    await touchVisitor(ctx.d, 'wdg-seg', vid, Date.now());
    await linkVisitorToContact(ctx.d, 'wdg-seg', vid, ctx.contact.id);
    expect(await shown(page)).toEqual(['nochurn']);
    await applyContactMembership(ctx.d, 'wdg-seg', ctx.contact.id, { entered: ['hot-lead', 'churn-risk'], exited: [] }, Date.now());
    expect(await shown(page)).toEqual(['vip']);
    await applyContactMembership(ctx.d, 'wdg-seg', ctx.contact.id, { entered: [], exited: ['churn-risk'] }, Date.now());
    expect(await shown(page)).toEqual(['vip', 'nochurn']);
    const bad = await api('/stores/wdg-seg/widgets/bad', 'PUT', { kind: 'popup', config: config({ audience: { segmentsIn: ['no spaces'] } }) });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('segmentsIn');
  });
});

describe('POST /widgets/event', () => {
  it('counts views, closes, submits and carousel clicks per widget, shown by the admin API', async () => {
    const { event } = await setup('wdg-count');
    await api('/stores/wdg-count/widgets/pop', 'PUT', { kind: 'popup', config: config() });
    for (const m of ['view', 'view', 'close', 'submit']) expect((await event('pop', m)).status).toBe(204);
    expect((await event('carousel-bestsellers', 'click')).status).toBe(204);
    expect((await event('ghost', 'view')).status).toBe(404);
    expect((await event('carousel-new', 'view')).status).toBe(404);
    expect((await event('pop', 'view', 'https://evil.example')).status).toBe(403);
    const list = (await (await api('/stores/wdg-count/widgets')).json()) as { widgets: { id: string; results: Record<string, number> }[]; carousels: unknown[] };
    expect(list.widgets[0]).toMatchObject({ id: 'pop', results: { view: 2, close: 1, submit: 1, confirmed: 0, order: 0, revenue: 0 } });
    expect(list.carousels).toEqual([{ id: 'carousel-bestsellers', clicks: 1 }]);
  });
});
