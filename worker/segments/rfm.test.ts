import { describe, expect, it } from 'vitest';
import master from '../../../shared/datasets/cdnow/CDNOW_master.txt?raw';
import { RFM_SEGMENT_NAMES, RFM_SEGMENTS, rfmBasis, scoreBuyer, scoreRfm, segmentOf, type BuyerSummary, type Score } from './rfm';

const DAY = 86_400_000;

describe('the R × FM grid', () => {
  // Rows FM 5 → 1, columns R 1 → 5, as the dashboard's heat map draws it.
  const grid = [
    ["Can't Lose Them", 'At Risk', 'Loyal', 'Champions', 'Champions'],
    ["Can't Lose Them", 'At Risk', 'Loyal', 'Loyal', 'Champions'],
    ['At Risk', 'At Risk', 'Need Attention', 'Potential Loyalist', 'Potential Loyalist'],
    ['Hibernating', 'Hibernating', 'About To Sleep', 'Potential Loyalist', 'Potential Loyalist'],
    ['Lost', 'Lost', 'About To Sleep', 'Promising', 'New Customers'],
  ];
  const cells = grid.flatMap((row, i) => row.map((name, j) => [5 - i, j + 1, name] as const));
  it.each(cells)('FM %i, R %i → %s', (fm, r, name) => {
    expect(RFM_SEGMENT_NAMES[segmentOf(r as Score, fm as Score)].en).toBe(name);
  });
  it('uses all 11 segments, each with a French name', () => {
    expect(new Set(cells.map(([fm, r]) => segmentOf(r as Score, fm as Score))).size).toBe(11);
    expect(RFM_SEGMENTS.map((s) => RFM_SEGMENT_NAMES[s].fr)).toEqual([
      'Champions', 'Clients fidèles', 'Fidèles en devenir', 'Nouveaux clients', 'Prometteurs', 'À surveiller',
      'En perte de vitesse', 'À risque', 'À ne pas perdre', 'En hibernation', 'Perdus',
    ]);
  });
});

describe('small stores: fixed bands', () => {
  const now = Date.UTC(2026, 11, 1);
  const buyer = (contactId: string, daysAgo: number, orders: number, spend: number): BuyerSummary => ({ contactId, lastOrderAt: now - daysAgo * DAY, orders, spend });
  const buyers = [buyer('a', 10, 6, 400), buyer('b', 45, 2, 100), buyer('c', 200, 1, 40), buyer('d', 300, 3, 100), buyer('e', 400, 9, 900)];
  const scores = Object.fromEntries(scoreRfm(buyers, now).map((s) => [s.contactId, s]));

  it('says which method scored the contact and leaves out buyers older than 365 days', () => {
    expect(Object.keys(scores).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(new Set(Object.values(scores).map((s) => s.method))).toEqual(new Set(['bands']));
  });
  it('scores by days since the last order, order count and spend against the median buyer', () => {
    // Median spend of a, b, c, d = 100.
    expect(scores.a).toMatchObject({ r: 5, f: 5, m: 4, fm: 5, segment: 'champions' });
    expect(scores.b).toMatchObject({ r: 4, f: 2, m: 2, fm: 2, segment: 'potential_loyalist' });
    expect(scores.c).toMatchObject({ r: 2, f: 1, m: 1, fm: 1, segment: 'lost' });
    expect(scores.d).toMatchObject({ r: 1, f: 3, m: 2, fm: 3, segment: 'at_risk' });
  });
});

/** CDNOW_master: `customer date(YYYYMMDD) cds dollars` → one summary per customer over the trailing 365 days. */
function cdnowBuyers(end: number): BuyerSummary[] {
  const byCustomer = new Map<string, BuyerSummary>();
  for (const line of master.trim().split('\n').slice(1)) {
    const [id = '', date = '', , dollars = '0'] = line.trim().split(/\s+/);
    const at = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8)));
    if (end - at > 365 * DAY || at > end) continue;
    const b = byCustomer.get(id) ?? { contactId: id, lastOrderAt: 0, orders: 0, spend: 0 };
    b.lastOrderAt = Math.max(b.lastOrderAt, at);
    b.orders += 1;
    b.spend += Number(dollars);
    byCustomer.set(id, b);
  }
  return [...byCustomer.values()];
}

describe('quintiles on the CDNOW history', () => {
  const end = Date.UTC(1998, 5, 30);
  const buyers = cdnowBuyers(end);
  const scores = scoreRfm(buyers, end);

  it('scores every buyer of the trailing year by quintiles', () => {
    expect(buyers.length).toBeGreaterThan(5000);
    expect(scores).toHaveLength(buyers.length);
    expect(new Set(scores.map((s) => s.method))).toEqual(new Set(['quintiles']));
  });
  it('puts about a fifth of buyers in each recency score (dates tie within a day)', () => {
    const counts = [1, 2, 3, 4, 5].map((r) => scores.filter((s) => s.r === r).length / scores.length);
    for (const share of counts) expect(share).toBeGreaterThan(0.12);
    for (const share of counts) expect(share).toBeLessThan(0.28);
  });
  it('ranks spend monotonically: a higher M never has a lower spend floor', () => {
    const spendOf = new Map(buyers.map((b) => [b.contactId, b.spend]));
    const floors = [1, 2, 3, 4, 5].map((m) => Math.min(...scores.filter((s) => s.m === m).map((s) => spendOf.get(s.contactId) ?? 0)));
    expect([...floors].sort((a, b) => a - b)).toEqual(floors);
  });
});

describe('scoring one buyer between full runs', () => {
  const end = Date.UTC(1998, 5, 30);
  const buyers = cdnowBuyers(end);
  const basis = rfmBasis(buyers, end);

  it('gives each buyer the score of the full run when nothing changed', () => {
    const full = scoreRfm(buyers, end);
    expect(buyers.flatMap((b) => scoreBuyer(b, basis, end) ?? [])).toEqual(full);
  });
  it('scores a buyer who orders the next day with the stored cuts: most recent fifth, one more order', () => {
    const b = buyers.find((x) => x.orders === 1 && end - x.lastOrderAt > 300 * DAY)!;
    const before = scoreBuyer(b, basis, end)!;
    const after = scoreBuyer({ ...b, lastOrderAt: end + DAY, orders: 2, spend: b.spend + 20 }, basis, end + DAY)!;
    expect(before.r).toBe(1);
    expect(after).toMatchObject({ r: 5, method: 'quintiles' });
    expect(after.f).toBeGreaterThanOrEqual(before.f);
  });
});
