import { db } from '../../db/client';
import { expireConfirmations, findPrivacySettings } from '../../db/queries/preferences';
import { listStoreIds, purgeBehaviouralEvents } from '../../db/queries/privacy';
import type { ScheduledJob } from '../../scheduled';

/** Calendar months, so "13 months" means the same day 13 months ago, whatever the month lengths. */
export function monthsBefore(now: number, months: number): number {
  const at = new Date(now);
  at.setUTCMonth(at.getUTCMonth() - months);
  return at.getTime();
}

const PURGE_BATCH = 5_000;
/** Bounds one tick's work; a backlog (first run on an old store) drains over the next ticks. */
const PURGE_ROUNDS = 20;

/** Double opt-in requests nobody confirmed in time are marked expired: their link stops working. */
export const confirmationExpiryJob: ScheduledJob = {
  name: 'consent-confirmation-expiry',
  run: async (env, now) => {
    const d = db(env.DB);
    for (const storeId of await listStoreIds(d)) await expireConfirmations(d, storeId, now);
  },
};

/** Storefront behaviour (page views, carts, identifies) older than the store's retention is deleted. */
export const eventRetentionJob: ScheduledJob = {
  name: 'event-retention',
  run: async (env, now) => {
    const d = db(env.DB);
    for (const storeId of await listStoreIds(d)) {
      const before = monthsBefore(now, (await findPrivacySettings(d, storeId)).eventRetentionMonths);
      for (let round = 0; round < PURGE_ROUNDS; round++) {
        if ((await purgeBehaviouralEvents(d, storeId, before, PURGE_BATCH)) < PURGE_BATCH) break;
      }
    }
  },
};
