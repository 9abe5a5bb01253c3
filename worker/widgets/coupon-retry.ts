import { db } from '../db/client';
import { signupsAwaitingCoupon } from '../db/queries/widgets';
import type { ScheduledJob } from '../scheduled';
import { sendSignupCoupon } from './signup-coupon';

/** A promised coupon is retried for two days after the confirmation; past that the shopper has moved on. */
const RETRY_MS = 2 * 86_400_000;
/** Bounds one tick's calls to stores' WooCommerce; a backlog drains over the next ticks. */
const PER_TICK = 50;

/**
 * Sign-up coupons whose WooCommerce call failed at the confirmation (site down, keys missing then added) are tried
 * again every tick: same key, same code, and the email goes out once WooCommerce has the coupon.
 */
export const signupCouponRetryJob: ScheduledJob = {
  name: 'signup-coupon-retry',
  run: async (env, now) => {
    const d = db(env.DB);
    for (const ids of await signupsAwaitingCoupon(d, now - RETRY_MS, PER_TICK)) {
      await sendSignupCoupon(env, d, ids, (input, init) => fetch(input, init), now).catch((err: unknown) => console.error(`sign-up coupon retry ${ids.storeId}/${ids.widgetId}/${ids.contactId}`, err));
    }
  },
};
