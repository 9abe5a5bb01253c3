import { z } from 'zod';
import { base64UrlDecode, base64UrlEncode } from './tokens';
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

/** The token's JSON as the worker writes it; anything else is malformed. */
export const CartTokenJson = z.object({
  s: z.string().min(1),
  v: z.string().min(1),
  i: z.array(z.tuple([z.number().int().positive(), z.number().int().nonnegative(), z.number().int().positive()])).max(200),
  e: z.number().int(),
});
export type CartTokenJson = z.infer<typeof CartTokenJson>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Cart restore token, verified by the plugin bridge:
 * base64url(JSON {"s","v","i","e"}) + "." + base64url(HMAC-SHA256(secret, first part as ASCII)).
 * Key order is fixed so the same cart always yields the same token.
 */
export async function signCartToken(secret: string, payload: CartTokenPayload): Promise<string> {
  const json = JSON.stringify({ s: payload.storeId, v: payload.visitorId, i: payload.items, e: payload.expiresAt });
  const body = base64UrlEncode(encoder.encode(json));
  return `${body}.${base64UrlEncode(await hmacSha256(secret, body))}`;
}

export async function verifyCartToken(
  secret: string,
  token: string,
  storeId: string,
  nowSeconds: number,
): Promise<CartTokenCheck> {
  const [body, mac, extra] = token.split('.');
  if (!body || !mac || extra !== undefined) return { ok: false, reason: 'malformed' };
  if (!timingSafeEqualText(base64UrlEncode(await hmacSha256(secret, body)), mac)) return { ok: false, reason: 'mismatch' };
  const payload = parsePayload(body);
  if (!payload) return { ok: false, reason: 'malformed' };
  if (payload.storeId !== storeId) return { ok: false, reason: 'wrong_store' };
  if (payload.expiresAt <= nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, payload };
}

function parsePayload(body: string): CartTokenPayload | undefined {
  const bytes = base64UrlDecode(body);
  if (!bytes) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(bytes));
  } catch {
    return undefined;
  }
  const parsed = CartTokenJson.safeParse(raw);
  if (!parsed.success) return undefined;
  const { s, v, i, e } = parsed.data;
  return { storeId: s, visitorId: v, items: i, expiresAt: e };
}
