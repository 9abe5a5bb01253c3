export const TEMPLATE_IDS = [
  'welcome_1',
  'welcome_2',
  'welcome_3',
  'cart_reminder',
  'win_back',
  'replenishment',
  'post_purchase',
  'vip_perks',
  'loyalty_milestone',
  'birthday',
  'lead_nurture_choice',
  'lead_nurture_path',
] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

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
};

export type LocaleCatalog = { strings: LocaleStrings; templates: Record<TemplateId, TemplateSource> };
