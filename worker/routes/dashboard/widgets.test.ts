import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { csrfOf, login, ORIGIN, page, postForm, seedDashboardStore } from '../../test/dashboard-session';

const path = (store: string) => `/admin/stores/${store}/widgets`;
const api = (p: string) => SELF.fetch(`${ORIGIN}/api${p}`, { headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}` } });

const FORM = {
  id: 'welcome', kind: 'popup', enabled: 'on',
  frTitle: '10 % de remise', frBody: 'Inscrivez-vous.', frSubmit: 'Je m’inscris', frThanks: 'Merci !', frConsentEmail: 'J’accepte les e-mails.', frConsentSms: '',
  enTitle: '10% off', enBody: 'Sign up.', enSubmit: 'Sign up', enThanks: 'Thanks!', enConsentEmail: 'I agree to emails.', enConsentSms: '',
  incentivePercent: '10', incentiveDays: '30', phone: 'on', delaySeconds: '5', scrollPercent: '', paths: '/product/, /shop/', minCartValue: '',
  notSubscribers: 'on', frequencyDays: '14',
};

async function submit(cookie: string, store: string, fields: Record<string, string>, lang = 'fr') {
  const html = await page(cookie, `${path(store)}?lang=${lang}`);
  return postForm(cookie, path(store), { _csrf: csrfOf(html), ...fields }, { Origin: ORIGIN, Cookie: `${cookie}; ns_admin_lang=${lang}` });
}

describe('dashboard: widgets page', () => {
  it('creates a pop-up from the form through the API schema, and shows it again with its results', async () => {
    await seedDashboardStore('wdg-dash');
    const cookie = await login();
    const res = await submit(cookie, 'wdg-dash', FORM);
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`${path('wdg-dash')}?edit=welcome&saved=1`);
    const stored = (await (await api('/stores/wdg-dash/widgets')).json()) as { widgets: { id: string; kind: string; config: Record<string, unknown> }[] };
    expect(stored.widgets[0]).toMatchObject({
      id: 'welcome', kind: 'popup',
      config: { incentive: { discountType: 'percent', amount: 10, expiryDays: 30 }, fields: { phone: true, birthday: false }, triggers: { delaySeconds: 5, paths: ['/product/', '/shop/'], exitIntent: false }, frequencyDays: 14, audience: { notSubscribers: true, newVisitorsOnly: false } },
    });
    const html = await page(cookie, res.headers.get('Location') ?? '');
    expect(html).toContain('Widget enregistré.');
    expect(html).toContain('value="10 % de remise"');
    expect(html).toContain('<th scope="col">Confirmées</th>');
    expect(html).toContain('<th scope="row">welcome</th>');
  });

  it('refuses a bad form with the fields marked, in English too', async () => {
    await seedDashboardStore('wdg-dash-bad');
    const cookie = await login();
    const res = await submit(cookie, 'wdg-dash-bad', { ...FORM, id: 'bad id', incentivePercent: '150', enTitle: '' }, 'en');
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Some values were refused');
    for (const f of ['id', 'incentivePercent', 'enTitle']) expect(html).toContain(`id="w-${f}-error"`);
    expect(html).not.toContain('id="w-frTitle-error"');
    expect(((await (await api('/stores/wdg-dash-bad/widgets')).json()) as { widgets: unknown[] }).widgets).toEqual([]);
  });
});
