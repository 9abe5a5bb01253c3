import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { T0, cachedSeed, cartUpdated, collect, countingDb, ids, rows, runBatch } from '../../test/collect-kit';
import type { CollectMessage } from '../messages';
import { processCollectMessage } from './collect-processor';

/** What the plugin bridge sends at checkout (signed, so trusted): who the shopper is, with consent, then the cart. */
function checkoutOf(storeId: string, n: number, email = `shopper${n}@example.com`): CollectMessage {
  const tag = `idb_${String(n).padStart(4, '0')}`;
  const identify = { id: `${tag}_id`, type: 'identify', ts: T0 + n, email, firstName: `Cam${n}`, source: 'checkout', consent: { emailMarketing: true, textVersion: 'checkout-2026-11' } };
  return collect(storeId, `v_${tag}_${n}`, n, [identify, cartUpdated(`${tag}_cart`, n + 1, 20 + n)], { trusted: true });
}

/** Runs the batch, then redelivers what it retried (as the queue would) until every message is acknowledged. */
async function untilAcked(messages: CollectMessage[]): Promise<void> {
  let left = messages;
  for (let round = 1; round <= 5; round++) {
    const { retried } = await runBatch(left);
    if (retried.length === 0) return;
    left = retried.map((id) => left[Number(id.slice(1))]!);
  }
  throw new Error('still retried after 5 deliveries');
}

describe('visitors who identify in one collect batch', { timeout: 30_000 }, () => {
  it('share D1 round trips, and leave exactly the rows and agent events the one-message path leaves', async () => {
    const [batched, single] = ['cib-batch', 'cib-single'];
    await Promise.all([cachedSeed(batched), cachedSeed(single)]);
    const n = 6;
    const together = countingDb(env.DB);
    expect(await runBatch(Array.from({ length: n }, (_, i) => checkoutOf(batched, i)), together.env)).toEqual({ acked: ids(n), retried: [] });
    const alone = countingDb(env.DB);
    for (let i = 0; i < n; i++) await processCollectMessage(alone.env, checkoutOf(single, i));

    const [a, b] = [await rows(batched), await rows(single)];
    expect(a).toEqual(b);
    expect(a.contacts.map((c) => c.email)).toEqual(Array.from({ length: n }, (_, i) => `shopper${i}@example.com`));
    expect(a.carts).toHaveLength(n);
    expect(Object.values(a.agents).every((events) => events.some((e) => e.id.endsWith('_cart')))).toBe(true);
    // Each path issues the same statements in the same order, so most meet in shared round trips (measured: 33 for
    // six checkouts, against 78 one at a time; paths drift apart after their agents answer at different times).
    expect(together.counter.trips).toBeLessThan(alone.counter.trips / 2);
  });

  it('still make one contact of two visitors who give the same address in one batch', async () => {
    const store = 'cib-same';
    await cachedSeed(store);
    const messages = [checkoutOf(store, 1, 'same@example.com'), checkoutOf(store, 2, 'same@example.com')];
    await untilAcked(messages);
    const { results } = await env.DB.prepare(
      `SELECT c.id AS contact, (SELECT count(*) FROM visitors v WHERE v.store_id = c.store_id AND v.contact_id = c.id) AS visitors
       FROM contacts c WHERE c.store_id = ? AND c.email = 'same@example.com'`,
    )
      .bind(store)
      .all();
    expect(results).toEqual([{ contact: expect.any(String), visitors: 2 }]);
  });
});
