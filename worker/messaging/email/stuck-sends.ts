import { db } from '../../db/client';
import { listStoreIds } from '../../db/queries/hibernation';
import { markStuckSending } from '../../db/queries/messages';
import type { ScheduledJob } from '../../scheduled';

/** Longer than any retry schedule of the send queue (8 retries, at most 10 minutes apart). */
export const STUCK_AFTER_MS = 6 * 3_600_000;

export async function sweepStuckSends(env: Env, now: number): Promise<void> {
  const d = db(env.DB);
  for (const storeId of await listStoreIds(d)) await markStuckSending(d, storeId, now - STUCK_AFTER_MS);
}

export const stuckSendsJob: ScheduledJob = { name: 'stuck-sends', run: sweepStuckSends };
