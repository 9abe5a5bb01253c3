import { db } from '../db/client';
import { listStoresToJudge } from '../db/queries/reputation';
import type { ScheduledJob } from '../scheduled';
import { evaluateReputation } from './breaker';
import { WINDOWS } from './rates';

/**
 * Every tick: pauses stores whose rates crossed a limit without a provider event to trigger it (our own
 * unsubscribes, aging sends), lifts pauses whose rates recovered, and moves slow starts along. One store
 * failing does not stop the others.
 */
export const reputationJob: ScheduledJob = {
  name: 'reputation',
  run: async (env, now) => {
    const d = db(env.DB);
    const storeIds = await listStoresToJudge(d, now - WINDOWS['7d']);
    const results = await Promise.allSettled(storeIds.map((id) => evaluateReputation(env, d, id, now)));
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`${storeIds[i]}: ${String(r.reason)}`] : []));
    if (failed.length > 0) throw new Error(`reputation: ${failed.join('; ')}`);
  },
};
