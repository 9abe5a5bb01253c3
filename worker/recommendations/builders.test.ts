import { describe, expect, it } from 'vitest';
import { markOrderDeleted } from '../db/queries/orders';
import { countsSnapshot } from '../db/queries/rec-counts';
import { arrivals, bestsellers, boughtTogether, personal, viewed } from './builders';
import { rebuildRecommendations, refreshOrderRecommendations } from './refresh';
import { d, DAY, NOW, seedProducts, seedRecStore, storeOrder, type TestOrder } from './test/rec-store';
import { contactProperties, events } from '../db/schema';

const ids = (list: { id: number }[]) => list.map((p) => p.id);

/** Stores the order version and runs the incremental update, as the order webhook does. */
async function ordered(storeId: string, o: TestOrder): Promise<void> {
  await storeOrder(storeId, o);
  await refreshOrderRecommendations(d(), storeId, o.id, NOW);
}

describe('co-purchase counts', () => {
  it('after orders, a replay, an edit, a cancellation, a refund and a deletion, the incremental counts equal a full rebuild', async () => {
    const store = 'rec-incr';
    await seedRecStore(store);
    await seedProducts(store, [1, 2, 3, 4, 5, 6].map((id) => ({ id })));
    await ordered(store, { id: 100, products: [1, 2, 3] });
    await ordered(store, { id: 101, products: [1, 2] });
    await ordered(store, { id: 102, products: [2, 3, 3, 4] });
    await ordered(store, { id: 103, products: [1, 2], paidAt: null, status: 'pending' });
    await ordered(store, { id: 104, products: [5, 6] });
    await ordered(store, { id: 100, products: [1, 2, 3] }); // a replay of the same version
    const before = await countsSnapshot(d(), store);
    expect(before.pairs).toContain('{"product_id":1,"other_id":2,"orders":2}');
    await ordered(store, { id: 103, products: [1, 2], version: 2 }); // now paid
    await ordered(store, { id: 101, products: [1, 2], version: 2, status: 'cancelled', cancelledAt: NOW });
    await ordered(store, { id: 102, products: [2, 4, 5], version: 2 }); // lines edited
    await ordered(store, { id: 104, products: [5, 6], version: 2, status: 'refunded' });
    await ordered(store, { id: 105, products: [3, 6] });
    await markOrderDeleted(d(), store, 105, NOW);
    await refreshOrderRecommendations(d(), store, 105, NOW);
    const incremental = await countsSnapshot(d(), store);
    await rebuildRecommendations(d(), store, NOW);
    const rebuilt = await countsSnapshot(d(), store);
    expect(incremental).toEqual(rebuilt);
    // Orders 100, 103 (paid later) and 102 (edited) stand; 101 cancelled, 104 refunded, 105 deleted.
    expect(JSON.parse(rebuilt.items)).toEqual([
      { product_id: 1, orders: 2 },
      { product_id: 2, orders: 3 },
      { product_id: 3, orders: 1 },
      { product_id: 4, orders: 1 },
      { product_id: 5, orders: 1 },
    ]);
    expect(rebuilt.pairs).toContain('{"product_id":1,"other_id":2,"orders":2}');
    expect(rebuilt.pairs).not.toContain('"product_id":6');
  });

  it('orders paid before the trailing year are left out of a rebuild', async () => {
    const store = 'rec-window';
    await seedRecStore(store);
    await seedProducts(store, [1, 2].map((id) => ({ id })));
    await storeOrder(store, { id: 1, products: [1, 2], paidAt: NOW - 400 * DAY });
    await storeOrder(store, { id: 2, products: [1, 2], paidAt: NOW - 10 * DAY });
    await rebuildRecommendations(d(), store, NOW);
    expect(JSON.parse((await countsSnapshot(d(), store)).pairs)).toEqual([
      { product_id: 1, other_id: 2, orders: 1 },
      { product_id: 2, other_id: 1, orders: 1 },
    ]);
  });
});

