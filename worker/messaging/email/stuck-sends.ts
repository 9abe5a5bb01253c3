import { db } from '../../db/client';
import { markStuckSending } from '../../db/queries/messages';
import { storesWithStuckSends } from '../../db/queries/unsettled-sends';
import type { ScheduledJob } from '../../scheduled';
import type { SendDeps } from './send-rows';
import { pointAt, settleAfterMs, settleUnknownSends } from './settle-sends';

/** SMS only: longer than any retry schedule of a send (8 retries, at most 10 minutes apart). */
export const STUCK_AFTER_MS = 6 * 3_600_000;

/**
 * Every cron tick: email rows left `sending` with no answer (a timeout, or a process killed during
 * the call) are settled through Postmark's outbound search once they are settleAfterMs old, so a
 * crash delays a message by minutes and never loses or doubles it. The SEND consumer also settles
 * its own unanswered rows through a delayed pointer; this sweep catches rows whose pointer is gone.
 */
export async function sweepStuckSends(env: Env, now: number, deps: SendDeps = {}): Promise<void> {
  const d = db(env.DB);
  const withClock: SendDeps = { ...deps, now: deps.now ?? (() => now) };
  // Email rows are due for a lookup after settleAfterMs, SMS rows only after STUCK_AFTER_MS, which is longer.
  for (const storeId of await storesWithStuckSends(d, now - settleAfterMs(env))) {
    const settled = await settleUnknownSends(env, d, storeId, withClock);
    if (settled.requeued.length) await pointAt(env.SEND, storeId, settled.requeued);
    await markStuckSending(d, storeId, now - STUCK_AFTER_MS);
  }
}

export const stuckSendsJob: ScheduledJob = { name: 'stuck-sends', run: (env, now) => sweepStuckSends(env, now) };
