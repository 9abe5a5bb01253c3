import { db, type Db } from '../db/client';
import { countOrder, rebuildCounts } from '../db/queries/rec-counts';
import { rebuildTopLists, storesDueForRebuild } from '../db/queries/rec-lists';
import type { ScheduledJob } from '../scheduled';

const DAY = 86_400_000;
/** Co-purchases count over the trailing year; bestsellers over the trailing 30 days. */
export const PAIR_WINDOW_DAYS = 365;
export const BESTSELLER_DAYS = 30;
/** Stores rebuilt per cron tick (every 15 minutes): a tick stays short however many stores there are. */
const STORES_PER_TICK = 20;

/** An order was stored (new, paid, refunded, cancelled or deleted): its co-purchases follow. */
export async function refreshOrderRecommendations(d: Db, storeId: string, orderId: number, now: number): Promise<boolean> {
  return countOrder(d, storeId, orderId, { now, windowDays: PAIR_WINDOW_DAYS });
}

/** Everything again from the store's orders: orders that left a window drop out here. */
export async function rebuildRecommendations(d: Db, storeId: string, now: number): Promise<void> {
  await rebuildCounts(d, storeId, { now, windowDays: PAIR_WINDOW_DAYS });
  await rebuildTopLists(d, storeId, now, BESTSELLER_DAYS);
}

/** Nightly: each store with orders is rebuilt about a day after its previous rebuild. */
export async function rebuildDueStores(env: Env, now: number): Promise<string[]> {
  const d = db(env.DB);
  const due = await storesDueForRebuild(d, now - DAY, STORES_PER_TICK);
  for (const storeId of due) await rebuildRecommendations(d, storeId, now);
  return due;
}

export const recommendationsJob: ScheduledJob = { name: 'recommendations:rebuild', run: async (env, now) => void (await rebuildDueStores(env, now)) };
