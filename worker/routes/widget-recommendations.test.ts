import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { linkVisitorToContact, touchVisitor } from '../db/queries/visitors';
import { rebuildRecommendations } from '../recommendations/refresh';
import { d, NOW, seedProducts, seedRecStore, storeOrder } from '../recommendations/test/rec-store';

const SHOP = 'https://shop.test';

function get(query: string, origin: string | null = SHOP): Promise<Response> {
  return SELF.fetch(`https://ns.test/widgets/recommendations?${query}`, { headers: origin ? { Origin: origin } : {} });
}

type Body = { kind: string; lang: string; items: { id: number; name: string; priceText: string; url: string; image: string }[] };

/** Products 1-4; 1 and 2 bought together twice, 3 the bestseller, 4 out of stock. */
async function seed(store: string, locale: string, currency: string): Promise<void> {
  await seedRecStore(store, { locale, currency });
  await seedProducts(store, [
    { id: 1, name: 'Thé vert', price: 12 },
    { id: 2, name: 'Théière <fonte>', price: 39.9 },
    { id: 3, name: 'Tasse', price: 8.5 },
    { id: 4, name: 'Filtre', stock: 'outofstock' },
  ]);
  await storeOrder(store, { id: 1, products: [1, 2] });
  await storeOrder(store, { id: 2, products: [1, 2], contactId: `${store}-c` });
  await storeOrder(store, { id: 3, products: [3, 4], quantity: 10 });
  await rebuildRecommendations(d(), store, NOW);
}

describe('GET /widgets/recommendations', () => {
  it('answers JSON with prices written in the store’s locale and currency', async () => {
    await seed('recw-json', 'fr_FR', 'EUR');
    const res = await get('site=pk_recw-json&kind=bestsellers&limit=2');
    expect(res.status).toBe(200);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(SHOP);
    expect(res.headers.get('x-ns-allowed-origins')).toBeNull();
    const body = (await res.json()) as Body;
    expect(body.lang).toBe('fr');
    expect(body.items.map((i) => i.id)).toEqual([3, 1]);
    expect(body.items[0]).toMatchObject({ name: 'Tasse', url: 'https://shop.test/p/3', image: 'https://shop.test/img/3.jpg' });
    expect(body.items[0]!.priceText).toBe('8,50\u00a0€');
  });

  it('renders an accessible HTML fragment in English and in French', async () => {
    await seed('recw-en', 'en_US', 'USD');
    const en = await (await get('site=pk_recw-en&kind=bought_together&product=1&format=html')).text();
    expect(en).toContain('<section class="ns-recs" data-kind="bought_together" aria-labelledby="ns-recs-bought_together" lang="en">');
    expect(en).toContain('<h2 id="ns-recs-bought_together">Frequently bought together</h2>');
    expect(en).toContain('<img src="https://shop.test/img/2.jpg" alt="Théière &lt;fonte&gt;" width="160" height="160"');
    expect(en).toContain('<span class="ns-recs-price">$39.90</span>');
    expect(en).toContain('<a href="https://shop.test/p/2">');
    await seed('recw-fr', 'fr', 'EUR');
    const fr = await get('site=pk_recw-fr&kind=bought_together&product=2&format=html');
    expect(fr.headers.get('Content-Type')).toContain('text/html');
    const html = await fr.text();
    expect(html).toContain('<h2 id="ns-recs-bought_together">Souvent achetés ensemble</h2>');
    expect(html).toContain('alt="Thé vert"');
    expect(html).toContain('12,00\u00a0€');
  });

  it('serves shared kinds from the edge cache, and per-visitor kinds fresh and private', async () => {
    await seed('recw-cache', 'fr', 'EUR');
    const first = (await (await get('site=pk_recw-cache&kind=bestsellers')).json()) as Body;
    await storeOrder('recw-cache', { id: 9, products: [2], quantity: 50 });
    await rebuildRecommendations(d(), 'recw-cache', NOW);
    // The parameters in another order name the same cached answer: the new bestseller is not in it yet.
    const cached = await get('kind=bestsellers&site=pk_recw-cache');
    expect(cached.headers.get('Cache-Control')).toBe('public, max-age=60');
    expect(((await cached.json()) as Body).items).toEqual(first.items);
    expect(first.items[0]!.id).toBe(3);
    await touchVisitor(d(), 'recw-cache', 'visitor-cache-1', NOW);
    await linkVisitorToContact(d(), 'recw-cache', 'visitor-cache-1', 'recw-cache-c');
    const mine = await get('site=pk_recw-cache&kind=personal&visitor=visitor-cache-1');
    expect(mine.headers.get('Cache-Control')).toBe('private, no-store');
    // The contact bought 1 and 2: the blend shows 3 and the new bestseller order moved nothing they own in.
    expect(((await mine.json()) as Body).items.map((i) => i.id)).toEqual([3]);
  });

  it('refuses other origins, per-visitor kinds without an origin, and incomplete queries', async () => {
    await seed('recw-guard', 'fr', 'EUR');
    expect((await get('site=pk_recw-guard&kind=bestsellers', 'https://evil.test')).status).toBe(403);
    expect((await get('site=pk_recw-guard&kind=bestsellers', null)).status).toBe(200);
    expect((await get('site=pk_recw-guard&kind=recently_viewed&visitor=visitor-guard-1', null)).status).toBe(403);
    expect((await get('site=pk_recw-guard&kind=bought_together')).status).toBe(400);
    expect((await get('site=pk_recw-guard&kind=personal')).status).toBe(400);
    expect((await get('site=pk_nobody&kind=bestsellers')).status).toBe(404);
  });
});
