import { describe, expect, it } from 'vitest';
import { addOutcome, DAY_MS, DEFAULT_THRESHOLDS, emptyCounts, judge, ratesOf, slowStartCap } from './rates';
import { classify, classifyBounce, dedupeKey, PostmarkEvent } from './postmark-events';
import delivery from '../../../shared/fixtures/postmark/delivery.json';
import subscriptionChange from '../../../shared/fixtures/postmark/subscription-change.json';

function stream(sent: number, outcomes: Partial<Record<'delivery' | 'open' | 'click' | 'hard_bounce' | 'complaint' | 'unsubscribe', number>>) {
  let counts = emptyCounts(sent);
  for (const [kind, n] of Object.entries(outcomes)) counts = addOutcome(counts, kind as 'open', n);
  return ratesOf('broadcast', counts);
}

describe('rates', () => {
  it('divides every outcome by the messages sent on the stream', () => {
    const s = stream(1000, { delivery: 950, open: 400, click: 50, hard_bounce: 30, complaint: 1, unsubscribe: 6 });
    expect(s.rates).toEqual({ delivery: 0.95, open: 0.4, click: 0.05, hardBounce: 0.03, complaint: 0.001, unsubscribe: 0.006 });
  });

  it('has no rate when nothing was sent, rather than 0 or infinity', () => {
    expect(stream(0, { complaint: 2 }).rates.complaint).toBeNull();
    expect(judge([stream(0, { complaint: 2 })], DEFAULT_THRESHOLDS).level).toBe('ok');
  });

  it('ignores kinds that are not rates', () => {
    expect(addOutcome(emptyCounts(5), 'soft_bounce', 3)).toEqual(emptyCounts(5));
  });
});

describe('judge', () => {
  it('warns at the warning level and pauses at the pause level', () => {
    expect(judge([stream(10_000, { complaint: 3 })], DEFAULT_THRESHOLDS).level).toBe('ok');
    expect(judge([stream(10_000, { complaint: 4 })], DEFAULT_THRESHOLDS).level).toBe('warn');
    const paused = judge([stream(10_000, { complaint: 10 })], DEFAULT_THRESHOLDS);
    expect(paused.level).toBe('pause');
    expect(paused.breaches).toEqual([{ stream: 'broadcast', rate: 'complaint', value: 0.001, threshold: 0.001, level: 'pause', sent: 10_000 }]);
    expect(judge([stream(1000, { hard_bounce: 20 })], DEFAULT_THRESHOLDS).level).toBe('warn');
    expect(judge([stream(1000, { hard_bounce: 50 })], DEFAULT_THRESHOLDS).level).toBe('pause');
    expect(judge([stream(1000, { unsubscribe: 5 })], DEFAULT_THRESHOLDS).level).toBe('warn');
    expect(judge([stream(1000, { unsubscribe: 10 })], DEFAULT_THRESHOLDS).level).toBe('pause');
  });

  it('never pauses below the minimum volume: one complaint in three sends only warns', () => {
    const verdict = judge([stream(3, { complaint: 1 })], DEFAULT_THRESHOLDS);
    expect(verdict.level).toBe('warn');
    expect(verdict.breaches[0]).toMatchObject({ rate: 'complaint', level: 'warn', threshold: DEFAULT_THRESHOLDS.complaintWarn });
    expect(judge([stream(DEFAULT_THRESHOLDS.minVolume, { complaint: 1 })], DEFAULT_THRESHOLDS).level).toBe('pause');
  });
});

describe('slow start', () => {
  it('doubles the daily cap every day from the resumption', () => {
    const at = Date.UTC(2026, 10, 1, 9);
    expect(slowStartCap(100, at, at)).toEqual({ day: 0, cap: 100, dayStart: at });
    expect(slowStartCap(100, at, at + DAY_MS - 1).cap).toBe(100);
    expect(slowStartCap(100, at, at + DAY_MS)).toEqual({ day: 1, cap: 200, dayStart: at + DAY_MS });
    expect(slowStartCap(100, at, at + 3.5 * DAY_MS).cap).toBe(800);
  });
});

describe('Postmark classification', () => {
  it('tells hard from soft bounces, complaints and ignored types', () => {
    expect(classifyBounce('HardBounce', true)).toBe('hard_bounce');
    expect(classifyBounce('BadEmailAddress', false)).toBe('hard_bounce');
    expect(classifyBounce('DMARCPolicy', true)).toBe('hard_bounce');
    expect(classifyBounce('SoftBounce', false)).toBe('soft_bounce');
    expect(classifyBounce('Transient', false)).toBe('soft_bounce');
    expect(classifyBounce('AutoResponder', false)).toBe('ignored');
    expect(classifyBounce('SpamComplaint', true)).toBe('complaint');
  });

  it('counts only a recipient’s own unsubscribe as one', () => {
    const own = PostmarkEvent.parse(subscriptionChange);
    expect(classify(own)).toBe('unsubscribe');
    expect(classify(PostmarkEvent.parse({ ...subscriptionChange, SuppressionReason: 'HardBounce' }))).toBe('suppression');
    expect(classify(PostmarkEvent.parse({ ...subscriptionChange, Origin: 'Admin' }))).toBe('suppression');
    expect(classify(PostmarkEvent.parse({ ...subscriptionChange, SuppressSending: false, SuppressionReason: null }))).toBe('reactivation');
  });

  it('dedupes by trace id, else by the fields the README names', () => {
    const event = PostmarkEvent.parse(delivery);
    expect(dedupeKey(event, 'abc')).toBe('trace:abc');
    expect(dedupeKey(event, undefined)).toBe(`delivery:${delivery.MessageID}:${delivery.Recipient}:${delivery.DeliveredAt}`);
    const change = PostmarkEvent.parse(subscriptionChange);
    expect(dedupeKey(change, undefined)).toBe(`subscription:jane.doe@example.com:broadcast:${subscriptionChange.ChangedAt}:true`);
  });
});
