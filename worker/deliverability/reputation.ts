import type { Db } from '../db/client';
import { countOutcomesByStream, countOwnUnsubscribes, countSendsByStream, type Window } from '../db/queries/provider-events';
import { findReputationSettings, thresholdsOf, type ReputationThresholds } from '../db/queries/reputation';
import { findStoreSettings } from '../db/queries/store-settings';
import { addOutcome, DEFAULT_THRESHOLDS, emptyCounts, ratesOf, WINDOWS, type Counts, type StreamRates, type WindowName } from './rates';

export async function thresholdsFor(d: Db, storeId: string): Promise<ReputationThresholds> {
  const row = await findReputationSettings(d, storeId);
  return row ? thresholdsOf(row) : DEFAULT_THRESHOLDS;
}

/** The stream the store's flows send on (every marketing email we send goes there). */
export async function marketingStream(d: Db, storeId: string): Promise<string> {
  return (await findStoreSettings(d, storeId))?.postmarkMessageStream ?? 'broadcast';
}

/**
 * Rates per stream over one window. Numerators are distinct messages with that outcome (provider
 * events by occurrence time); the denominator is email messages sent on the stream in the window.
 * Unsubscribes made through our own link count on the marketing stream, the only one carrying it.
 */
export async function streamRates(d: Db, storeId: string, w: Window): Promise<StreamRates[]> {
  const defaultStream = await marketingStream(d, storeId);
  const [sends, outcomes, own] = await Promise.all([
    countSendsByStream(d, storeId, w, defaultStream),
    countOutcomesByStream(d, storeId, w),
    countOwnUnsubscribes(d, storeId, w),
  ]);
  const byStream = new Map<string, Counts>([[defaultStream, emptyCounts()]]);
  for (const s of sends) byStream.set(s.stream, emptyCounts(s.count));
  for (const o of outcomes) byStream.set(o.stream, addOutcome(byStream.get(o.stream) ?? emptyCounts(), o.kind, o.count));
  const marketing = byStream.get(defaultStream) ?? emptyCounts();
  byStream.set(defaultStream, { ...marketing, unsubscribed: marketing.unsubscribed + own });
  return [...byStream].sort(([a], [b]) => a.localeCompare(b)).map(([stream, counts]) => ratesOf(stream, counts));
}

export async function rollingRates(d: Db, storeId: string, now: number): Promise<Record<WindowName, StreamRates[]>> {
  const [week, month] = await Promise.all([
    streamRates(d, storeId, { since: now - WINDOWS['7d'], until: now + 1 }),
    streamRates(d, storeId, { since: now - WINDOWS['30d'], until: now + 1 }),
  ]);
  return { '7d': week, '30d': month };
}
