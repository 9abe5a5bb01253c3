import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { liquidVariables, renderEmail, renderSms, type TemplateData } from './render';
import { EMAIL_TEMPLATE_IDS, isEmailTemplateId, isSmsTemplateId, SMS_TEMPLATE_IDS } from '../templates';

const data = (overrides: Partial<TemplateData> = {}): TemplateData => ({
  store: { name: 'Braise & Co', address: '12 rue des Forges, 69001 Lyon', url: 'https://shop.example.com/', currency: 'EUR' },
  contact: { first_name: 'Zoé' },
  links: { unsubscribe: 'https://ns.example.com/u/U.T', preferences: 'https://ns.example.com/p/P.T' },
  cart: {
    lines: [
      { name: 'Kamado grill', quantity: 1, price: '899.00', image_url: 'https://shop.example.com/img/kamado.jpg', url: 'https://shop.example.com/p/kamado' },
      { name: 'Smoked salt', quantity: 2, price: 7.5 },
    ],
    total: '914.00',
    restore_url: 'https://shop.example.com/cart?restore=abc&utm_source=ns',
  },
  recommendations: [{ name: 'Cast-iron pan', url: 'https://shop.example.com/p/pan', price: 49, image_url: 'https://shop.example.com/img/pan.jpg' }],
  coupon: { code: 'WELCOME-7Q2X', amount: '10 %' },
  choices: [
    { label: 'Barbecue', url: 'https://ns.example.com/p/choice-bbq' },
    { label: 'Cooking classes', url: 'https://ns.example.com/p/choice-class' },
  ],
  product: { name: 'Charcoal 10 kg', url: 'https://shop.example.com/p/charcoal', reorder_url: 'https://shop.example.com/?add-to-cart=42&quantity=2', quantity: 2 },
  vip: { perks: ['Free shipping', 'Early access'] },
  milestone: { orders: 10 },
  path: { title: 'Getting started', body: 'The basics of low-and-slow.' },
  ...overrides,
});

