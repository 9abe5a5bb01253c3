import type { ProviderEventKind } from '../db/schema';
import type { ReputationThresholds } from '../db/queries/reputation';

export const DAY_MS = 24 * 60 * 60 * 1000;
export const WINDOWS = { '7d': 7 * DAY_MS, '30d': 30 * DAY_MS } as const;
export type WindowName = keyof typeof WINDOWS;

/**
 * Defaults (fractions of sends). Below `minVolume` sends in the window a rate may warn but never pause:
 * with 0.1 % as the complaint limit, one complaint means nothing until a few hundred messages went out.
 */
export const DEFAULT_THRESHOLDS: ReputationThresholds = {
  complaintWarn: 0.0004,
  complaintPause: 0.001,
  hardBounceWarn: 0.02,
  hardBouncePause: 0.05,
  unsubscribeWarn: 0.005,
  unsubscribePause: 0.01,
  minVolume: 500,
  slowStartDailyCap: 100,
};

export type Counts = { sent: number; delivered: number; opened: number; clicked: number; hardBounced: number; complained: number; unsubscribed: number };
export const RATE_NAMES = ['delivery', 'open', 'click', 'hardBounce', 'complaint', 'unsubscribe'] as const;
export type RateName = (typeof RATE_NAMES)[number];
/** null when nothing was sent in the window: no rate, rather than a misleading 0 or infinity. */
export type StreamRates = { stream: string; counts: Counts; rates: Record<RateName, number | null> };

const COUNTED: Partial<Record<ProviderEventKind, keyof Counts>> = {
  delivery: 'delivered',
  open: 'opened',
  click: 'clicked',
  hard_bounce: 'hardBounced',
  complaint: 'complained',
  unsubscribe: 'unsubscribed',
};

export function emptyCounts(sent = 0): Counts {
  return { sent, delivered: 0, opened: 0, clicked: 0, hardBounced: 0, complained: 0, unsubscribed: 0 };
}

export function addOutcome(counts: Counts, kind: ProviderEventKind, n: number): Counts {
  const field = COUNTED[kind];
  return field ? { ...counts, [field]: counts[field] + n } : counts;
}

/** Every rate has the same denominator: messages sent on the stream in the window. */
export function ratesOf(stream: string, counts: Counts): StreamRates {
  const over = (n: number) => (counts.sent > 0 ? n / counts.sent : null);
  return {
    stream,
    counts,
    rates: {
      delivery: over(counts.delivered),
      open: over(counts.opened),
      click: over(counts.clicked),
      hardBounce: over(counts.hardBounced),
      complaint: over(counts.complained),
      unsubscribe: over(counts.unsubscribed),
    },
  };
}

export type GuardedRate = 'complaint' | 'hardBounce' | 'unsubscribe';
export type Breach = { stream: string; rate: GuardedRate; value: number; threshold: number; level: 'warn' | 'pause'; sent: number };
export type Verdict = { level: 'ok' | 'warn' | 'pause'; breaches: Breach[] };

const LIMITS: Record<GuardedRate, { warn: keyof ReputationThresholds; pause: keyof ReputationThresholds }> = {
  complaint: { warn: 'complaintWarn', pause: 'complaintPause' },
  hardBounce: { warn: 'hardBounceWarn', pause: 'hardBouncePause' },
  unsubscribe: { warn: 'unsubscribeWarn', pause: 'unsubscribePause' },
};

function breachOf(s: StreamRates, rate: GuardedRate, t: ReputationThresholds): Breach | null {
  const value = s.rates[rate];
  if (value === null || value === 0) return null;
  const pause = t[LIMITS[rate].pause];
  const warn = t[LIMITS[rate].warn];
  const base = { stream: s.stream, rate, value, sent: s.counts.sent };
  if (value >= pause && s.counts.sent >= t.minVolume) return { ...base, threshold: pause, level: 'pause' };
  if (value >= warn) return { ...base, threshold: warn, level: 'warn' };
  return null;
}

/** A rate at or above its limit is a breach; pausing also needs `minVolume` sends on that stream. */
export function judge(streams: StreamRates[], t: ReputationThresholds): Verdict {
  const breaches = streams.flatMap((s) => (Object.keys(LIMITS) as GuardedRate[]).flatMap((r) => breachOf(s, r, t) ?? []));
  const level = breaches.some((b) => b.level === 'pause') ? 'pause' : breaches.length > 0 ? 'warn' : 'ok';
  return { level, breaches };
}

/** Slow start: the first day's cap doubles every day; after this many days sending is fully open. */
export const SLOW_START_DAYS = 7;

export function slowStartCap(firstDayCap: number, resumedAt: number, now: number): { day: number; cap: number; dayStart: number } {
  const day = Math.max(0, Math.floor((now - resumedAt) / DAY_MS));
  return { day, cap: firstDayCap * 2 ** day, dayStart: resumedAt + day * DAY_MS };
}
