import { env } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { db } from '../db/client';
import { findCatalogRun } from '../db/queries/catalog';
import { findProduct, upsertProductVersion } from '../db/queries/products';
import { updateStoreSettings } from '../db/queries/store-settings';
import { upsertStore } from '../db/queries/stores';
import { productCategories, products } from '../db/schema';
import type { CatalogMessage } from '../ingest/messages';
import { processCatalogMessage, startCatalogRun, type CatalogDeps } from './catalog-import';
import { reconcileCatalogs } from './reconcile-job';
import { createWooCatalogFake, simple, variable, variation, type CategoryJson, type WooCatalogFake } from './test/woo-catalog-fake';

const CK = 'ck_catalog_0123456789';
const CS = 'cs_catalog_9876543210';
const T0 = Date.UTC(2026, 10, 20, 8, 0, 0);
const d = () => db(env.DB);

const CATEGORIES: CategoryJson[] = [
  { id: 16, name: 'Clothing', slug: 'clothing', parent: 0, count: 3 },
  { id: 18, name: 'Hoodies', slug: 'hoodies', parent: 16, count: 2 },
  { id: 21, name: 'Thé', slug: 'the', parent: 0, count: 1200 },
];

async function setupStore(storeId: string, productCount: number) {
  await upsertStore(d(), {
    id: storeId, name: 'Shop', siteUrl: 'https://shop.example', webhookSecret: 'whsec_catalog_test', siteKey: `pk_${storeId}`,
    connectedAt: T0, createdAt: T0, updatedAt: T0,
  });
  await updateStoreSettings(d(), storeId, { wooConsumerKey: CK, wooConsumerSecret: CS }, T0);
  const fake = createWooCatalogFake(CK, CS);
  fake.categories.push(...CATEGORIES);
  for (let i = 0; i < productCount; i++) {
    fake.products.push(simple({ id: 1000 + i, name: `Tea ${i}`, price: `${(5 + (i % 20)).toFixed(2)}`, stock: i % 50, categoryIds: [21], modified: T0 - 86_400_000 }, CATEGORIES));
  }
  fake.products.push(variable({ id: 13, name: 'Pullover Hoodie', price: '45.00', categoryIds: [16, 18], variationIds: [14, 15], modified: T0 - 86_400_000 }, CATEGORIES));
  fake.variations.set(13, [
    variation({ id: 14, parentId: 13, name: 'Pullover Hoodie - Blue', price: '45.00', stock: 30, modified: T0 - 86_400_000 }),
    variation({ id: 15, parentId: 13, name: 'Pullover Hoodie - Red', price: '47.50', stock: 0, modified: T0 - 86_400_000 }),
  ]);
  return fake;
}

/** The INGEST queue, run by hand: each message is one Worker invocation; counts the REST calls each one makes. */
function localQueue(fake: WooCatalogFake) {
  const pending: CatalogMessage[] = [];
  const deps: CatalogDeps = { fetcher: fake.fetch, send: async (m) => void pending.push(...m) };
  return {
    deps,
    pending,
    async drain(now: number) {
      let messages = 0;
      let maxCalls = 0;
      while (pending.length > 0) {
        const message = pending.shift()!;
        const before = fake.requests.length;
        await processCatalogMessage(env, deps, message, now);
        maxCalls = Math.max(maxCalls, fake.requests.length - before);
        messages++;
      }
      return { messages, maxCalls };
    },
  };
}

