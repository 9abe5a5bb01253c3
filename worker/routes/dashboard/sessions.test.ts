import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { adminFetch, csrfOf, login, page, postForm } from '../../test/dashboard-session';

function attempt(ip: string, token: string, lang = 'fr') {
  return adminFetch(`/admin/login?lang=${lang}`, { method: 'POST', headers: { 'CF-Connecting-IP': ip }, body: new URLSearchParams({ token }) });
}

describe('dashboard sessions', () => {
  it('limits login attempts per IP, right token or wrong, and tells the admin in French and English', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await attempt('203.0.113.77', `wrong-${i}`)).status);
    expect(statuses).toEqual(Array(20).fill(401));
    const limited = await attempt('203.0.113.77', env.ADMIN_TOKEN);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('Retry-After')).toBe('60');
    expect(limited.headers.getSetCookie().some((c) => c.startsWith('ns_admin='))).toBe(false);
    expect(await limited.text()).toContain('Trop de tentatives depuis cette adresse');
    expect(await (await attempt('203.0.113.77', 'x', 'en')).text()).toContain('Too many attempts from this address');
    // Another address is not affected.
    expect((await attempt('203.0.113.78', env.ADMIN_TOKEN)).status).toBe(303);
  });

  it('revokes the session on logout: a copied cookie stops working', async () => {
    const cookie = await login();
    const copy = cookie;
    const csrf = csrfOf(await page(cookie, '/admin/stores'));
    expect((await adminFetch('/admin/stores', { headers: { Cookie: copy } })).status).toBe(200);
    const out = await postForm(cookie, '/admin/logout', { _csrf: csrf });
    expect(out.status).toBe(303);
    const after = await adminFetch('/admin/stores', { headers: { Cookie: copy } });
    expect(after.status).toBe(303);
    expect(after.headers.get('Location')).toBe('/admin/login?next=%2Fadmin%2Fstores');
    // Other sessions stay signed in.
    expect((await adminFetch('/admin/stores', { headers: { Cookie: await login() } })).status).toBe(200);
  });

  it('keeps only a hash of the session server-side', async () => {
    const cookie = await login();
    const nonce = /^ns_admin=v1\.\d+\.([0-9a-f]{32})\./.exec(cookie)?.[1] ?? '';
    expect(nonce).not.toBe('');
    const { results } = await env.DB.prepare('SELECT id_hash FROM admin_sessions').all<{ id_hash: string }>();
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r.id_hash).not.toContain(nonce);
  });
});
