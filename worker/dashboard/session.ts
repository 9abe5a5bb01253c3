import { hmacSha256, sha256Hex, timingSafeEqualText, toHex } from '../lib/hmac';

export const SESSION_COOKIE = 'ns_admin';
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export type Session = { nonce: string; expiresAt: number; csrfToken: string };

/**
 * Sessions and CSRF tokens are signed with a key derived from ADMIN_TOKEN: rotating the token
 * logs every session out, and the raw token never signs anything a browser holds.
 */
async function derivedKey(adminToken: string): Promise<string> {
  return toHex(await hmacSha256(adminToken, 'nightshift/admin-session/v1'));
}

async function sign(adminToken: string, payload: string): Promise<string> {
  return toHex(await hmacSha256(await derivedKey(adminToken), payload));
}

async function csrfTokenOf(adminToken: string, nonce: string): Promise<string> {
  return sign(adminToken, `csrf.${nonce}`);
}

/** Constant time, like the API's bearer check; an unset ADMIN_TOKEN never matches. */
export async function adminTokenMatches(presented: string, adminToken: string | undefined): Promise<boolean> {
  if (!adminToken || presented.length === 0) return false;
  return timingSafeEqualText(await sha256Hex(presented), await sha256Hex(adminToken));
}

/** What the server keeps of a session: the hash of its nonce (the cookie's signature still needs ADMIN_TOKEN). */
export function sessionIdHash(session: Pick<Session, 'nonce'>): Promise<string> {
  return sha256Hex(`admin-session.${session.nonce}`);
}

export async function issueSession(adminToken: string, now: number): Promise<{ cookie: string; session: Session }> {
  const nonce = toHex(crypto.getRandomValues(new Uint8Array(16)));
  const expiresAt = now + SESSION_TTL_MS;
  const payload = `v1.${expiresAt}.${nonce}`;
  const cookie = `${payload}.${await sign(adminToken, payload)}`;
  return { cookie, session: { nonce, expiresAt, csrfToken: await csrfTokenOf(adminToken, nonce) } };
}

export async function readSession(cookie: string | undefined, adminToken: string | undefined, now: number): Promise<Session | null> {
  if (!cookie || !adminToken) return null;
  const match = /^(v1\.(\d{1,15})\.([0-9a-f]{32}))\.([0-9a-f]{64})$/.exec(cookie);
  if (!match) return null;
  const [, payload = '', expires = '', nonce = '', signature = ''] = match;
  if (!timingSafeEqualText(signature, await sign(adminToken, payload))) return null;
  const expiresAt = Number(expires);
  if (expiresAt <= now) return null;
  return { nonce, expiresAt, csrfToken: await csrfTokenOf(adminToken, nonce) };
}

export function csrfMatches(session: Session, presented: unknown): boolean {
  return typeof presented === 'string' && presented.length > 0 && timingSafeEqualText(presented, session.csrfToken);
}

/** A cross-site form post carries the attacker's Origin; a same-origin one ours. Absent (old clients): the token decides. */
export function originAllowed(origin: string | undefined, requestUrl: string): boolean {
  if (origin === undefined) return true;
  return origin === new URL(requestUrl).origin;
}

/** Secure everywhere except plain-http local development, where a browser would drop the cookie. */
export function cookieMayBeInsecure(requestUrl: string): boolean {
  const url = new URL(requestUrl);
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}
