/**
 * Compact, URL-safe signed tokens: `<base64url(payload)>.<base64url(mac)>`.
 * The MAC is HMAC-SHA256 over `<purpose>.<payload>` truncated to 128 bits, so a token minted
 * for one purpose (say an open pixel) can never be replayed as another (an unsubscribe).
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const MAC_BYTES = 16;

export function base64UrlEncode(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function base64UrlDecode(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const raw = atob(padded);
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

/** Import once and reuse: rewriting every link of an email signs many tokens with one key. */
/** Every email signs its links with its store's key: a batch of sends imports it once per isolate, not once each. */
const TOKEN_KEY_CACHE_MAX = 1000;
const tokenKeys = new Map<string, Promise<CryptoKey>>();

export async function importTokenKey(secret: string): Promise<CryptoKey> {
  if (secret.length < 16) throw new Error('token signing secret must be at least 16 characters');
  let key = tokenKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    if (tokenKeys.size >= TOKEN_KEY_CACHE_MAX) tokenKeys.clear();
    tokenKeys.set(secret, key);
    key.catch(() => tokenKeys.delete(secret));
  }
  return key;
}

async function mac(key: CryptoKey, purpose: string, payload: string): Promise<Uint8Array> {
  const full = await crypto.subtle.sign('HMAC', key, encoder.encode(`${purpose}.${payload}`));
  return new Uint8Array(full).slice(0, MAC_BYTES);
}

export async function signToken(key: CryptoKey, purpose: string, payload: string): Promise<string> {
  const body = base64UrlEncode(encoder.encode(payload));
  return `${body}.${base64UrlEncode(await mac(key, purpose, body))}`;
}

/** Returns the payload when the token is intact and was minted for `purpose`, otherwise null. */
export async function verifyToken(key: CryptoKey, purpose: string, token: string): Promise<string | null> {
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return null;
  const body = token.slice(0, dot);
  const given = base64UrlDecode(token.slice(dot + 1));
  const payload = base64UrlDecode(body);
  if (!given || !payload || given.byteLength !== MAC_BYTES) return null;
  const expected = await mac(key, purpose, body);
  if (!crypto.subtle.timingSafeEqual(expected, given)) return null;
  try {
    return decoder.decode(payload);
  } catch {
    return null;
  }
}