describe('email templates', () => {
  it.each(EMAIL_TEMPLATE_IDS.flatMap((id) => [[id, 'fr'], [id, 'en']] as const))('%s renders in %s with layout, footer and text part', async (id, locale) => {
    const out = await renderEmail({ templateId: id, locale, data: data() });
    expect(out.subject.length).toBeGreaterThan(3);
    expect(out.subject).not.toMatch(/{{|{%|\n/);
    expect(out.html).toMatch(/^<!DOCTYPE html>/);
    expect(out.html).toContain(`<html lang="${locale}">`);
    expect(out.html).toContain('@media only screen');
    expect(out.html).toContain('href="https://ns.example.com/u/U.T"');
    expect(out.html).toContain('href="https://ns.example.com/p/P.T"');
    expect(out.html).toContain('Braise &amp; Co · 12 rue des Forges, 69001 Lyon');
    expect(out.html).not.toMatch(/{{|{%/);
    expect(out.text).not.toMatch(/<[a-z]|{{|{%|&amp;/i);
    expect(out.text).toContain('https://ns.example.com/u/U.T');
    expect(out.text).toContain('Braise & Co, 12 rue des Forges, 69001 Lyon');
  });

  it('speaks French and English, with localised prices', async () => {
    const fr = await renderEmail({ templateId: 'cart.reminder.1', locale: 'fr-FR', data: data() });
    const en = await renderEmail({ templateId: 'cart.reminder.1', locale: 'en-GB', data: data() });
    expect(fr.subject).toBe('Vous avez oublié quelque chose, Zoé');
    expect(en.subject).toBe('Zoé, you left something in your cart');
    expect(fr.html).toContain('Se désinscrire');
    expect(en.html).toContain('Unsubscribe');
    expect(fr.text).toMatch(/Smoked salt × 2\u00a0: 15,00\s€/);
    expect(en.text).toContain('Smoked salt × 2: €15.00');
    expect(fr.text).toMatch(/Total\u00a0: 914,00\s€/);
    expect(en.html).toContain('<img src="https://shop.example.com/img/kamado.jpg" alt="Kamado grill" width="80">');
    expect(en.html).toContain('href="https://shop.example.com/cart?restore=abc&amp;utm_source=ns"');
    expect(en.text).toContain('Return to my cart: https://shop.example.com/cart?restore=abc&utm_source=ns');
    expect(en.html).toContain('WELCOME-7Q2X');
    expect(en.html).toContain('Cast-iron pan');
    const de = await renderEmail({ templateId: 'cart.reminder.1', locale: 'de', data: data() });
    expect(de.subject).toBe(en.subject);
  });

  it('falls back politely when the first name is unknown', async () => {
    const en = await renderEmail({ templateId: 'birthday.gift', locale: 'en', data: data({ contact: { first_name: null } }) });
    expect(en.subject).toBe('Happy birthday, there!');
    const fr = await renderEmail({ templateId: 'birthday.gift', locale: 'fr', data: data({ contact: {} }) });
    expect(fr.subject).toBe('Joyeux anniversaire !');
  });

  it('escapes every merge field in HTML and neutralises unsafe link schemes', async () => {
    const hostile = data({
      contact: { first_name: '<script>alert(1)</script>' },
      store: { name: 'A"B<i>', address: '<b>x</b>', url: 'https://shop.example.com', currency: 'EUR' },
      cart: { lines: [{ name: '"><img src=x onerror=alert(1)>', quantity: 1, price: 1 }], total: 1, restore_url: 'https://shop.example.com/c' },
    });
    const out = await renderEmail({ templateId: 'cart.reminder.1', locale: 'en', data: hostile });
    expect(out.html).not.toContain('<script>');
    expect(out.html).not.toContain('<img src=x');
    expect(out.html).not.toContain('<b>x</b>');
    expect(out.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out.html).toContain('&#34;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(out.subject).toBe('<script>alert(1)</script>, you left something in your cart');
    expect(out.text).toContain('We saved it for you, <script>alert(1)</script>.');
    const override = await renderEmail({
      templateId: 'welcome.2',
      locale: 'en',
      data: data(),
      overrides: { html: '<a href="{{ evil | safe_url }}">x</a><a href="{{ store.url | safe_url }}">y</a>' },
    });
    expect(override.html).toContain('<a href="#">x</a><a href="https://shop.example.com/">y</a>');
  });

  it('rejects data that is not a valid merge-field set', async () => {
    const bad = data({ cart: { lines: [], total: 0, restore_url: 'javascript:alert(1)' } });
    await expect(renderEmail({ templateId: 'cart.reminder.1', locale: 'en', data: bad })).rejects.toBeInstanceOf(AppError);
  });

  it('uses admin overrides for the parts given and defaults for the rest', async () => {
    const out = await renderEmail({
      templateId: 'winback.1',
      locale: 'fr',
      data: data(),
      overrides: { subject: '{{ contact.first_name }}, -20 % pour votre retour', text: 'Code : {{ coupon.code }}' },
    });
    expect(out.subject).toBe('Zoé, -20 % pour votre retour');
    expect(out.text).toMatch(/^Code : WELCOME-7Q2X\n/);
    expect(out.html).toContain('Cela fait un moment');
  });
});

describe('SMS templates', () => {
  it.each(SMS_TEMPLATE_IDS.flatMap((id) => [[id, 'fr'], [id, 'en']] as const))('%s renders in %s on one line with the opt-out', async (id, locale) => {
    const { links: _links, ...rest } = data();
    const body = await renderSms({ templateId: id, locale, data: rest });
    expect(body).not.toMatch(/\n|{{|{%|&amp;/);
    expect(body).toMatch(/^Braise & Co/);
    expect(body).toMatch(/STOP/);
  });

  it('keeps URLs raw in the text and knows its ids', async () => {
    const body = await renderSms({ templateId: 'cart.reminder.sms', locale: 'fr', data: data() });
    expect(body).toBe('Braise & Co : Zoé, votre panier vous attend : https://shop.example.com/cart?restore=abc&utm_source=ns Répondez STOP pour ne plus recevoir de SMS.');
    expect(isSmsTemplateId('cart.reminder.sms')).toBe(true);
    expect(isEmailTemplateId('cart.reminder.sms')).toBe(false);
    expect(isEmailTemplateId('cart.reminder.2')).toBe(true);
  });
});

describe('template analysis after rendering', () => {
  it('names a template’s variables, partials included, even once a render has filled the partial cache', async () => {
    // An async render caches each partial as a promise; the synchronous walk must not read that cache.
    await renderEmail({ templateId: 'cart.reminder.1', locale: 'fr', data: data() });
    const paths = liquidVariables("{% render 'cart.html', cart: cart, t: t %}{{ contact.first_name }}", 'html').map((p) => p.join('.'));
    expect(paths).toContain('contact.first_name');
    expect(paths).toContain('cart');
  });
});