describe('catalogue import through the WooCommerce REST API', { timeout: 60_000 }, () => {
  it('fills products with categories, prices, stock and variations, one bounded queue message per page', async () => {
    const fake = await setupStore('cat-import', 1_250);
    const queue = localQueue(fake);
    const { runId, started } = await startCatalogRun(env, queue.deps, 'cat-import', 'connect', T0);
    expect(started).toBe(true);
    const { messages, maxCalls } = await queue.drain(T0 + 1000);

    expect(messages).toBe(1 + 13 + 1); // categories, 13 product pages of 100, one variations task
    expect(maxCalls).toBe(1);
    expect(fake.requests.every((r) => r.authorization === `Basic ${btoa(`${CK}:${CS}`)}`)).toBe(true);
    expect(fake.requests.filter((r) => r.path === '/wp-json/wc/v3/products').map((r) => r.query)).toContain('?per_page=100&page=13');

    const run = await findCatalogRun(d(), runId);
    expect(run).toMatchObject({ status: 'done', productsSeen: 1_253, markedMissing: 0, tasksTotal: 15 });
    const all = await d().select().from(products).where(eq(products.storeId, 'cat-import')).all();
    expect(all).toHaveLength(1_253);
    expect(await findProduct(d(), 'cat-import', 1007)).toMatchObject({
      name: 'Tea 7', price: 12, stockQuantity: 7, stockStatus: 'instock', type: 'simple',
      categories: [{ id: 21, name: 'Thé', slug: 'the' }], permalink: 'https://shop.example/p/1007', missingAt: null,
    });
    expect(await findProduct(d(), 'cat-import', 1000)).toMatchObject({ stockQuantity: 0, stockStatus: 'outofstock' });
    expect(await findProduct(d(), 'cat-import', 13)).toMatchObject({ type: 'variable', price: 45, parentId: null });
    expect(await findProduct(d(), 'cat-import', 15)).toMatchObject({
      type: 'variation', parentId: 13, name: 'Pullover Hoodie - Red', price: 47.5, stockQuantity: 0,
      categories: [{ id: 16, name: 'Clothing', slug: 'clothing' }, { id: 18, name: 'Hoodies', slug: 'hoodies' }],
      imageUrl: 'https://shop.example/v15.jpg',
    });
    const categories = await d().select().from(productCategories).where(eq(productCategories.storeId, 'cat-import')).all();
    expect(categories.map((c) => [c.id, c.name, c.parentId, c.productCount])).toEqual([[16, 'Clothing', null, 3], [18, 'Hoodies', 16, 2], [21, 'Thé', null, 1200]]);
  });

  it('variable products are read ten per message, every page of their variations included', async () => {
    const fake = await setupStore('cat-variable', 0);
    for (let p = 0; p < 24; p++) {
      const id = 2000 + p * 200;
      const variationIds = Array.from({ length: p === 0 ? 130 : 3 }, (_, v) => id + 1 + v);
      fake.products.push(variable({ id, name: `Coffret ${p}`, price: '30.00', categoryIds: [21], variationIds, modified: T0 }, CATEGORIES));
      fake.variations.set(id, variationIds.map((v) => variation({ id: v, parentId: id, name: `Coffret ${p} - ${v}`, price: '31.00', stock: 3, modified: T0 })));
    }
    const queue = localQueue(fake);
    const { runId } = await startCatalogRun(env, queue.deps, 'cat-variable', 'connect', T0);
    const { messages, maxCalls } = await queue.drain(T0 + 1000);
    expect(messages).toBe(1 + 1 + 3); // categories, one product page of 25, variations of 10 + 10 + 5 products
    expect(maxCalls).toBe(11); // ten products, one of which has a second page of variations
    expect(fake.requests.map((r) => r.path + r.query)).toContain('/wp-json/wc/v3/products/2000/variations?per_page=100&page=2');
    expect(await findCatalogRun(d(), runId)).toMatchObject({ status: 'done', productsSeen: 25 + 2 + 130 + 23 * 3 });
    expect(await findProduct(d(), 'cat-variable', 2130)).toMatchObject({ parentId: 2000, type: 'variation', price: 31, stockQuantity: 3 });
  });

  it('a redelivered message changes nothing, and a second start while running returns the same run', async () => {
    const fake = await setupStore('cat-redeliver', 150);
    const queue = localQueue(fake);
    const { runId } = await startCatalogRun(env, queue.deps, 'cat-redeliver', 'connect', T0);
    expect(await startCatalogRun(env, queue.deps, 'cat-redeliver', 'manual', T0 + 5)).toEqual({ runId, started: false });
    const first = queue.pending[1]!;
    await queue.drain(T0 + 1000);
    const calls = fake.requests.length;
    await processCatalogMessage(env, queue.deps, first, T0 + 2000);
    expect(fake.requests).toHaveLength(calls);
    expect(await findCatalogRun(d(), runId)).toMatchObject({ status: 'done', productsSeen: 153 });
  });

  it('reconciliation fixes drift and marks missing products, but not one a webhook vouched for during the run', async () => {
    const fake = await setupStore('cat-drift', 120);
    const queue = localQueue(fake);
    await startCatalogRun(env, queue.deps, 'cat-drift', 'connect', T0);
    await queue.drain(T0 + 1000);

    // Drift: the store changed without webhooks reaching us; a product vanished; another exists only in D1.
    const day = T0 + 86_400_000;
    const changed = fake.products.find((p) => p.id === 1003)!;
    Object.assign(changed, { price: '99.00', regular_price: '99.00', stock_quantity: 2, date_modified_gmt: new Date(day - 3_600_000).toISOString().slice(0, 19) });
    fake.products.splice(fake.products.findIndex((p) => p.id === 1004), 1);
    fake.products.splice(fake.products.findIndex((p) => p.id === 1005), 1);
    fake.variations.set(13, fake.variations.get(13)!.filter((v) => v.id !== 14));
    await d().update(products).set({ price: 1, stockQuantity: 500 }).where(and(eq(products.storeId, 'cat-drift'), eq(products.id, 1006)));

    const started = await reconcileCatalogs(env, day, queue.deps);
    expect(started).toContain('cat-drift');
    expect(await reconcileCatalogs(env, day + 60_000, queue.deps)).not.toContain('cat-drift');
    // While the run reads the pages, a product.updated webhook arrives for 1005 (e.g. a draft the listing omits).
    await upsertProductVersion(d(), {
      storeId: 'cat-drift', id: 1005, type: 'simple', name: 'Tea 5', price: 10, categories: [], sourceModifiedAt: day + 5, updatedAt: day + 10,
    });
    await queue.drain(day + 20_000);

    expect(await findProduct(d(), 'cat-drift', 1003)).toMatchObject({ price: 99, stockQuantity: 2, missingAt: null });
    expect(await findProduct(d(), 'cat-drift', 1006)).toMatchObject({ price: 11, stockQuantity: 6 });
    expect(await findProduct(d(), 'cat-drift', 1004)).toMatchObject({ missingAt: day + 20_000, deletedAt: null });
    expect(await findProduct(d(), 'cat-drift', 14)).toMatchObject({ missingAt: day + 20_000 });
    expect(await findProduct(d(), 'cat-drift', 1005)).toMatchObject({ missingAt: null, deletedAt: null });

    // The product comes back (a webhook or the next run): no longer missing.
    fake.products.push(simple({ id: 1004, name: 'Tea 4', price: '9.00', stock: 4, modified: day + 86_400_000 }, CATEGORIES));
    await reconcileCatalogs(env, day + 86_400_000, queue.deps);
    await queue.drain(day + 86_400_000 + 1000);
    expect(await findProduct(d(), 'cat-drift', 1004)).toMatchObject({ missingAt: null, price: 9 });
  });

  it('refused keys end the run as failed without marking anything missing; a 5xx is retried', async () => {
    const fake = await setupStore('cat-refused', 5);
    const queue = localQueue(fake);
    const { runId } = await startCatalogRun(env, queue.deps, 'cat-refused', 'connect', T0);
    fake.failNext(500);
    await expect(processCatalogMessage(env, queue.deps, queue.pending[0]!, T0)).rejects.toThrow(/HTTP 500/);
    expect((await findCatalogRun(d(), runId))?.status).toBe('running');
    fake.failNext(401);
    await expect(processCatalogMessage(env, queue.deps, queue.pending[0]!, T0)).rejects.toThrow(/woocommerce_rest_cannot_view/);
    expect(await findCatalogRun(d(), runId)).toMatchObject({ status: 'failed', error: expect.stringMatching(/cannot list/) });
    await processCatalogMessage(env, queue.deps, queue.pending[1]!, T0);
    expect(await d().select().from(products).where(eq(products.storeId, 'cat-refused')).all()).toHaveLength(0);
  });
});
