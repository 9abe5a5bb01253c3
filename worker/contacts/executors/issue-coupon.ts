import { findStoreSettings } from '../../db/queries/store-settings';
import { reserveIssuedCoupon, setIssuedCouponStatus } from '../../db/queries/issued-coupons';
import { sha256Hex } from '../../lib/hmac';
import type { FetchLike } from '../../messaging/retry';
import type { IssueCouponAction } from '../../journeys/actions';
import { createWooCoupon, wooGmt } from './woo-coupon-client';
import type { Executor, ExecutorContext, ExecutorOutcome } from './types';

/** No 0/O, 1/I/L: people type these codes at checkout. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** Deterministic per (store, idempotency key): a retry, even after losing our own row, asks for the same code. */
export async function couponCodeFor(storeId: string, idempotencyKey: string): Promise<string> {
  const hex = await sha256Hex(`coupon\n${storeId}\n${idempotencyKey}`);
  let code = '';
  for (let i = 0; i < 8; i++) code += ALPHABET[parseInt(hex.slice(i * 4, i * 4 + 4), 16) % ALPHABET.length];
  return `NS-${code}`;
}

function formatAmount(amount: number): string {
  return amount.toFixed(2);
}

/**
 * Creates a unique, single-use WooCommerce coupon bound to the contact's email. The code is stored
 * first, so the email that follows (its `context.coupons` lists this key) can show it once issued.
 * Without WooCommerce API keys the code is kept as `pending_keys` and the action is skipped, with
 * its reason in the journey log: an email must never promise a code the shop does not know.
 * Network failures and 5xx throw, so the outbox entry stays for the ContactAgent to retry.
 */
/** What a coupon needs from its action: flows pass their issue_coupon action, sign-up widgets their incentive. */
export type CouponRequest = Pick<IssueCouponAction, 'idempotencyKey' | 'discountType' | 'amount' | 'expiresAt'>;

export async function issueCoupon(ctx: ExecutorContext, action: CouponRequest, fetcher: FetchLike): Promise<ExecutorOutcome> {
  const storeId = ctx.store.id;
  const key = action.idempotencyKey;
  const row = await reserveIssuedCoupon(ctx.d, {
    storeId,
    idempotencyKey: key,
    contactId: ctx.contact.id,
    code: await couponCodeFor(storeId, key),
    discountType: action.discountType,
    amount: formatAmount(action.amount),
    expiresAt: action.expiresAt,
    createdAt: ctx.now,
  });
  if (row.status === 'issued') return { status: 'done' };
  if (row.status === 'failed') return { status: 'skipped', reason: `coupon rejected earlier: ${row.error ?? 'unknown'}` };

  const settings = await findStoreSettings(ctx.d, storeId);
  const skip = async (reason: string, status: 'pending_keys' | 'failed'): Promise<ExecutorOutcome> => {
    await setIssuedCouponStatus(ctx.d, storeId, key, status, ctx.now, { error: reason });
    return { status: 'skipped', reason };
  };
  if (!settings?.wooConsumerKey || !settings.wooConsumerSecret) {
    return skip('WooCommerce REST API keys are not configured (store settings wooConsumerKey/wooConsumerSecret)', 'pending_keys');
  }
  if (!ctx.store.siteUrl) return skip('the store has no site URL', 'pending_keys');
  if (!ctx.contact.email) return skip('the contact has no email address to bind the coupon to', 'failed');

  const result = await createWooCoupon(
    fetcher,
    { siteUrl: ctx.store.siteUrl, consumerKey: settings.wooConsumerKey, consumerSecret: settings.wooConsumerSecret },
    {
      code: row.code,
      discount_type: row.discountType,
      amount: row.amount,
      date_expires_gmt: wooGmt(row.expiresAt),
      usage_limit: 1,
      usage_limit_per_user: 1,
      email_restrictions: [ctx.contact.email],
      individual_use: true,
    },
  );
  switch (result.status) {
    case 'created':
      await setIssuedCouponStatus(ctx.d, storeId, key, 'issued', ctx.now, { wooCouponId: result.id });
      return { status: 'done' };
    case 'exists':
      // Our earlier try reached WooCommerce but its answer was lost; the code is ours (it hashes our key).
      await setIssuedCouponStatus(ctx.d, storeId, key, 'issued', ctx.now);
      return { status: 'done' };
    case 'rejected': {
      // Wrong or read-only keys are the admin's to fix; a later run of the same key may then succeed.
      const keys = result.httpStatus === 401 || result.httpStatus === 403;
      return skip(`WooCommerce refused the coupon (HTTP ${result.httpStatus} ${result.code}: ${result.message})`, keys ? 'pending_keys' : 'failed');
    }
    case 'unavailable':
      throw new Error(`WooCommerce coupon API unavailable: ${result.message}`);
  }
}

export const executeIssueCoupon: Executor<'issue_coupon'> = (ctx, action) => issueCoupon(ctx, action, (input, init) => fetch(input, init));
