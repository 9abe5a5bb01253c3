import type { Db } from '../db/client';
import {
  buyerOrders,
  engagementSince,
  findStorePredictions,
  productPurchases,
  saveStorePredictions,
  writeBestHours,
  writePredictions,
  writeProductIntervals,
} from '../db/queries/predictions';
import { findStore } from '../db/queries/stores';
import { localParts, safeZone } from '../lib/time';
import { predictBuyer, productIntervals, storeBasis, type Buyer } from './next-order';
import { bestSendHour, emptyHistogram, storeDistribution, argmaxHour, type Histogram } from './send-time';

const DAY = 86_400_000;
/** Opens and clicks older than a year say little about today's habits. */
const SEND_TIME_WINDOW_DAYS = 365;

const parseIds = (json: string | null): number[] => (json ? (JSON.parse(json) as (number | null)[]).filter((v): v is number => typeof v === 'number') : []);

/**
 * The nightly predictions of one store: product re-buy intervals, every buyer's next order (and, with enough repeat
 * buyers, BG/NBD alive probability and 90-day orders), the send-time histograms. Returns the number of buyers.
 */
export async function predictStore(d: Db, storeId: string, now: number): Promise<number> {
  const [rows, purchases, previous] = await Promise.all([buyerOrders(d, storeId, now), productPurchases(d, storeId, now), findStorePredictions(d, storeId)]);
  const intervals = productIntervals(purchases);
  const buyers: Buyer[] = rows.map((r) => ({ contactId: r.contactId, days: (JSON.parse(r.days) as number[]).sort((a, b) => a - b), productIds: parseIds(r.products) }));
  const basis = storeBasis(buyers, new Map([...intervals].map(([p, v]) => [p, v.gap])), now, previous?.bgnbd);
  const predictions = buyers.map((b) => predictBuyer(b, basis, now));
  await writeProductIntervals(d, storeId, [...intervals].map(([productId, v]) => ({ productId, ...v })), now);
  await writePredictions(d, storeId, predictions, now);
  const sendHours = await learnSendHours(d, storeId, now);
  await saveStorePredictions(d, storeId, {
    bgnbd: basis.fit,
    buyers: buyers.length,
    repeatBuyers: basis.repeatBuyers,
    typicalGapDays: basis.typicalGap,
    sendHours,
    bestSendHour: argmaxHour(sendHours),
    computedAt: now,
  });
  return buyers.length;
}

/** Per-contact local-hour histograms of opens and clicks, each contact's smoothed best hour; returns the store's shares. */
async function learnSendHours(d: Db, storeId: string, now: number): Promise<number[]> {
  const storeZone = safeZone((await findStore(d, storeId))?.timezone ?? 'UTC');
  const rows = await engagementSince(d, storeId, now - SEND_TIME_WINDOW_DAYS * DAY);
  const histograms = new Map<string, Histogram>();
  for (const r of rows) {
    const h = histograms.get(r.contactId) ?? emptyHistogram();
    h[localParts(r.at, safeZone(r.zone ?? storeZone)).hour]! += 1;
    histograms.set(r.contactId, h);
  }
  const store = storeDistribution(histograms.values());
  await writeBestHours(d, storeId, [...histograms].map(([id, h]) => [id, bestSendHour(h, store)]), now);
  return store;
}
