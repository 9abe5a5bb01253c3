import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { jobsFor } from '../jobs';
import { topList } from '../db/queries/rec-lists';
import { rebuildDueStores } from './refresh';
import { d, DAY, NOW, seedProducts, seedRecStore, storeOrder } from './test/rec-store';

describe('the nightly rebuild', () => {
  it('is a cron job that rebuilds each store with orders about once a day', async () => {
    expect(jobsFor('*/15 * * * *').map((j) => j.name)).toContain('recommendations:rebuild');
    const store = 'rec-nightly';
    await seedRecStore(store);
    await seedProducts(store, [{ id: 1 }, { id: 2 }]);
    await storeOrder(store, { id: 1, products: [1, 2], quantity: 2 });
    expect(await rebuildDueStores(env, NOW)).toContain(store);
    expect(await topList(d(), store, 'bestsellers')).toEqual([1, 2]);
    expect(await rebuildDueStores(env, NOW + 15 * 60_000)).not.toContain(store);
    await storeOrder(store, { id: 2, products: [2], quantity: 5 });
    expect(await rebuildDueStores(env, NOW + DAY + 60_000)).toContain(store);
    expect(await topList(d(), store, 'bestsellers')).toEqual([2, 1]);
  });
});
