import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { findContactByEmail } from '../db/queries/contacts';
import { findCouponRecord } from '../db/queries/issued-coupons';
import { listContactMessages } from '../db/queries/messages';
import { signupsAwaitingCoupon } from '../db/queries/widgets';
import { updateStoreSettings } from '../db/queries/store-settings';
import { createWooFake } from '../contacts/executors/test/woo-fake';
import { completeSender } from '../test/sender';
import { sendSignupCoupon, signupCouponKey } from './signup-coupon';
import { confirmFromMailbox, d, seedWidgetStore, submitWidget } from './test/signup-kit';

const CK = 'ck_widget_0123456789';
const CS = 'cs_widget_9876543210';
const incentive = { discountType: 'percent', amount: 15, expiryDays: 14 };

/** A store whose WooCommerce answers nowhere (`.invalid`): the confirmation's own try leaves the coupon pending. */
async function setup(storeId: string, locale: string) {
  await seedWidgetStore(storeId, { locale, config: { incentive }, siteUrl: `https://${storeId}.invalid` });
  await completeSender(d(), storeId);
  await updateStoreSettings(d(), storeId, { wooConsumerKey: CK, wooConsumerSecret: CS }, 1);
  await submitWidget(storeId, `shopper@${storeId}.example`);
  const contact = (await findContactByEmail(d(), storeId, `shopper@${storeId}.example`))!;
  return { contact, woo: createWooFake(CK, CS), ids: { storeId, widgetId: 'welcome', contactId: contact.id } };
}

const couponEmails = async (storeId: string, contactId: string) => (await listContactMessages(d(), storeId, contactId)).filter((m) => m.idempotencyKey.startsWith('signup-coupon:'));

describe('the sign-up coupon of a widget with an incentive', () => {
  it('is issued only after the double opt-in, once, and mailed in French with its code, amount and expiry', async () => {
    const { contact, woo, ids } = await setup('wcoupon-fr', 'fr');
    expect(await sendSignupCoupon(env, d(), ids, woo.fetch, Date.now())).toBe('not-confirmed');
    expect(woo.requests).toHaveLength(0);
    expect(await findCouponRecord(d(), ids.storeId, signupCouponKey('welcome', contact.id))).toBeUndefined();

    await confirmFromMailbox(ids.storeId, contact.id);
    // The confirmation tried WooCommerce itself (unreachable here): the code is reserved, nothing mailed yet.
    const reserved = await findCouponRecord(d(), ids.storeId, signupCouponKey('welcome', contact.id));
    expect(reserved?.status).toBe('pending');
    expect(await couponEmails(ids.storeId, contact.id)).toHaveLength(0);
    // The retry job's list: this sign-up waits for its coupon (until sent, and only within the retry window).
    const awaiting = async (since = 0) => (await signupsAwaitingCoupon(d(), since, 500)).filter((s) => s.storeId === ids.storeId);
    expect(await awaiting()).toEqual([ids]);
    expect(await awaiting(Date.now() + 60_000)).toEqual([]);

    expect(await sendSignupCoupon(env, d(), ids, woo.fetch, Date.now())).toBe('sent');
    expect(await sendSignupCoupon(env, d(), ids, woo.fetch, Date.now())).toBe('sent');
    expect(woo.requests).toHaveLength(1);
    expect(woo.requests[0]?.body).toMatchObject({ code: reserved!.code, discount_type: 'percent', amount: '15.00', usage_limit: 1, usage_limit_per_user: 1, email_restrictions: ['shopper@wcoupon-fr.example'], individual_use: true });
    expect(woo.coupons.map((c) => c.code)).toEqual([reserved!.code.toLowerCase()]);

    const emails = await couponEmails(ids.storeId, contact.id);
    expect(emails).toHaveLength(1);
    expect(await awaiting()).toEqual([]);
    const [email] = emails;
    // Subjects are plain header text: the layout turns the non-breaking space into a plain one there.
    expect(email!.subject).toBe('Votre code de bienvenue chez Braise : 15 % de réduction');
    expect(email!.text).toContain('Merci d’avoir confirmé votre adresse. Comme promis, voici votre code, valable pour une commande :');
    expect(email!.text).toContain(reserved!.code);
    expect(email!.html).toContain(`<span class="code">${reserved!.code}</span>`);
    const expiry = new Date(reserved!.expiresAt).toLocaleDateString('fr', { timeZone: 'Europe/Paris' });
    expect(email!.text).toContain(expiry);
    expect(reserved!.expiresAt - reserved!.createdAt).toBe(14 * 86_400_000);
  });

  it('speaks English for an English store, and a widget without incentive issues nothing', async () => {
    const { contact, woo, ids } = await setup('wcoupon-en', 'en');
    await confirmFromMailbox(ids.storeId, contact.id);
    expect(await sendSignupCoupon(env, d(), ids, woo.fetch, Date.now())).toBe('sent');
    const [email] = await couponEmails(ids.storeId, contact.id);
    const code = woo.coupons[0]!.code.toUpperCase();
    expect(email!.subject).toBe('Your welcome code for Braise: 15% off');
    expect(email!.text).toContain('Thanks for confirming your address. As promised, here is your code, for one order:');
    expect(email!.text).toContain(`Your code (15%): ${code}`);

    await seedWidgetStore('wcoupon-none');
    await submitWidget('wcoupon-none', 'plain@example.com');
    const plain = (await findContactByEmail(d(), 'wcoupon-none', 'plain@example.com'))!;
    await confirmFromMailbox('wcoupon-none', plain.id);
    expect(await sendSignupCoupon(env, d(), { storeId: 'wcoupon-none', widgetId: 'welcome', contactId: plain.id }, woo.fetch, Date.now())).toBe('no-incentive');
    expect(woo.requests).toHaveLength(1);
    expect((await signupsAwaitingCoupon(d(), 0, 500)).filter((s) => s.storeId === 'wcoupon-none')).toEqual([]);
  });
});
