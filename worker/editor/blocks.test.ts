import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../db/client';
import { findOrCreateContactByEmail } from '../db/queries/contacts';
import { upsertStore } from '../db/queries/stores';

const headers = (lang = 'en') => ({ Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json', 'Accept-Language': lang });
const call = (method: string, path: string, body?: unknown, lang = 'en') => SELF.fetch(`https://ns.test/api${path}`, { method, headers: headers(lang), ...(body ? { body: JSON.stringify(body) } : {}) });
const step = (store: string, lang: string, action = '') => `/flows/abandoned-cart/messages/email_1${action}?store=${store}&lang=${lang}`;

async function seed(id: string) {
  await upsertStore(db(env.DB), { id, name: 'Blocs & Co', siteUrl: 'https://shop.example', webhookSecret: 'whsec_blocks_test_01', siteKey: `pk_${id}`, createdAt: 1, updatedAt: 1 });
}

const blocks = (hello: string, label: string) => [
  { type: 'heading', text: `${hello} {{ contact.first_name | default: t.friend }}` },
  { type: 'text', text: 'Prix <b>doux</b> & livraison\n\nDeuxième paragraphe' },
  { type: 'image', src: 'https://cdn.shop.example/banner.jpg', alt: 'Soldes', href: '{{ store.url }}' },
  { type: 'cart' },
  { type: 'button', label, href: '{{ cart.restore_url }}' },
  { type: 'if', when: 'contact.first_name', blocks: [{ type: 'text', text: 'Un mot rien que pour vous.' }] },
  { type: 'coupon' },
];

describe('a body built from blocks', () => {
  it('compiles to Liquid HTML and text that render in French and English, escaping the owner text and keeping its variables', async () => {
    await seed('blk-ok');
    const fr = await call('PUT', step('blk-ok', 'fr'), { subject: 'Votre panier', preheader: '', blocks: blocks('Bonjour', 'Finaliser ma commande') });
    expect(fr.status).toBe(200);
    expect((await fr.json<{ message: { email: { blocks: unknown[] } } }>()).message.email.blocks).toHaveLength(7);
    expect((await call('PUT', step('blk-ok', 'en'), { subject: 'Your cart', blocks: blocks('Hello', 'Complete my order') })).status).toBe(200);

    const preview = async (lang: string, body = {}) => (await (await call('POST', step('blk-ok', lang, '/preview'), body)).json<{ preview: { html: string; text: string } }>()).preview;
    const p = await preview('fr');
    expect(p.html).toContain('<h1>Bonjour Camille</h1>');
    expect(p.html).toContain('<p>Prix &lt;b&gt;doux&lt;/b&gt; &amp; livraison</p><p>Deuxième paragraphe</p>');
    expect(p.html).toContain('<a href="https://shop.example"><img src="https://cdn.shop.example/banner.jpg" alt="Soldes"');
    expect(p.html).toContain('<a class="btn" href="https://shop.example">Finaliser ma commande</a>');
    expect(p.html).toContain('Retrouver mon panier');
    expect(p.html).toContain('MERCI10');
    expect(p.html).toContain('Un mot rien que pour vous.');
    expect(p.text).toContain('Finaliser ma commande: https://shop.example');
    expect(p.text).toContain('Se désinscrire');
    const en = await preview('en');
    expect(en.html).toContain('<h1>Hello Alex</h1>');
    expect(en.html).toContain('Complete my order');

    const { contact } = await findOrCreateContactByEmail(db(env.DB), 'blk-ok', 'anon@example.com', 1);
    const anonymous = await preview('fr', { contactId: contact.id });
    expect(anonymous.html).toContain('<h1>Bonjour à vous</h1>');
    expect(anonymous.html).not.toContain('Un mot rien que pour vous.');
  });

  it('refuses blocks whose links or conditions the checks refuse, and malformed blocks, field by field', async () => {
    await seed('blk-bad');
    const res = await call('PUT', step('blk-bad', 'fr'), {
      subject: 'x',
      blocks: [{ type: 'button', label: 'Go', href: 'javascript:alert(1)' }, { type: 'if', when: 'contact.nickname', blocks: [{ type: 'text', text: 'hi' }] }],
    }, 'fr');
    expect(res.status).toBe(400);
    const { error } = await res.json<{ error: { details: { fields: { field: string; code: string; message: string }[] } } }>();
    expect(error.details.fields).toContainEqual(expect.objectContaining({ field: 'html', code: 'bad_link' }));
    expect(error.details.fields).toContainEqual(expect.objectContaining({ field: 'html', code: 'unknown_variable', message: 'Variable inconnue pour cette étape : contact.nickname' }));
    const malformed = await call('PUT', step('blk-bad', 'fr'), { subject: 'x', blocks: [{ type: 'video', src: 'x' }] });
    expect(malformed.status).toBe(400);
  });
});
