import { Hono } from 'hono';
import type { FetchLike } from '../../../messaging/retry';

/**
 * A local stand-in for a store's WooCommerce REST API (`/wp-json/wc/v3/coupons`) that speaks its
 * wire format: Basic auth with consumer key/secret, 201 with the coupon JSON, 400/401 as
 * `{ code, message, data: { status } }`. `loseNextAnswer()` creates the coupon but answers 503,
 * as when the connection drops after WooCommerce committed.
 */
export type WooCouponRecord = {
  id: number;
  code: string;
  amount: string;
  discount_type: string;
  date_expires_gmt: string | null;
  usage_limit: number | null;
  usage_limit_per_user: number | null;
  email_restrictions: string[];
  individual_use: boolean;
};

export type WooFake = {
  fetch: FetchLike;
  coupons: WooCouponRecord[];
  requests: { method: string; path: string; authorization: string | null; body: unknown }[];
  loseNextAnswer(): void;
  failNext(status: 500 | 503): void;
};

const wooError = (code: string, message: string, status: number) => ({ code, message, data: { status } });

export function createWooFake(consumerKey: string, consumerSecret: string): WooFake {
  const coupons: WooCouponRecord[] = [];
  const requests: WooFake['requests'] = [];
  let lose = false;
  let fail: number | null = null;
  const app = new Hono();
  app.post('/wp-json/wc/v3/coupons', async (c) => {
    const body = await c.req.json<Record<string, unknown>>().catch(() => null);
    const authorization = c.req.header('Authorization') ?? null;
    requests.push({ method: 'POST', path: c.req.path, authorization, body });
    if (fail) {
      const status = fail;
      fail = null;
      return c.json(wooError('internal_server_error', 'There has been a critical error on this website.', status), status as 500);
    }
    if (authorization !== `Basic ${btoa(`${consumerKey}:${consumerSecret}`)}`) {
      return c.json(wooError('woocommerce_rest_authentication_error', 'Consumer key is invalid.', 401), 401);
    }
    if (!body || typeof body.code !== 'string' || !body.code) {
      return c.json(wooError('rest_missing_callback_param', 'Missing parameter(s): code', 400), 400);
    }
    const code = body.code.toLowerCase();
    if (coupons.some((x) => x.code === code)) {
      return c.json(wooError('woocommerce_rest_coupon_code_already_exists', 'The coupon code already exists', 400), 400);
    }
    const coupon: WooCouponRecord = {
      id: 700 + coupons.length,
      code,
      amount: String(body.amount ?? '0'),
      discount_type: String(body.discount_type ?? 'fixed_cart'),
      date_expires_gmt: typeof body.date_expires_gmt === 'string' ? body.date_expires_gmt : null,
      usage_limit: typeof body.usage_limit === 'number' ? body.usage_limit : null,
      usage_limit_per_user: typeof body.usage_limit_per_user === 'number' ? body.usage_limit_per_user : null,
      email_restrictions: Array.isArray(body.email_restrictions) ? body.email_restrictions.map(String) : [],
      individual_use: body.individual_use === true,
    };
    coupons.push(coupon);
    if (lose) {
      lose = false;
      return c.text('Service Unavailable', 503);
    }
    return c.json({ ...coupon, date_created_gmt: '2026-11-24T20:00:00', usage_count: 0, used_by: [], meta_data: [] }, 201);
  });
  return {
    fetch: async (input, init) => app.fetch(new Request(input, init)),
    coupons,
    requests,
    loseNextAnswer: () => void (lose = true),
    failNext: (status) => void (fail = status),
  };
}
