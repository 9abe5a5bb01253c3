import { z } from 'zod';
import type { FetchLike } from '../../messaging/retry';

/** What `POST /wp-json/wc/v3/coupons` takes for a single-use coupon bound to one email address. */
export type WooCouponRequest = {
  code: string;
  discount_type: 'percent' | 'fixed_cart';
  amount: string;
  date_expires_gmt: string;
  usage_limit: 1;
  usage_limit_per_user: 1;
  email_restrictions: string[];
  individual_use: true;
};

export type WooCouponResult =
  | { status: 'created'; id: number }
  | { status: 'exists' }
  | { status: 'rejected'; httpStatus: number; code: string; message: string }
  | { status: 'unavailable'; message: string };

const WooError = z.object({ code: z.string(), message: z.string() });
const WooCoupon = z.object({ id: z.number().int() });
export const WOO_CODE_EXISTS = 'woocommerce_rest_coupon_code_already_exists';
const TIMEOUT_MS = 10_000;

/** WooCommerce wants GMT without a zone suffix: `2026-12-01T00:00:00`. */
export function wooGmt(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

export type WooCredentials = { siteUrl: string; consumerKey: string; consumerSecret: string };

/**
 * One request, no retry here: the ContactAgent re-runs the outbox entry, and the deterministic code
 * makes a second try after a lost answer come back as "already exists".
 */
export async function createWooCoupon(fetcher: FetchLike, creds: WooCredentials, body: WooCouponRequest): Promise<WooCouponResult> {
  const url = `${creds.siteUrl.replace(/\/+$/, '')}/wp-json/wc/v3/coupons`;
  let res: Response;
  try {
    res = await fetcher(url, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${btoa(`${creds.consumerKey}:${creds.consumerSecret}`)}`,
        'Content-Type': 'application/json',
        Accept: 'application/json',
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    return { status: 'unavailable', message: err instanceof Error ? err.message : String(err) };
  }
  const json: unknown = await res.json().catch(() => null);
  if (res.status === 201 || res.status === 200) {
    const coupon = WooCoupon.safeParse(json);
    return coupon.success ? { status: 'created', id: coupon.data.id } : { status: 'unavailable', message: 'unreadable coupon in the answer' };
  }
  if (res.status >= 500 || res.status === 429) return { status: 'unavailable', message: `HTTP ${res.status}` };
  const error = WooError.safeParse(json);
  if (res.status === 400 && error.success && error.data.code === WOO_CODE_EXISTS) return { status: 'exists' };
  return {
    status: 'rejected',
    httpStatus: res.status,
    code: error.success ? error.data.code : 'unknown',
    message: error.success ? error.data.message : `HTTP ${res.status}`,
  };
}
