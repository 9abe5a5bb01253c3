import { env, SELF } from 'cloudflare:test';
import { db } from '../db/client';
import { upsertStore } from '../db/queries/stores';

export const ORIGIN = 'https://ns.test';

export async function seedDashboardStore(id: string): Promise<void> {
  await upsertStore(db(env.DB), { id, name: `Boutique ${id}`, webhookSecret: 'w'.repeat(32), siteKey: `pk_${id}`, createdAt: 1, updatedAt: 1 });
}

export function adminFetch(path: string, init: RequestInit = {}): Promise<Response> {
  return SELF.fetch(`${ORIGIN}${path}`, { redirect: 'manual', ...init });
}

let logins = 0;

/** Signs in through the login form (each time from another address: logins are limited per IP); returns the Cookie header value. */
export async function login(): Promise<string> {
  const ip = `198.51.100.${++logins % 250}`;
  const res = await adminFetch('/admin/login', { method: 'POST', headers: { 'CF-Connecting-IP': ip }, body: new URLSearchParams({ token: env.ADMIN_TOKEN }) });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('ns_admin='));
  if (res.status !== 303 || !cookie) throw new Error(`login failed: ${res.status}`);
  return cookie.split(';', 1)[0] ?? '';
}

export function csrfOf(html: string): string {
  const token = /name="_csrf" value="([0-9a-f]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no CSRF field in the page');
  return token;
}

/** GETs a dashboard page with the session and returns its HTML (expects 200). */
export async function page(cookie: string, path: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await adminFetch(path, { headers: { Cookie: cookie, ...headers } });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
  return res.text();
}

export function postForm(cookie: string, path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return adminFetch(path, { method: 'POST', headers: { Cookie: cookie, ...headers }, body: new URLSearchParams(fields) });
}
