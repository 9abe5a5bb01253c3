/**
 * The segments bench (run by bench/segments.mjs, not by `npm test`: the file name is outside the test pattern).
 * CDNOW master scaled to N customers with 10 orders each: synthetic customer n takes the purchases of CDNOW customers
 * n, n+1, … (mod 23,570) until it has 10, shifted by ⌊n / 23,570⌋ days so copies differ. Times, on real D1 in workerd,
 * the nightly run's parts: RFM, the predictions (product intervals, next orders, BG/NBD fit), every segment.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../db/client';
import { upsertStore } from '../db/queries/stores';
import { ensureBuiltIns, recomputeStoreSegments } from '../segments/dynamic/membership';
import { cdnowPurchases, loadCdnow, type CdnowPurchase } from '../segments/dynamic/test/cdnow';
import { scoreStoreRfm } from '../segments/scores/rfm-scoring';
import { findStorePredictions } from '../db/queries/predictions';
import { predictStore } from './run';

const DAY = 86_400_000;
const ORDERS_PER_CUSTOMER = 10;
const END_OF_DATA = Date.UTC(1998, 5, 30, 23);

function scaled(customers: number): CdnowPurchase[] {
  const bySource = [...Map.groupBy(cdnowPurchases(), (p) => p.customer).values()];
  const out: CdnowPurchase[] = [];
  for (let n = 0; n < customers; n++) {
    const shift = Math.floor(n / bySource.length) * DAY;
    const mine: CdnowPurchase[] = [];
    for (let s = n; mine.length < ORDERS_PER_CUSTOMER; s++) {
      for (const p of bySource[s % bySource.length] ?? []) if (mine.length < ORDERS_PER_CUSTOMER) mine.push({ customer: `${customers}_${n}`, at: p.at + shift, dollars: p.dollars });
    }
    out.push(...mine);
  }
  return out;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await fn();
  return [value, (performance.now() - t0) / 1000];
}

const SIZES = [10_000, 100_000];

describe('segments bench', () => {
  for (const customers of SIZES) {
    it(`RFM, predictions and every segment for ${customers} customers`, async () => {
      const d = db(env.DB);
      const store = `bench-${customers}`;
      await upsertStore(d, { id: store, name: store, webhookSecret: 'w'.repeat(32), siteKey: `pk_${store}`, createdAt: 1, updatedAt: 1 });
      const purchases = scaled(customers);
      const [, load] = await timed(() => loadCdnow(store, purchases));
      const now = END_OF_DATA + Math.floor(customers / 23_570) * DAY;
      await ensureBuiltIns(d, store, now);
      const [scored, rfm] = await timed(() => scoreStoreRfm(d, store, now));
      const [predicted, predictions] = await timed(() => predictStore(d, store, now));
      const [, segments] = await timed(() => recomputeStoreSegments(d, store, now));
      const fit = (await findStorePredictions(d, store))?.bgnbd ?? null;
      expect(predicted).toBe(customers);
      const result = { customers, orders: purchases.length, scored, load, rfm, predictions, segments, total: rfm + predictions + segments, fit };
      console.log(`SEGMENTS_BENCH ${JSON.stringify(result)}`);
    }, 1_800_000);
  }
});
