import { fromBase64Url, toBase64Url } from './base64url';
import { hmacSha256, timingSafeEqualText } from './hmac';

/** One cart line: product id, variation id (0 when none), quantity. */
export type CartTokenItem = [productId: number, variationId: number, quantity: number];

export type CartTokenPayload = {
  storeId: string;
  visitorId: string;
  items: CartTokenItem[];
  /** Unix seconds after which the link no longer restores the cart. */
  expiresAt: number;
};

export type CartTokenCheck =
  | { ok: true; payload: CartTokenPayload }
  | { ok: false; reason: 'malformed' | 'mismatch' | 'expired' | 'wrong_store' };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Cart restore token, verified by the plugin bridge:
 * base64url(JSON {"s","v","i","e"}) + "." + base64url(HMAC-SHA256(secret, first part as ASCII)).
 * Key order is fixed so the same cart always yields the same token.
 */
export async function signCartToken(secret: string, payload: CartTokenPayload): Promise<string> {
  const json = JSON.stringify({ s: payload.storeId, v: payload.visitorId, i: payload.items, e: payload.expiresAt });
  const body = toBase64Url(encoder.encode(json));
  return `${body}.${toBase64Url(await hmacSha256(secret, body))}`;
}

export async function verifyCartToken(
  secret: string,
  token: string,
  storeId: string,
  nowSeconds: number,
): Promise<CartTokenCheck> {
  const [body, mac, extra] = token.split('.');
  if (!body || !mac || extra !== undefined) return { ok: false, reason: 'malformed' };
  if (!timingSafeEqualText(toBase64Url(await hmacSha256(secret, body)), mac)) return { ok: false, reason: 'mismatch' };
  const payload = parsePayload(body);
  if (!payload) return { ok: false, reason: 'malformed' };
  if (payload.storeId !== storeId) return { ok: false, reason: 'wrong_store' };
  if (payload.expiresAt <= nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, payload };
}

function parsePayload(body: string): CartTokenPayload | undefined {
  const bytes = fromBase64Url(body);
  if (!bytes) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(bytes));
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { s, v, i, e } = raw as Record<string, unknown>;
  if (typeof s !== 'string' || typeof v !== 'string' || !Number.isInteger(e) || !Array.isArray(i)) return undefined;
  if (!i.every(isItem)) return undefined;
  return { storeId: s, visitorId: v, items: i, expiresAt: e as number };
}

function isItem(value: unknown): value is CartTokenItem {
  return (
    Array.isArray(value) &&
    value.length === 3 &&
    value.every((n) => Number.isInteger(n) && n >= 0) &&
    (value[0] as number) > 0 &&
    (value[2] as number) > 0
  );
}
