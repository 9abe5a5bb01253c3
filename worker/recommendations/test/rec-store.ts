import { env } from 'cloudflare:test';
import { db, type Db } from '../../db/client';
import { upsertOrderVersion, type NewOrder } from '../../db/queries/orders';
import { upsertProductVersion } from '../../db/queries/products';
import { upsertStore } from '../../db/queries/stores';

export const DAY = 86_400_000;
export const NOW = Date.UTC(2026, 10, 30, 12);
export const d = (): Db => db(env.DB);

export async function seedRecStore(id: string, opts: { locale?: string; currency?: string; origin?: string } = {}): Promise<void> {
  await upsertStore(d(), {
    id,
    name: id,
    webhookSecret: 'secret',
    siteKey: `pk_${id}`,
    locale: opts.locale ?? 'fr',
    currency: opts.currency ?? 'EUR',
    allowedOrigins: [opts.origin ?? 'https://shop.test'],
    createdAt: 1,
    updatedAt: 1,
  });
}

export type TestProduct = { id: number; categories?: number[]; stock?: string; price?: number; createdAt?: number; name?: string };

/** Products through the same upsert the WooCommerce webhooks use. */
export async function seedProducts(storeId: string, list: TestProduct[]): Promise<void> {
  for (const p of list) {
    await upsertProductVersion(d(), {
      storeId,
      id: p.id,
      parentId: null,
      type: 'simple',
      name: p.name ?? `Produit ${p.id}`,
      sku: null,
      price: p.price ?? 10 + p.id,
      categories: (p.categories ?? []).map((c) => ({ id: c, name: `Catégorie ${c}`, slug: `cat-${c}` })),
      stockStatus: p.stock ?? 'instock',
      permalink: `https://shop.test/p/${p.id}`,
      imageUrl: `https://shop.test/img/${p.id}.jpg`,
      sourceModifiedAt: 1,
      sourceCreatedAt: p.createdAt ?? p.id,
      updatedAt: 1,
    });
  }
}

export type TestOrder = {
  id: number;
  products: number[];
  contactId?: string | null;
  status?: string;
  paidAt?: number | null;
  version?: number;
  cancelledAt?: number | null;
  quantity?: number;
};

/** One version of an order (its lines replace the previous version's), as the order webhook stores it. */
export async function storeOrder(storeId: string, o: TestOrder): Promise<void> {
  const paidAt = o.paidAt === undefined ? NOW - DAY : o.paidAt;
  const order: NewOrder = {
    storeId,
    id: o.id,
    contactId: o.contactId ?? null,
    status: o.status ?? 'processing',
    currency: 'EUR',
    total: 10 * o.products.length,
    couponCodes: [],
    attribution: {},
    createdAt: paidAt ?? NOW - DAY,
    paidAt,
    cancelledAt: o.cancelledAt ?? null,
    sourceModifiedAt: o.version ?? 1,
    updatedAt: NOW,
  };
  const items = o.products.map((productId, i) => ({
    storeId,
    orderId: o.id,
    lineId: i + 1,
    productId,
    name: `Produit ${productId}`,
    quantity: o.quantity ?? 1,
    price: 10,
    total: 10,
  }));
  await upsertOrderVersion(d(), order, items);
}
