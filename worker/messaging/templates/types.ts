export const EMAIL_TEMPLATE_IDS = [
  'welcome.1',
  'welcome.2',
  'welcome.3',
  'cart.reminder.1',
  'cart.reminder.2',
  'winback.1',
  'replenishment.reminder',
  'post_purchase.next',
  'vip.perks',
  'loyalty.milestone',
  'birthday.gift',
  'lead_nurture.choice',
  'lead_nurture.path',
  'consent.confirm',
] as const;
export type EmailTemplateId = (typeof EMAIL_TEMPLATE_IDS)[number];

export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];

/** Liquid sources of one email: the subject and preheader are plain text, `html` is the content block. */
export type TemplateSource = { subject: string; preheader: string; html: string; text: string };

export type LocaleStrings = {
  friend: string;
  view_cart: string;
  quantity: string;
  total: string;
  recommended: string;
  coupon_intro: string;
  coupon_expires: string;
  unsubscribe: string;
  preferences: string;
  footer_reason: string;
  shop_now: string;
  /** `:` in English, ` :` (non-breaking space first) in French typography. */
  colon: string;
};

export const SMS_TEMPLATE_IDS = ['cart.reminder.sms', 'replenishment.sms', 'birthday.sms'] as const;
export type SmsTemplateId = (typeof SMS_TEMPLATE_IDS)[number];

export type LocaleCatalog = {
  strings: LocaleStrings;
  templates: Record<EmailTemplateId, TemplateSource>;
  /** Plain-text Liquid; each ends with the opt-out instruction carriers require. */
  sms: Record<SmsTemplateId, string>;
};
