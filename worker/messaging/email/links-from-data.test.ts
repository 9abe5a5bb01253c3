import { describe, expect, it } from 'vitest';
import { importTokenKey } from '../../lib/tokens';
import { composeEmail } from './compose';
import { defangUrls } from './data-urls';
import { readClickToken } from './links';
import { renderSms } from './render';

const EVIL = 'https://evil.example/phish';
const BASE = 'https://ns.example.com';

/** The attack of issue 10: a cart item whose name carries a phishing URL. */
async function cartEmail(locale: 'en' | 'fr') {
  const signing = { baseUrl: BASE, key: await importTokenKey('links-from-data-secret') };
  const email = await composeEmail({
    sendId: `snd_${locale}`,
    storeId: 'st_links',
    contactId: 'ct_1',
    from: 'Braise <shop@example.com>',
    to: 'jane@example.net',
    templateId: 'cart.reminder.1',
    locale,
    data: {
      store: { name: 'Braise', address: '1 rue du Feu, Lyon', url: 'https://shop.example.com/', currency: 'EUR' },
      contact: { first_name: `Jane ${EVIL}` },
      cart: {
        lines: [
          { name: `FREE GIFT: claim at ${EVIL}`, quantity: 1, price: 0, url: 'https://shop.example.com/p/gift' },
          { name: 'Pan www.evil.example/x', quantity: 1, price: 12 },
        ],
        total: 12,
        restore_url: 'https://shop.example.com/cart?restore=abc',
      },
    },
    signing,
    trackOpens: false,
  });
  const tokens = [...`${email.html}\n${email.text}`.matchAll(/https:\/\/ns\.example\.com\/c\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/g)].map((m) => m[1] ?? '');
  const targets = await Promise.all(tokens.map(async (t) => (await readClickToken(signing.key, t))?.url));
  return { email, targets };
}

describe('only links the template wrote are tracked and signed', () => {
  for (const locale of ['en', 'fr'] as const) {
    it(`never signs a URL that arrived inside data into a /c/ redirect (${locale}, HTML and text)`, async () => {
      const { email, targets } = await cartEmail(locale);
      expect(targets.length).toBeGreaterThan(0);
      expect(new Set(targets)).toEqual(new Set(['https://shop.example.com/p/gift', 'https://shop.example.com/cart?restore=abc', 'https://shop.example.com/']));
      for (const part of [email.html, email.text, email.subject]) {
        expect(part).not.toContain('evil.example');
        expect(part).not.toContain('www.evil');
      }
      // The shopper still reads the item's name, defanged so no mail client makes it a link.
      expect(email.text).toContain('FREE GIFT: claim at hxxps://evil[.]example/phish');
      expect(email.html).toContain('FREE GIFT: claim at hxxps://evil[.]example/phish');
      expect(email.text).toContain('Pan www[.]evil[.]example/x');
    });
  }

  it('defangs URLs in SMS merge data too, keeping the template\'s own link', async () => {
    const body = await renderSms({
      templateId: 'cart.reminder.sms',
      locale: 'en',
      data: {
        store: { name: `Shop ${EVIL}`, address: 'x', url: 'https://shop.example.com/', currency: 'EUR' },
        contact: { first_name: 'Jane' },
        cart: { lines: [], total: 0, restore_url: 'https://shop.example.com/cart?restore=abc' },
      },
    });
    expect(body).toContain('https://shop.example.com/cart?restore=abc');
    expect(body).not.toContain(EVIL);
  });

  it('defangs scheme and www URLs, leaving other text alone', () => {
    expect(defangUrls('See HTTPS://a.b.c/d?e=f.g and http://x.y, www.z.example. T-shirt 2.0')).toBe(
      'See HxxPS://a[.]b[.]c/d?e=f.g and hxxp://x[.]y, www[.]z[.]example[.] T-shirt 2.0',
    );
  });
});
