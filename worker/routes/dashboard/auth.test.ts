import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { changeReputationState } from '../../db/queries/reputation';
import { sendingState } from '../../deliverability/breaker';
import { adminFetch, csrfOf, login, ORIGIN, page, postForm, seedDashboardStore } from '../../test/dashboard-session';

describe('dashboard sign-in', () => {
  it('refuses a wrong token with a 401 page and no session cookie', async () => {
    const res = await adminFetch('/admin/login', { method: 'POST', body: new URLSearchParams({ token: `${env.ADMIN_TOKEN}x` }) });
    expect(res.status).toBe(401);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('ns_admin='))).toBe(false);
    expect(await res.text()).toContain('Jeton invalide.');
  });

  it('serves the login form with its stylesheet intact (no escaped characters inside <style>)', async () => {
    const res = await adminFetch('/admin/login');
    expect(res.status).toBe(200);
    const style = /<style>([^<]*)<\/style>/.exec(await res.text())?.[1] ?? '';
    expect(style.length).toBeGreaterThan(100);
    expect(style).not.toMatch(/&(gt|lt|quot|amp|#39);/);
  });

  it('sets a signed HttpOnly, Secure, SameSite=Strict session cookie for the right token and goes where the admin was headed', async () => {
    const res = await adminFetch('/admin/login', { method: 'POST', body: new URLSearchParams({ token: env.ADMIN_TOKEN, next: '/admin/stores/x/flows' }) });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/admin/stores/x/flows');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('ns_admin=')) ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/admin/);
  });

  it('never redirects off the dashboard after login', async () => {
    const res = await adminFetch('/admin/login', { method: 'POST', body: new URLSearchParams({ token: env.ADMIN_TOKEN, next: '//evil.example/admin/' }) });
    expect(res.headers.get('Location')).toBe('/admin/stores');
  });

  it('sends every page to the login form without a valid session', async () => {
    const cookie = await login();
    const forged = cookie.replace(/.$/, (ch) => (ch === '0' ? '1' : '0'));
    for (const path of ['/admin/stores', '/admin/stores/dash-auth/flows', '/admin/stores/dash-auth/messages', '/admin/stores/dash-auth/contacts']) {
      for (const headers of [{}, { Cookie: forged }, { Cookie: 'ns_admin=v1.99999999999999.00.00' }] as Record<string, string>[]) {
        const res = await adminFetch(path, { headers });
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(303);
        expect(res.headers.get('Location')).toBe(`/admin/login?next=${encodeURIComponent(path)}`);
      }
    }
    const post = await adminFetch('/admin/stores/dash-auth/reputation/ack', { method: 'POST', body: new URLSearchParams({ _csrf: 'x' }) });
    expect(post.status).toBe(303);
    expect(post.headers.get('Location')).toBe('/admin/login');
  });

  it('logs out: the cookie is cleared', async () => {
    const cookie = await login();
    const csrf = csrfOf(await page(cookie, '/admin/stores'));
    const res = await postForm(cookie, '/admin/logout', { _csrf: csrf });
    expect(res.status).toBe(303);
    expect(res.headers.getSetCookie().find((c) => c.startsWith('ns_admin='))).toMatch(/Max-Age=0/);
  });
});

describe('dashboard CSRF protection', () => {
  it('refuses a form POST without the session token, with a foreign token, or from a foreign origin (403), and changes nothing', async () => {
    const storeId = 'dash-csrf';
    await seedDashboardStore(storeId);
    const d = db(env.DB);
    await changeReputationState(d, { storeId, from: 'open', to: 'paused', at: Date.now(), reason: 'test', incidentId: 'inc_1', details: {} });
    const cookie = await login();
    const other = csrfOf(await page(await login(), '/admin/stores'));
    const csrf = csrfOf(await page(cookie, `/admin/stores/${storeId}`));
    const path = `/admin/stores/${storeId}/reputation/ack`;
    for (const [fields, headers] of [
      [{}, {}],
      [{ _csrf: '' }, {}],
      [{ _csrf: other }, {}],
      [{ _csrf: csrf }, { Origin: 'https://evil.example' }],
    ] as const) {
      const res = await postForm(cookie, path, fields, headers);
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('formulaire expiré');
    }
    expect((await sendingState(d, storeId, Date.now())).promotional).toBe('paused');
    const ok = await postForm(cookie, path, { _csrf: csrf }, { Origin: ORIGIN });
    expect(ok.status).toBe(303);
  });

  it('refuses the flows form without the token', async () => {
    await seedDashboardStore('dash-csrf-flows');
    const cookie = await login();
    const res = await postForm(cookie, '/admin/stores/dash-csrf-flows/flows/abandoned-cart', { version: '1', enabled: 'on' });
    expect(res.status).toBe(403);
  });
});

describe('dashboard language', () => {
  it('speaks French by default, English with ?lang=en (remembered) or an English Accept-Language', async () => {
    await seedDashboardStore('dash-lang');
    const cookie = await login();
    const fr = await page(cookie, '/admin/stores/dash-lang');
    expect(fr).toContain('<html lang="fr">');
    expect(fr).toContain('Envois promotionnels');

    const res = await adminFetch('/admin/stores/dash-lang?lang=en', { headers: { Cookie: cookie } });
    const en = await res.text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('Promotional sending');
    const langCookie = res.headers.getSetCookie().find((c) => c.startsWith('ns_admin_lang=')) ?? '';
    expect(langCookie).toMatch(/^ns_admin_lang=en/);
    expect(await page(`${cookie}; ns_admin_lang=en`, '/admin/stores/dash-lang/flows')).toContain('<html lang="en">');

    expect(await page(cookie, '/admin/stores', { 'Accept-Language': 'en-GB,en;q=0.9,fr;q=0.5' })).toContain('<html lang="en">');
    expect(await page(cookie, '/admin/stores', { 'Accept-Language': 'de-DE,de;q=0.9' })).toContain('<html lang="fr">');
    const login401 = await adminFetch('/admin/login?lang=en', { method: 'POST', body: new URLSearchParams({ token: 'nope' }) });
    expect(await login401.text()).toContain('Invalid token.');
  });
});
