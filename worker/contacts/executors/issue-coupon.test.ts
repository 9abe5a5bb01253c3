import { describe, expect, it } from 'vitest';
import { findCouponRecord, findIssuedCoupon } from '../../db/queries/issued-coupons';
import { updateStoreSettings } from '../../db/queries/store-settings';
import type { IssueCouponAction } from '../../journeys/actions';
import { couponCodeFor, issueCoupon } from './issue-coupon';
import { origin, seedExecutorContext } from './test/seed';
import { createWooFake } from './test/woo-fake';

const NOW = Date.UTC(2026, 10, 24, 20, 0, 0);
const CK = 'ck_0123456789abcdef';
const CS = 'cs_fedcba9876543210';

function action(enrollment: string): IssueCouponAction {
  return { ...origin(enrollment, 'coupon'), type: 'issue_coupon', discountType: 'percent', amount: 10, expiresAt: Date.UTC(2026, 11, 8, 23, 59, 59) };
}

async function setup(storeId: string, keys = true) {
  const ctx = await seedExecutorContext(storeId, NOW);
  if (keys) await updateStoreSettings(ctx.d, storeId, { wooConsumerKey: CK, wooConsumerSecret: CS }, NOW);
  return { ctx, woo: createWooFake(CK, CS) };
}

describe('issue_coupon against the WooCommerce REST API', () => {
  it('creates one single-use coupon bound to the contact, with a deterministic NS- code', async () => {
    const { ctx, woo } = await setup('coupon-a');
    const a = action('enr_1');
    expect(await issueCoupon(ctx, a, woo.fetch)).toEqual({ status: 'done' });
    const code = await couponCodeFor('coupon-a', a.idempotencyKey);
    expect(code).toMatch(/^NS-[2-9A-HJKMNP-Z]{8}$/);
    expect(woo.requests).toHaveLength(1);
    expect(woo.requests[0]).toMatchObject({ path: '/wp-json/wc/v3/coupons', authorization: `Basic ${btoa(`${CK}:${CS}`)}` });
    expect(woo.requests[0]?.body).toEqual({
      code,
      discount_type: 'percent',
      amount: '10.00',
      date_expires_gmt: '2026-12-08T23:59:59',
      usage_limit: 1,
      usage_limit_per_user: 1,
      email_restrictions: ['ann@coupon-a.example'],
      individual_use: true,
    });
    const issued = await findIssuedCoupon(ctx.d, 'coupon-a', a.idempotencyKey);
    expect(issued).toMatchObject({ code, status: 'issued', wooCouponId: woo.coupons[0]?.id, contactId: ctx.contact.id });

    expect(await issueCoupon(ctx, a, woo.fetch)).toEqual({ status: 'done' });
    expect(woo.requests).toHaveLength(1);
    expect(await couponCodeFor('coupon-a', 'enr_2:coupon')).not.toBe(code);
    expect(await couponCodeFor('coupon-b', a.idempotencyKey)).not.toBe(code);
  });

  it('keeps the reserved code when the answer is lost, and counts "already exists" on the retry as issued', async () => {
    const { ctx, woo } = await setup('coupon-b');
    const a = action('enr_lost');
    woo.loseNextAnswer();
    await expect(issueCoupon(ctx, a, woo.fetch)).rejects.toThrow(/unavailable/);
    const reserved = await findCouponRecord(ctx.d, 'coupon-b', a.idempotencyKey);
    expect(reserved?.status).toBe('pending');
    expect(await findIssuedCoupon(ctx.d, 'coupon-b', a.idempotencyKey)).toBeUndefined();

    expect(await issueCoupon(ctx, a, woo.fetch)).toEqual({ status: 'done' });
    expect(woo.requests.map((r) => (r.body as { code: string }).code)).toEqual([reserved?.code, reserved?.code]);
    expect(woo.coupons).toHaveLength(1);
    expect((await findIssuedCoupon(ctx.d, 'coupon-b', a.idempotencyKey))?.code).toBe(reserved?.code);
  });

  it('throws on a 5xx so the outbox entry stays, then succeeds', async () => {
    const { ctx, woo } = await setup('coupon-c');
    woo.failNext(500);
    await expect(issueCoupon(ctx, action('enr_5xx'), woo.fetch)).rejects.toThrow(/HTTP 500/);
    expect(await issueCoupon(ctx, action('enr_5xx'), woo.fetch)).toEqual({ status: 'done' });
    expect(woo.coupons).toHaveLength(1);
  });

  it('without API keys, reserves the code as pending_keys, calls nothing and skips with the reason', async () => {
    const { ctx, woo } = await setup('coupon-d', false);
    const a = action('enr_nokeys');
    const outcome = await issueCoupon(ctx, a, woo.fetch);
    expect(outcome).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/API keys are not configured/) });
    expect(woo.requests).toHaveLength(0);
    expect((await findCouponRecord(ctx.d, 'coupon-d', a.idempotencyKey))?.status).toBe('pending_keys');
    expect(await findIssuedCoupon(ctx.d, 'coupon-d', a.idempotencyKey)).toBeUndefined();
  });

  it('skips on rejected keys (401) and on a contact without email', async () => {
    const { ctx } = await setup('coupon-e');
    const wrong = createWooFake(CK, 'cs_other');
    const outcome = await issueCoupon(ctx, action('enr_401'), wrong.fetch);
    expect(outcome).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/HTTP 401 woocommerce_rest_authentication_error/) });
    expect((await findCouponRecord(ctx.d, 'coupon-e', 'enr_401:coupon'))?.status).toBe('pending_keys');

    const woo = createWooFake(CK, CS);
    const noEmail = { ...ctx, contact: { ...ctx.contact, email: null } };
    expect(await issueCoupon(noEmail, action('enr_noemail'), woo.fetch)).toMatchObject({ status: 'skipped' });
    expect(woo.requests).toHaveLength(0);
  });
});
