import { describe, expect, it } from 'vitest';
import { applyLeadEvent, DEFAULT_LEAD_SCORE, emptyLeadScore, leadScoreAt } from './lead-score';

const DAY = 86_400_000;
const t0 = Date.UTC(2026, 10, 2); // cap periods are fixed 7-day windows from the epoch

describe('lead score decay', () => {
  it('halves every half-life', () => {
    const s = applyLeadEvent(emptyLeadScore(t0), 'order_placed', t0);
    expect(leadScoreAt(s, t0)).toBe(20);
    expect(leadScoreAt(s, t0 + 30 * DAY)).toBeCloseTo(10, 10);
    expect(leadScoreAt(s, t0 + 60 * DAY)).toBeCloseTo(5, 10);
  });
  it('decays what was there before adding new points, in O(1) state', () => {
    let s = applyLeadEvent(emptyLeadScore(t0), 'order_placed', t0);
    s = applyLeadEvent(s, 'add_to_cart', t0 + 30 * DAY);
    expect(s.score).toBeCloseTo(10 + 5, 10);
    expect(s.updatedAt).toBe(t0 + 30 * DAY);
    expect(Object.keys(s)).toEqual(['score', 'updatedAt', 'used']);
  });
  it('caps a group per period and lets it earn again in the next period', () => {
    let s = emptyLeadScore(t0);
    for (let i = 0; i < 20; i++) s = applyLeadEvent(s, 'page_view', t0 + i * 1000);
    expect(s.score).toBeCloseTo(15, 3); // capped at 15 for browsing; 19 s of decay is below 1e-4
    const nextPeriod = (Math.floor(t0 / (7 * DAY)) + 1) * 7 * DAY;
    const next = applyLeadEvent(s, 'product_view', nextPeriod);
    expect(next.score).toBeCloseTo(leadScoreAt(s, nextPeriod) + 2, 10);
  });
  it('subtracts for unsubscribes, bounces and complaints, uncapped', () => {
    let s = applyLeadEvent(emptyLeadScore(t0), 'order_placed', t0);
    s = applyLeadEvent(s, 'complained', t0);
    s = applyLeadEvent(s, 'unsubscribed', t0);
    expect(s.score).toBe(20 - 50 - 30);
  });
  it('ignores unknown events except for decay, and a late event never moves time backwards', () => {
    const s = applyLeadEvent(emptyLeadScore(t0), 'order_placed', t0 + DAY);
    const late = applyLeadEvent(s, 'add_to_cart', t0);
    expect(late.updatedAt).toBe(t0 + DAY);
    expect(late.score).toBe(25);
    expect(applyLeadEvent(s, 'mystery', t0 + 31 * DAY).score).toBeCloseTo(10, 10);
    expect(DEFAULT_LEAD_SCORE.halfLifeDays).toBe(30);
  });
});
