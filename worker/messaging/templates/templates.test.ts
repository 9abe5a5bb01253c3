import { Liquid } from 'liquidjs';
import { describe, expect, it } from 'vitest';
import { CATALOGS, EMAIL_TEMPLATE_IDS, HTML_LAYOUT, LOCALES, PARTIALS, SMS_TEMPLATE_IDS, TEXT_LAYOUT, type EmailTemplateId, type SmsTemplateId } from './index';

/**
 * Every template of the catalogue, in every language, rendered with strict variables: a misspelt
 * or unknown merge field throws instead of printing nothing, and an optional block (coupon,
 * selection, product of an order) used outside its `{% if %}` throws when it is absent.
 */
const strict = new Liquid({ templates: PARTIALS, extname: '', strictFilters: true, strictVariables: true, lenientIf: true, ownPropertyOnly: true });
strict.registerFilter('safe_url', (v: unknown) => String(v));
strict.registerFilter('money', (v: unknown) => String(v));

const base = {
  store: { name: 'Atelier Nomo', address: '12 rue Nomo', url: 'https://nomo.test', currency: 'EUR', logo_url: 'https://nomo.test/logo.png', primary_color: '#18181b', accent_color: '#18181b' },
  contact: { first_name: 'Zoé' },
  links: { unsubscribe: 'https://ns.test/u/x', preferences: 'https://ns.test/p/x' },
  recommendations: [{ name: 'Ignis', url: 'https://nomo.test/p/101', image_url: 'https://nomo.test/101.jpg', price: 34.9 }],
  choices: [{ label: 'Nouveautés', url: 'https://nomo.test/?nightshift_choice=new' }],
};

/** Merge fields that exist only for some messages; each template lists those it may assume. */
const OPTIONAL = {
  cart: { lines: [{ name: 'Tempo', quantity: 2, price: 59, image_url: 'https://nomo.test/104.jpg', url: 'https://nomo.test/p/104' }], total: 118, restore_url: 'https://nomo.test/?cart=1' },
  product: { name: 'Fumo', url: 'https://nomo.test/p/200', image_url: 'https://nomo.test/200.jpg', price: 12.5, reorder_url: 'https://nomo.test/?add-to-cart=200', quantity: 2 },
  coupon: { code: 'NS-ABCDEFGH', amount: '10 %', expires: '08/12/2026' },
  vip: { perks: ['Livraison offerte'] },
  milestone: { orders: 5 },
  path: { title: 'Bien débuter', body: 'Notre guide.' },
  selection: { label: 'Nouveautés' },
};
type Optional = keyof typeof OPTIONAL;

const NEEDS: Partial<Record<EmailTemplateId | SmsTemplateId, Optional[]>> = {
  'cart.reminder.1': ['cart'],
  'cart.reminder.2': ['cart'],
  'cart.reminder.sms': ['cart'],
  'replenishment.reminder': ['product'],
  'replenishment.sms': ['product'],
  'vip.perks': ['vip'],
  'loyalty.milestone': ['milestone'],
  'lead_nurture.path': ['path'],
  'birthday.sms': ['coupon'],
};

function scope(id: EmailTemplateId | SmsTemplateId, locale: (typeof LOCALES)[number], all: boolean) {
  const keys = all ? (Object.keys(OPTIONAL) as Optional[]) : (NEEDS[id] ?? []);
  return { ...base, ...Object.fromEntries(keys.map((k) => [k, OPTIONAL[k]])), t: CATALOGS[locale].strings, locale };
}

describe.each(LOCALES)('template catalogue (%s) with strict variables', (locale) => {
  it.each(EMAIL_TEMPLATE_IDS)('%s renders with only what it may assume, and with everything', async (id) => {
    const source = CATALOGS[locale].templates[id];
    for (const all of [false, true]) {
      const data = scope(id, locale, all);
      const parts = await Promise.all([source.subject, source.preheader, source.html, source.text].map((s) => strict.parseAndRender(s, data)));
      const page = { ...data, subject: parts[0], preheader: parts[1] };
      await strict.parseAndRender(HTML_LAYOUT, { ...page, content: parts[2] });
      await strict.parseAndRender(TEXT_LAYOUT, { ...page, content: parts[3] });
      expect(parts[0]!.trim().length).toBeGreaterThan(5);
      for (const part of parts) expect(part).not.toMatch(/\{\{|\{%/);
    }
  });

  it.each(SMS_TEMPLATE_IDS)('SMS %s renders and carries the opt-out instruction', async (id) => {
    const text = await strict.parseAndRender(CATALOGS[locale].sms[id], scope(id, locale, false));
    expect(text).toContain('STOP');
  });
});
