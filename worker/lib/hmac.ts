const encoder = new TextEncoder();

/**
 * Every webhook and beacon signs or verifies with its store's secret; importing the key each time cost a
 * measurable share of those routes (bench), so each isolate keeps the imported keys of the secrets it has seen.
 * Non-extractable CryptoKeys, bounded like the store cache; a rotated secret is simply another entry.
 */
const HMAC_KEY_CACHE_MAX = 1000;
const hmacKeys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  const hit = hmacKeys.get(secret);
  if (hit) return hit;
  const key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  if (hmacKeys.size >= HMAC_KEY_CACHE_MAX) hmacKeys.clear();
  hmacKeys.set(secret, key);
  key.catch(() => hmacKeys.delete(secret));
  return key;
}

export async function hmacSha256(secret: string, message: string | Uint8Array): Promise<Uint8Array> {
  const data = typeof message === 'string' ? encoder.encode(message) : message;
  return new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), data));
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export async function sha256Hex(text: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text))));
}

/** Constant-time string comparison (lengths are not secret). */
export function timingSafeEqualText(a: string, b: string): boolean {
  const ab = encoder.encode(a);
  const bb = encoder.encode(b);
  if (ab.byteLength !== bb.byteLength) return false;
  return crypto.subtle.timingSafeEqual(ab, bb);
}

/** WooCommerce: base64(HMAC-SHA256(secret, raw body bytes)). */
/** During a secret rotation's grace period two secrets verify: the current one and the one it replaced. */
export type Secrets = string | readonly string[];

export function secretList(secrets: Secrets): readonly string[] {
  return typeof secrets === 'string' ? [secrets] : secrets;
}

export async function verifyWooSignature(secrets: Secrets, body: Uint8Array, header: string | undefined): Promise<boolean> {
  if (!header) return false;
  for (const secret of secretList(secrets)) {
    if (timingSafeEqualText(toBase64(await hmacSha256(secret, body)), header.trim())) return true;
  }
  return false;
}

export const SIGNATURE_HEADER = 'X-Nightshift-Signature';
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * Nightshift server-to-server signature (plugin bridge → worker):
 * `X-Nightshift-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 * The timestamp bounds replays to ±5 minutes.
 */
export async function signNightshift(secret: string, body: string, unixSeconds: number): Promise<string> {
  return `t=${unixSeconds},v1=${toHex(await hmacSha256(secret, `${unixSeconds}.${body}`))}`;
}

export type SignatureCheck = 'ok' | 'missing' | 'malformed' | 'expired' | 'mismatch';

export async function verifyNightshiftSignature(
  secrets: Secrets,
  body: string,
  header: string | undefined,
  nowSeconds: number,
): Promise<SignatureCheck> {
  if (!header) return 'missing';
  const parts = new Map(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1');
  if (!Number.isInteger(t) || !v1 || !/^[0-9a-f]{64}$/.test(v1)) return 'malformed';
  if (Math.abs(nowSeconds - t) > SIGNATURE_TOLERANCE_SECONDS) return 'expired';
  for (const secret of secretList(secrets)) {
    if (timingSafeEqualText(toHex(await hmacSha256(secret, `${t}.${body}`)), v1)) return 'ok';
  }
  return 'mismatch';
}
