import type { Db } from '../db/client';
import type { Contact } from '../db/queries/contacts';
import { findLatestCartOfContact } from '../db/queries/carts';
import { previewProducts } from '../db/queries/message-versions';
import type { StoreSettings } from '../db/queries/store-settings';
import type { Store } from '../db/queries/stores';
import type { TemplateData } from '../messaging/email/render';
import type { Locale } from '../messaging/templates';
import type { MessageStep } from './steps';
import { storeMergeFields } from '../messaging/email/brand';
import { contactFactsForMessage } from '../db/queries/contact-tags';

const SAMPLE_NAME: Record<Locale, string> = { fr: 'Camille', en: 'Alex' };
const SAMPLE_PRODUCTS: Record<Locale, string[]> = { fr: ['Tasse en grès', 'Thé vert bio', 'Carnet en lin'], en: ['Stoneware mug', 'Organic green tea', 'Linen notebook'] };
const SAMPLE_PATH: Record<Locale, { title: string; body: string }> = {
  fr: { title: 'Bien démarrer', body: 'Nos conseils pour bien choisir.' },
  en: { title: 'Getting started', body: 'Our tips to choose well.' },
};

type Product = { name: string; url: string; image_url?: string; price?: number };

/** The store's products, or WooCommerce's own placeholder picture on a store with no catalogue yet. */
async function productsFor(d: Db, store: Store, site: string, lang: Locale): Promise<Product[]> {
  const rows = await previewProducts(d, store.id, 3);
  if (rows.length > 0) {
    return rows.map((p) => ({ name: p.name, url: p.permalink ?? site, ...(p.imageUrl ? { image_url: p.imageUrl } : {}), ...(p.price !== null ? { price: p.price } : {}) }));
  }
  const image = `${site}/wp-content/uploads/woocommerce-placeholder.png`;
  return SAMPLE_PRODUCTS[lang].map((name, i) => ({ name, url: site, image_url: image, price: 12 + i * 7 }));
}

async function cartFor(d: Db, store: Store, contact: Contact | undefined, products: Product[], site: string): Promise<NonNullable<TemplateData['cart']>> {
  const saved = contact ? await findLatestCartOfContact(d, store.id, contact.id) : undefined;
  if (saved && saved.items.length > 0) {
    const lines = saved.items.map((l) => ({ name: l.name ?? `#${l.productId}`, quantity: l.quantity, price: l.price }));
    return { lines, total: saved.value, restore_url: site };
  }
  const lines = products.slice(0, 2).map((p) => ({ name: p.name, quantity: 1, price: p.price ?? 10, ...(p.image_url ? { image_url: p.image_url } : {}), url: p.url }));
  return { lines, total: lines.reduce((sum, l) => sum + l.price, 0), restore_url: site };
}

export type PreviewInput = { d: Db; baseUrl: string; store: Store; settings: StoreSettings | undefined; step: MessageStep; lang: Locale; contact?: Contact; now: number };

/**
 * Merge fields for a preview or a test: the real contact's name and cart when one is given,
 * otherwise a sample; the store's own products; a coupon and every optional block filled in so
 * the owner sees everything the step can show. Footer links go nowhere real.
 */
export async function previewData(input: PreviewInput): Promise<TemplateData> {
  const { store, settings, step, lang } = input;
  const site = (store.siteUrl ?? 'https://shop.example').replace(/\/+$/, '');
  const products = await productsFor(input.d, store, site, lang);
  const first = products[0]!;
  const expires = new Date(input.now + 7 * 86_400_000).toLocaleDateString(lang, { timeZone: store.timezone });
  return {
    vip: { perks: [] },
    milestone: { orders: 5 },
    path: SAMPLE_PATH[lang],
    ...step.params,
    store: storeMergeFields(store, settings, site),
    contact: input.contact
      ? { first_name: input.contact.firstName, ...(await contactFactsForMessage(input.d, store.id, input.contact.id)) }
      : { first_name: SAMPLE_NAME[lang], properties: {}, tags: [], segments: [] },
    links: { unsubscribe: `${input.baseUrl}/u/preview`, preferences: `${input.baseUrl}/p/preview` },
    cart: await cartFor(input.d, store, input.contact, products, site),
    recommendations: products,
    coupon: { code: lang === 'fr' ? 'MERCI10' : 'THANKS10', amount: '10 %', expires },
    choices: step.choices.map((label) => ({ label, url: site })),
    product: { ...first, reorder_url: site, quantity: 1 },
  };
}
