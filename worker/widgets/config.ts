import { z } from 'zod';

/** The words of a sign-up widget in one language; the shopper sees the store locale's. */
export const WidgetCopy = z.object({
  title: z.string().trim().min(1).max(120),
  body: z.string().trim().max(500),
  submit: z.string().trim().min(1).max(40),
  thanks: z.string().trim().min(1).max(300),
  consentEmail: z.string().trim().min(1).max(400),
  consentSms: z.string().trim().max(400).default(''),
});
export type WidgetCopy = z.infer<typeof WidgetCopy>;

/** A unique single-use coupon sent once the address is confirmed (executors/issue-coupon.ts). */
export const WidgetIncentive = z
  .object({
    discountType: z.enum(['percent', 'fixed_cart']),
    amount: z.number().positive().max(10_000),
    expiryDays: z.number().int().min(1).max(365),
  })
  .refine((i) => i.discountType !== 'percent' || i.amount <= 100, { message: 'a percentage is at most 100', path: ['amount'] });

const SegmentId = z.string().regex(/^[A-Za-z0-9_:.-]{1,80}$/, 'a segment id');

/** Page paths are prefixes ("/product/", "/"); product ids match the product page shown. Empty = every page. */
export const WidgetConfig = z.object({
  copy: z.object({ fr: WidgetCopy, en: WidgetCopy }),
  incentive: WidgetIncentive.nullable().default(null),
  fields: z.object({ phone: z.boolean().default(false), birthday: z.boolean().default(false) }).default({ phone: false, birthday: false }),
  triggers: z
    .object({
      delaySeconds: z.number().int().min(0).max(600).default(0),
      scrollPercent: z.number().int().min(0).max(100).default(0),
      exitIntent: z.boolean().default(false),
      paths: z.array(z.string().startsWith('/').max(200)).max(20).default([]),
      productIds: z.array(z.number().int().positive()).max(50).default([]),
      minCartValue: z.number().positive().nullable().default(null),
    })
    .default({ delaySeconds: 0, scrollPercent: 0, exitIntent: false, paths: [], productIds: [], minCartValue: null }),
  /**
   * Decided by the server in `/widgets/page` (widgets/audience.ts): a new visitor is one first seen less than a day
   * ago; segment rules need a known visitor (one linked to a contact), so `segmentsIn` hides the widget from others.
   */
  audience: z
    .object({
      newVisitorsOnly: z.boolean().default(false),
      notSubscribers: z.boolean().default(true),
      segmentsIn: z.array(SegmentId).max(20).default([]),
      segmentsOut: z.array(SegmentId).max(20).default([]),
    })
    .default({ newVisitorsOnly: false, notSubscribers: true, segmentsIn: [], segmentsOut: [] }),
  frequencyDays: z.number().int().min(1).max(365).default(7),
});
export type WidgetConfig = z.infer<typeof WidgetConfig>;

export const WidgetInput = z.object({ kind: z.enum(['popup', 'inlay']), enabled: z.boolean().default(true), config: WidgetConfig });
export type WidgetInput = z.infer<typeof WidgetInput>;

export type WidgetLang = 'fr' | 'en';

const LABELS = {
  fr: { close: 'Fermer', email: 'Adresse e-mail', phone: 'Téléphone (facultatif)', birthday: 'Date d’anniversaire (facultatif)', carousel: 'Produits recommandés' },
  en: { close: 'Close', email: 'Email address', phone: 'Phone (optional)', birthday: 'Birthday (optional)', carousel: 'Recommended products' },
} as const;

export const widgetLabels = (lang: WidgetLang) => LABELS[lang];

/** Does the widget apply to this page? Path prefixes and product ids are alternatives; none set = everywhere. */
export function appliesTo(config: WidgetConfig, path: string, productId: number | undefined): boolean {
  const { paths, productIds } = config.triggers;
  if (!paths.length && !productIds.length) return true;
  return paths.some((p) => path.startsWith(p)) || (productId !== undefined && productIds.includes(productId));
}

/** What `public/widgets/ui.js` receives for one sign-up widget, in the shopper's language (see `Signup` in ui.ts). */
export function publicSignup(id: string, kind: 'popup' | 'inlay', config: WidgetConfig, lang: WidgetLang) {
  const copy = config.copy[lang];
  const labels = LABELS[lang];
  const t = config.triggers;
  return {
    id,
    kind,
    title: copy.title,
    body: copy.body,
    submit: copy.submit,
    thanks: copy.thanks,
    close: labels.close,
    email: labels.email,
    ...(config.fields.phone ? { phone: labels.phone, consentSms: copy.consentSms || undefined } : {}),
    ...(config.fields.birthday ? { birthday: labels.birthday } : {}),
    consentEmail: copy.consentEmail,
    delay: t.delaySeconds,
    scroll: t.scrollPercent,
    exit: t.exitIntent,
    minCart: t.minCartValue,
    days: config.frequencyDays,
  };
}
