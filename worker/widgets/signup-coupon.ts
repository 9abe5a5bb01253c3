import type { Db } from '../db/client';
import { findContact } from '../db/queries/contacts';
import { findIssuedCoupon } from '../db/queries/issued-coupons';
import { findStoreSettings, linkSigningKey } from '../db/queries/store-settings';
import { findStore } from '../db/queries/stores';
import { findWidget, isWidgetSignupConfirmed } from '../db/queries/widgets';
import { issueCoupon } from '../contacts/executors/issue-coupon';
import { selectEmailChannel } from '../messaging/channels';
import { senderOf, storeMergeFields } from '../messaging/email/brand';
import { composeEmail } from '../messaging/email/compose';
import { deliverEmail, messageIdFor } from '../messaging/email/deliver';
import { money } from '../messaging/email/render';
import { providerConfigOf } from '../messaging/provider-config';
import { resolveLocale, type Locale, type TemplateSource } from '../messaging/templates';
import type { FetchLike } from '../messaging/retry';
import { importTokenKey } from '../lib/tokens';
import { WidgetConfig } from './config';

const DAY = 86_400_000;

/** One coupon per contact and widget, whatever the number of confirmations: the key is the issued_coupons row's. */
export const signupCouponKey = (widgetId: string, contactId: string) => `widget:${widgetId}:${contactId}`;
/** `widget:<id>:<contact>` → the widget id, for crediting an order by the coupon code it used. */
export const widgetOfCouponKey = (key: string) => /^widget:([A-Za-z0-9_-]{1,64}):/.exec(key)?.[1];

/** The email's words; `coupon.html`/`coupon.txt` are the shared partials every flow email uses for a code. */
const SOURCES: Record<Locale, TemplateSource> = {
  en: {
    subject: 'Your welcome code for {{ store.name }}: {{ coupon.amount }} off',
    preheader: 'Thanks for confirming your address. Here is the gift we promised.',
    html: `<h1>Welcome to {{ store.name }}</h1><p>Thanks for confirming your address. As promised, here is your code, for one order:</p>{% include 'coupon.html' %}<p style="text-align:center"><a class="btn" href="{{ store.url | safe_url }}">{{ t.shop_now }}</a></p>`,
    text: `Welcome to {{ store.name }}\n\nThanks for confirming your address. As promised, here is your code, for one order:\n{% include 'coupon.txt' %}\n\n{{ t.shop_now }}: {{ store.url }}`,
  },
  fr: {
    subject: 'Votre code de bienvenue chez {{ store.name }} : {{ coupon.amount }} de réduction',
    preheader: 'Merci d’avoir confirmé votre adresse. Voici le cadeau promis.',
    html: `<h1>Bienvenue chez {{ store.name }}</h1><p>Merci d’avoir confirmé votre adresse. Comme promis, voici votre code, valable pour une commande :</p>{% include 'coupon.html' %}<p style="text-align:center"><a class="btn" href="{{ store.url | safe_url }}">{{ t.shop_now }}</a></p>`,
    text: `Bienvenue chez {{ store.name }}\n\nMerci d’avoir confirmé votre adresse. Comme promis, voici votre code, valable pour une commande :\n{% include 'coupon.txt' %}\n\n{{ t.shop_now }} : {{ store.url }}`,
  },
};

export type SignupCouponOutcome = 'sent' | 'no-incentive' | 'not-confirmed' | 'skipped';

/**
 * The incentive a widget promised, after the double opt-in only: a unique single-use WooCommerce coupon (the flows'
 * own issuer and client), then one transactional email carrying it. A dedicated message rather than the welcome
 * flow's first email, because the widget promised the code to everyone who confirms: the welcome flow may be off,
 * edited, or keep this contact in its holdout group, and none of that may swallow a promised gift.
 * Safe to call again (a second confirmation, a retry): the coupon and the email each exist once per key.
 */
export async function sendSignupCoupon(env: Env, d: Db, ids: { storeId: string; widgetId: string; contactId: string }, fetcher: FetchLike, now: number): Promise<SignupCouponOutcome> {
  const [store, contact, widget] = await Promise.all([findStore(d, ids.storeId), findContact(d, ids.storeId, ids.contactId), findWidget(d, ids.storeId, ids.widgetId)]);
  const config = WidgetConfig.safeParse(widget?.config);
  const incentive = config.success ? config.data.incentive : null;
  if (!store || !contact || !incentive) return 'no-incentive';
  if (!(await isWidgetSignupConfirmed(d, ids.storeId, ids.widgetId, ids.contactId))) return 'not-confirmed';
  const key = signupCouponKey(ids.widgetId, ids.contactId);
  const action = { idempotencyKey: key, discountType: incentive.discountType, amount: incentive.amount, expiresAt: now + incentive.expiryDays * DAY };
  const outcome = await issueCoupon({ env, d, store, contact, now }, action, fetcher);
  const coupon = await findIssuedCoupon(d, store.id, key);
  if (outcome.status !== 'done' || !coupon || !contact.email) return 'skipped';

  const locale = resolveLocale(contact.locale ?? store.locale);
  const settings = await findStoreSettings(d, store.id);
  const site = (store.siteUrl ?? env.PUBLIC_BASE_URL).replace(/\/+$/, '');
  const value = Number(coupon.amount);
  const amount = coupon.discountType === 'percent' ? `${value}${locale === 'fr' ? '\u00a0' : ''}%` : money(value, store.currency, locale);
  const expires = new Date(coupon.expiresAt).toLocaleDateString(locale, { timeZone: contact.timezone ?? store.timezone });
  const sendId = await messageIdFor(store.id, `signup-coupon:${key}`);
  const email = await composeEmail({
    sendId,
    storeId: store.id,
    contactId: contact.id,
    from: senderOf(store, settings, site),
    to: contact.email,
    ...(settings?.replyTo ? { replyTo: settings.replyTo } : {}),
    tag: 'signup-coupon',
    templateId: 'welcome.1',
    locale,
    overrides: SOURCES[locale],
    data: { store: storeMergeFields(store, settings, site), contact: { first_name: contact.firstName }, coupon: { code: coupon.code, amount, expires } },
    signing: { baseUrl: env.PUBLIC_BASE_URL, key: await importTokenKey(await linkSigningKey(d, store.id, now)) },
    trackOpens: false,
  });
  // The shopper asked for this code in the form: it goes on the transactional stream, like the confirmation.
  const channel = selectEmailChannel(providerConfigOf(env, settings, { postmarkMessageStream: 'outbound' }));
  await deliverEmail(d, channel, { storeId: store.id, contactId: contact.id, idempotencyKey: `signup-coupon:${key}` }, email, now);
  return 'sent';
}
