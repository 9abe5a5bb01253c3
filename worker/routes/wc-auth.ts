import { Hono } from 'hono';
import { queueDeps } from '../catalog/catalog-import';
import { acceptWcAuthKeys, WcAuthCallback } from '../connect/wc-auth';
import type { AppEnv } from '../env';
import { AppError, badRequest, unauthorized, validationError } from '../errors';
import { readBodyCapped } from '../lib/read-body';

const MAX_CALLBACK_BYTES = 16 * 1024;

/**
 * WooCommerce's app-authorization callback (`callback_url`): unsigned, so it counts only when its `user_id` is a
 * one-time value we issued for this store. WooCommerce needs a 200 to complete the approval; any other answer makes
 * it revoke the key it just made, which is what a refused callback should do.
 */
export const wcAuth = new Hono<AppEnv>().post('/wc-auth/callback/:store', async (c) => {
  const bytes = await readBodyCapped(c.req.raw, MAX_CALLBACK_BYTES);
  if (bytes === null) throw new AppError(413, 'payload_too_large', `Callbacks are limited to ${MAX_CALLBACK_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new AppError(400, 'invalid_json', 'Body is not valid JSON');
  }
  const parsed = WcAuthCallback.safeParse(json);
  if (!parsed.success) throw validationError(parsed.error);
  if (parsed.data.key_permissions !== 'read_write') throw badRequest('Nightshift needs read_write keys (coupons are written)');
  // An unknown store, a value never issued, used or expired: one answer, revealing nothing.
  if (!(await acceptWcAuthKeys(c.env, queueDeps(c.env), c.req.param('store'), parsed.data, Date.now()))) {
    throw unauthorized('Unknown or used authorization');
  }
  return c.json({ ok: true }, 200);
});
