import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import sample from '../../../shared/datasets/cdnow/CDNOW_sample.txt?raw';
import { db } from '../db/client';
import { findStorePredictions } from '../db/queries/predictions';
import { upsertStore } from '../db/queries/stores';
import { cdnowPurchases, loadCdnow, type CdnowPurchase } from '../segments/dynamic/test/cdnow';
import { expectedPurchases, probabilityAlive } from '../segments/bgnbd';
import { fullSegmentRun } from '../segments/dynamic/runs';
import { CHURN_RISK, CHURN_RISK_P_ALIVE } from '../segments/dynamic/built-in';
import { predictStore } from './run';

// The calibration period of FHL 2005: the first 39 weeks, to 1997-09-30.
const CALIBRATION_END = Date.UTC(1997, 8, 30, 23);
const END_OF_DATA = Date.UTC(1998, 5, 30, 23);
const sig3 = (v: number | undefined) => Number(v?.toPrecision(3));

/** CDNOW_sample: `customer sample_id date(YYYYMMDD) cds dollars`, purchases up to `until`. */
function samplePurchases(until: number): CdnowPurchase[] {
  return sample
    .trim()
    .split('\n')
    .flatMap((line) => {
      // Contacts are named by the sample id (the summary's ID), prefixed so they never meet the master's ids.
      const [, sampleId = '', date = '', , dollars = '0'] = line.trim().split(/\s+/);
      const customer = `s${Number(sampleId)}`;
      const at = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8)), 12);
      return at <= until ? [{ customer, at, dollars: Number(dollars) }] : [];
    });
}

async function store(id: string): Promise<void> {
  await upsertStore(db(env.DB), { id, name: id, webhookSecret: 'w'.repeat(32), siteKey: `pk_${id}`, createdAt: 1, updatedAt: 1 });
}

describe('the CDNOW sample loaded as a store (calibration weeks 1–39)', () => {
  beforeAll(async () => {
    await store('cdnow-sample');
    await loadCdnow('cdnow-sample', samplePurchases(CALIBRATION_END));
    await predictStore(db(env.DB), 'cdnow-sample', CALIBRATION_END);
  }, 120_000);

  it('fits BG/NBD per store and recovers r = 0.243, α = 4.414, a = 0.793, b = 2.426 (FHL 2005)', async () => {
    const p = await findStorePredictions(db(env.DB), 'cdnow-sample');
    expect(p).toMatchObject({ buyers: 2357, repeatBuyers: 946 });
    const fit = p?.bgnbd;
    expect([sig3(fit?.r), sig3(fit?.alpha), sig3(fit?.a), sig3(fit?.b)]).toEqual([0.243, 4.41, 0.793, 2.43]);
  });

  it('stores for customer 1 (x = 2, tₓ = 30.43, T = 38.86) the alive probability and 90-day orders of that fit (1.226 in 39 weeks)', async () => {
    const fit = (await findStorePredictions(db(env.DB), 'cdnow-sample'))?.bgnbd;
    const row = await env.DB.prepare(`SELECT p_alive AS pAlive, expected_orders_90d AS e90, prediction_method AS method FROM contact_scores WHERE store_id = 'cdnow-sample' AND contact_id = 'cd_s1'`).first<{ pAlive: number; e90: number; method: string }>();
    if (!fit || !row) throw new Error('no fit or no prediction stored');
    // Customer 1 bought on 1997-01-01, 01-18 and 08-02: tₓ = 213 days, T = 272 days.
    const history = { x: 2, tx: 213 / 7, T: 272 / 7 };
    expect(expectedPurchases(fit, history, 39).toFixed(3)).toBe('1.226');
    expect(row.method).toBe('bgnbd');
    expect(row.pAlive).toBeCloseTo(probabilityAlive(fit, history), 9);
    expect(row.e90).toBeCloseTo(expectedPurchases(fit, history, 90 / 7), 9);
    expect(row.e90).toBeLessThan(1.226);
  });
});

describe('the whole CDNOW cohort (23,570 customers) as a store', () => {
  beforeAll(async () => {
    await store('cdnow-master');
    await loadCdnow('cdnow-master', cdnowPurchases(END_OF_DATA));
    // The nightly run: RFM, predictions, then every segment (the churn-risk one reads the predictions).
    await fullSegmentRun(db(env.DB), 'cdnow-master', END_OF_DATA);
  }, 180_000);

  it('predicts every customer, by BG/NBD, with a next order date after their last order', async () => {
    const row = await env.DB.prepare(
      `SELECT count(*) AS n, sum(prediction_method = 'bgnbd') AS bgnbd, sum(p_alive BETWEEN 0 AND 1) AS alive,
         sum(next_order_at > (SELECT max(created_at) FROM orders o WHERE o.store_id = s.store_id AND o.contact_id = s.contact_id) - 86400000) AS ahead
       FROM contact_scores s WHERE store_id = 'cdnow-master'`,
    ).first();
    expect(row).toEqual({ n: 23_570, bgnbd: 23_570, alive: 23_570, ahead: 23_570 });
  });

  it('puts exactly the customers whose probability alive fell under 0.3 in the churn-risk segment', async () => {
    const risky = await env.DB.prepare(`SELECT count(*) AS n FROM contact_scores WHERE store_id = 'cdnow-master' AND p_alive < ?`).bind(CHURN_RISK_P_ALIVE).first<{ n: number }>();
    const members = await env.DB.prepare(`SELECT count(*) AS n FROM segment_members WHERE store_id = 'cdnow-master' AND segment_id = ?`).bind(CHURN_RISK).first<{ n: number }>();
    expect(risky?.n).toBeGreaterThan(1000);
    expect(members?.n).toBe(risky?.n);
  });
});
