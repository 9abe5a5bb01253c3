import { env } from 'cloudflare:test';
import { db, type Db } from '../../../db/client';
import { appendConsents } from '../../../db/queries/consents';
import { findOrCreateContactByEmail, type Contact } from '../../../db/queries/contacts';
import { updateGuardrailSettings } from '../../../db/queries/guardrail-settings';
import { insertEvents } from '../../../db/queries/events';
import { upsertOrderVersion } from '../../../db/queries/orders';
import { upsertProductVersion } from '../../../db/queries/products';
import { updateStoreSettings } from '../../../db/queries/store-settings';
import { findStore, upsertStore, type Store } from '../../../db/queries/stores';
import type { OrderSnapshot } from '../../../journeys/events';

export const DAY = 86_400_000;
/** Tuesday 24 November 2026, 12:00 in Paris: every step of every preset lands in waking hours. */
export const T0 = Date.UTC(2026, 10, 24, 11, 0);
export const CK = 'ck_presets_0123456789';
export const CS = 'cs_presets_9876543210';

export type CatalogueProduct = { id: number; name: string; price: number; category: number; stock?: string; lifespanDays?: number };

/** Invented names in no language, so a word of English or French in an email comes from our copy. */
export const CATALOGUE: CatalogueProduct[] = [
  { id: 100, name: 'Kokoro', price: 899, category: 5 },
  { id: 101, name: 'Ignis', price: 34.9, category: 5 },
  { id: 102, name: 'Sonda', price: 49, category: 5 },
  { id: 103, name: 'Carbo', price: 19.5, category: 5 },
  { id: 104, name: 'Tempo', price: 59, category: 5 },
  { id: 105, name: 'Ferro', price: 129, category: 5, stock: 'outofstock' },
  { id: 106, name: 'Vulca', price: 9.9, category: 5 },
  { id: 107, name: 'Duozo', price: 45, category: 5 },
  { id: 108, name: 'Brasa', price: 27, category: 5 },
  { id: 200, name: 'Fumo', price: 12.5, category: 9, lifespanDays: 30 },
  { id: 201, name: 'Salina', price: 8.9, category: 9 },
  { id: 202, name: 'Nerino', price: 14, category: 9 },
  { id: 300, name: 'Linova', price: 39, category: 11 },
];

export const permalink = (storeId: string, id: number) => `https://${storeId}.shop.test/p/${id}`;

/**
 * A French-speaking or English-speaking store with a catalogue, Woo REST keys (coupons go to the
 * local fake) and no Postmark token (messages land in the outbox). Caps are lifted so one contact
 * can receive every step of every preset; every other guardrail keeps its default.
 */
export async function presetStore(storeId: string, locale: 'fr' | 'en', o: { wooKeys?: boolean } = {}): Promise<{ d: Db; store: Store }> {
  const d = db(env.DB);
  await upsertStore(d, {
    id: storeId, name: 'Atelier Nomo', siteUrl: `https://${storeId}.shop.test`, webhookSecret: `whsec_${storeId}_0123456789`,
    siteKey: `pk_${storeId}`, timezone: 'Europe/Paris', locale, currency: 'EUR', createdAt: 1, updatedAt: 1,
  });
  const keys = o.wooKeys === false ? {} : { wooConsumerKey: CK, wooConsumerSecret: CS };
  await updateStoreSettings(d, storeId, { ...keys, postalAddress: '12 rue Nomo, 69001 Lyon', fromEmail: 'hello@nomo.test' }, T0);
  await updateGuardrailSettings(d, storeId, { emailCap: 50, smsCap: 50, overallCap: 100, oneFlowPerDay: false, sendTimeOptimization: false }, T0);
  for (const [i, p] of CATALOGUE.entries()) {
    await upsertProductVersion(d, {
      storeId, id: p.id, type: 'simple', name: p.name, price: p.price, categories: [{ id: p.category, name: `c${p.category}`, slug: `c${p.category}` }],
      stockStatus: p.stock ?? 'instock', permalink: permalink(storeId, p.id), imageUrl: `https://${storeId}.shop.test/img/${p.id}.jpg`,
      lifespanDays: p.lifespanDays ?? null, sourceModifiedAt: T0 - (CATALOGUE.length - i) * DAY, updatedAt: T0,
    });
  }
  const store = await findStore(d, storeId);
  if (!store) throw new Error('store not stored');
  return { d, store };
}

/** A contact with email and SMS marketing consent, in the store's language. */
export async function presetContact(d: Db, store: Store, email: string, createdAt: number): Promise<Contact> {
  const { contact } = await findOrCreateContactByEmail(d, store.id, email, createdAt, { phone: '+33612345678', firstName: 'Zoé', locale: store.locale });
  const grant = { storeId: store.id, contactId: contact.id, purpose: 'marketing' as const, granted: true, source: 'checkout' as const, occurredAt: createdAt };
  await appendConsents(d, [{ ...grant, channel: 'email' }, { ...grant, channel: 'sms' }]);
  return contact;
}

/** `earlier` orders a month apart (four by default), then the order the test is about: a Kokoro and two Fumo. */
export async function orderHistory(d: Db, store: Store, contact: Contact, orderId: number, earlier = 4): Promise<OrderSnapshot> {
  const order = (id: number, at: number, total: number) => ({
    storeId: store.id, id, contactId: contact.id, status: 'processing', total, couponCodes: [], attribution: {},
    createdAt: at, paidAt: at, sourceModifiedAt: at, updatedAt: at,
  });
  const months = Array.from({ length: earlier }, (_, i) => i + 1);
  for (const i of months) {
    const at = T0 - i * 30 * DAY;
    await upsertOrderVersion(d, order(orderId - i, at, 27), [{ storeId: store.id, orderId: orderId - i, lineId: 1, productId: 108, name: 'Brasa', quantity: 1, price: 27, total: 27 }]);
  }
  // The ingest records each paid order as an event too: it is the contact's latest activity.
  const paid = (id: number, at: number) => ({ storeId: store.id, eventKey: `woo:order:${id}:paid`, type: 'order.paid', contactId: contact.id, properties: {}, source: 'woocommerce' as const, occurredAt: at, receivedAt: at });
  await insertEvents(d, months.map((i) => paid(orderId - i, T0 - i * 30 * DAY)).concat(paid(orderId, T0)));
  await upsertOrderVersion(d, order(orderId, T0, 924), [
    { storeId: store.id, orderId, lineId: 1, productId: 100, name: 'Kokoro', quantity: 1, price: 899, total: 899 },
    { storeId: store.id, orderId, lineId: 2, productId: 200, name: 'Fumo', quantity: 2, price: 12.5, total: 25 },
  ]);
  return {
    id: orderId, total: 924, currency: 'EUR', productIds: [100, 200], categoryIds: [5, 9],
    items: [
      { productId: 100, quantity: 1, price: 899, categoryIds: [5] },
      { productId: 200, quantity: 2, price: 12.5, categoryIds: [9], lifespanDays: 30 },
    ],
  };
}
