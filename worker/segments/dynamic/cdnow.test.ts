import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { upsertStore } from '../../db/queries/stores';
import { listSegments, type SegmentView } from './segment-admin';
import { fullSegmentRun } from './runs';
import { RFM_SEGMENTS, scoreRfm, type BuyerSummary } from '../rfm';
import { rfmSegmentId } from './built-in';
import { cdnowContactId, cdnowPurchases, loadCdnow } from './test/cdnow';

// Every CDNOW customer first bought in the first quarter of 1997: at the end of 1997, all of them are in the
// trailing 365 days, so every one of them must be scored.
const NOW = Date.UTC(1997, 11, 31, 23);
const STORE = 'cdnow';
const purchases = cdnowPurchases(NOW);
let segments: SegmentView[];

beforeAll(async () => {
  const d = db(env.DB);
  await upsertStore(d, { id: STORE, name: 'CDNOW', webhookSecret: 'w'.repeat(32), siteKey: 'pk_cdnow', createdAt: 1, updatedAt: 1 });
  await loadCdnow(STORE, purchases);
  await fullSegmentRun(d, STORE, NOW);
  segments = await listSegments(d, STORE, NOW);
}, 120_000);

describe('the CDNOW purchase history as a store', () => {
  it('gives every one of the 23,570 customers an RFM score, by quintiles, and exactly one RFM segment', async () => {
    const customers = new Set(purchases.map((p) => p.customer));
    expect(customers.size).toBe(23_570);
    const scored = await env.DB.prepare(
      `SELECT count(*) AS n, count(DISTINCT rfm_method) AS methods, min(rfm_method) AS method FROM contact_scores WHERE store_id = ? AND rfm_segment IS NOT NULL`,
    ).bind(STORE).first<{ n: number; methods: number; method: string }>();
    expect(scored).toEqual({ n: 23_570, methods: 1, method: 'quintiles' });
    const rfm = segments.filter((s) => s.id.startsWith('rfm-'));
    expect(rfm).toHaveLength(11);
    expect(rfm.reduce((n, s) => n + s.count, 0)).toBe(23_570);
    const inTwo = await env.DB.prepare(
      `SELECT count(*) AS n FROM (SELECT contact_id FROM segment_members WHERE store_id = ? AND segment_id LIKE 'rfm-%' GROUP BY contact_id HAVING count(*) > 1)`,
    ).bind(STORE).first<{ n: number }>();
    expect(inTwo?.n).toBe(0);
  });

  it('stores the same segments the pure scoring computes from the file', () => {
    const byCustomer = new Map<string, BuyerSummary>();
    for (const p of purchases) {
      const b = byCustomer.get(p.customer) ?? { contactId: cdnowContactId(p.customer), lastOrderAt: 0, orders: 0, spend: 0 };
      byCustomer.set(p.customer, { ...b, lastOrderAt: Math.max(b.lastOrderAt, p.at), orders: b.orders + 1, spend: b.spend + p.dollars });
    }
    // Spend is kept to the cent, as the database sums it (float sums in another order could split a tie).
    const buyers = [...byCustomer.values()].map((b) => ({ ...b, spend: Math.round(b.spend * 100) / 100 }));
    const expected = Map.groupBy(scoreRfm(buyers, NOW), (s) => s.segment);
    for (const segment of RFM_SEGMENTS) {
      expect(segments.find((s) => s.id === rfmSegmentId(segment))?.count, segment).toBe(expected.get(segment)?.length ?? 0);
    }
  });
});