describe('bought together on a generated store with known co-purchase groups', () => {
  it('reaches precision@5 of at least 0.9', async () => {
    const store = 'rec-precision';
    await seedRecStore(store);
    // 15 groups of 6 products bought together, 30 products bought on their own; every order adds one of those.
    const groups = Array.from({ length: 15 }, (_, g) => Array.from({ length: 6 }, (_, i) => 1 + g * 6 + i));
    await seedProducts(store, Array.from({ length: 120 }, (_, i) => ({ id: i + 1 })));
    for (let k = 0; k < 450; k++) {
      const group = groups[k % 15]!;
      // The m-th order of a group starts at member m mod 6 and adds one at every distance in turn: all 15 pairs occur.
      const m = Math.floor(k / 15);
      const first = m % 6;
      const offsets = [0, 1 + (Math.floor(m / 6) % 5), 3].slice(0, 2 + (k % 2));
      const members = offsets.map((o) => group[(first + o) % 6]!);
      const noise = 91 + ((k * 13) % 30);
      await storeOrder(store, { id: 1000 + k, products: [...new Set(members)], paidAt: NOW - ((k % 300) + 1) * DAY });
      await storeOrder(store, { id: 5000 + k, products: [noise, group[k % 6]!], paidAt: NOW - ((k % 300) + 1) * DAY });
    }
    await rebuildRecommendations(d(), store, NOW);
    let hits = 0;
    let shown = 0;
    for (const group of groups) {
      for (const product of group) {
        const top = ids(await boughtTogether(d(), store, [product], 5));
        hits += top.filter((id) => group.includes(id)).length;
        shown += 5;
      }
    }
    const precision = hits / shown;
    console.log(`bought together precision@5 on the generated store: ${precision.toFixed(3)}`);
    expect(precision).toBeGreaterThanOrEqual(0.9);
  });
});

describe('lists and the personal blend', () => {
  it('serves bestsellers per store and category, new arrivals, recently viewed, and a personal blend without bought or out-of-stock products', async () => {
    const store = 'rec-lists';
    await seedRecStore(store);
    await seedProducts(store, [
      { id: 1, categories: [10] },
      { id: 2, categories: [10] },
      { id: 3, categories: [20] },
      { id: 4, categories: [20], stock: 'outofstock' },
      { id: 5, categories: [20], createdAt: NOW },
      { id: 6, categories: [30] },
      { id: 7, categories: [30] },
    ]);
    await storeOrder(store, { id: 1, products: [1, 3], quantity: 5 });
    await storeOrder(store, { id: 2, products: [1, 2], contactId: 'c1' });
    await storeOrder(store, { id: 3, products: [1, 2] });
    await storeOrder(store, { id: 4, products: [2, 4], quantity: 9 });
    await storeOrder(store, { id: 5, products: [2, 4] });
    await storeOrder(store, { id: 6, products: [6], paidAt: NOW - 40 * DAY, quantity: 50 });
    await rebuildRecommendations(d(), store, NOW);
    // 4 sold most but is out of stock; 6 sold outside the 30 days.
    expect(ids(await bestsellers(d(), store, undefined, 5))).toEqual([2, 1, 3]);
    expect(ids(await bestsellers(d(), store, 20, 5))).toEqual([3]);
    expect(ids(await arrivals(d(), store, undefined, 2))).toEqual([5, 7]);
    await d()
      .insert(events)
      .values(
        [3, 6, 3].map((productId, i) => ({
          storeId: store,
          eventKey: `view-${i}`,
          type: 'product_view',
          visitorId: 'visitor-1',
          contactId: null,
          properties: { productId },
          source: 'browser' as const,
          occurredAt: NOW - 1000 + i,
          receivedAt: NOW,
        })),
      );
    expect(ids(await viewed(d(), store, { visitorId: 'visitor-1' }, 5))).toEqual([3, 6]);
    // c1 bought 1 and 2: 3 (bought with 1) is a neighbour; never 1, 2 or the out-of-stock 4.
    const plain = ids(await personal(d(), store, 'c1', 3));
    expect(plain).not.toContain(1);
    expect(plain).not.toContain(2);
    expect(plain).not.toContain(4);
    expect(plain[0]).toBe(3);
    // A zero-party interest in category 30 lifts its products above the store's bestsellers.
    await d().insert(contactProperties).values({ storeId: store, contactId: 'c1', key: 'interest', value: 'cat-30', updatedAt: NOW });
    await storeOrder(store, { id: 7, products: [6, 7], paidAt: NOW - DAY });
    await rebuildRecommendations(d(), store, NOW);
    const interested = ids(await personal(d(), store, 'c1', 3));
    expect(interested.slice(0, 3).sort()).toEqual([3, 6, 7]);
  });
});
