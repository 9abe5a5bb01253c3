import type { SegmentChanged } from '../../contacts/domain-events';
import type { ExecutorContext } from '../../contacts/executors/types';
import { publishDomainEvents, recordDomainEvents } from '../../contacts/publish-events';
import { db, type Db } from '../../db/client';
import { findSegmentRun, saveSegmentRun } from '../../db/queries/contact-scores';
import { recordSegmentCounts } from '../../db/queries/segment-dashboard';
import { listStoreIds } from '../../db/queries/hibernation';
import type { ScheduledJob } from '../../scheduled';
import { applyLeadSignals } from '../scores/lead-scoring';
import { scoreStoreRfm } from '../scores/rfm-scoring';
import { predictStore } from '../../predictions/run';
import { ensureBuiltIns, recomputeStoreSegments, refreshContactSegments } from './membership';

const HOUR = 3_600_000;
/** The full run happens once a night: on the first tick from 02:00 UTC, at least 20 hours after the previous one. */
export const NIGHTLY = { fromHourUtc: 2, minGap: 20 * HOUR } as const;
/** Agents are called this many at a time, so a store-wide change does not open thousands of calls at once. */
const PUBLISH_CHUNK = 100;

export function fullRunDue(lastFullAt: number | null | undefined, now: number): boolean {
  if (lastFullAt == null) return true;
  return now - lastFullAt >= NIGHTLY.minGap && new Date(now).getUTCHours() >= NIGHTLY.fromHourUtc;
}

/**
 * RFM for every buyer, then every segment recomputed and diffed. The store's first run sets the baseline without
 * events: installing Nightshift must not start a win-back for every customer already at risk.
 */
export async function fullSegmentRun(d: Db, storeId: string, now: number): Promise<SegmentChanged[]> {
  const first = (await findSegmentRun(d, storeId))?.fullAt == null;
  await ensureBuiltIns(d, storeId, now);
  await scoreStoreRfm(d, storeId, now);
  await predictStore(d, storeId, now);
  const changes = await recomputeStoreSegments(d, storeId, now);
  // The day's counts, for the dashboard's 30-day trend.
  await recordSegmentCounts(d, storeId, now);
  await saveSegmentRun(d, storeId, { fullAt: now });
  return first ? [] : changes;
}

export async function publishSegmentChanges(env: Env, d: Db, changes: SegmentChanged[], now: number): Promise<void> {
  for (let i = 0; i < changes.length; i += PUBLISH_CHUNK) {
    await publishDomainEvents(env, d, changes.slice(i, i + PUBLISH_CHUNK), 'server', now);
  }
}

/**
 * For changes that reach D1 without a domain event (an admin records a consent): the contact's memberships are
 * re-evaluated at once and the entries and exits published.
 */
export async function refreshAfterChange(env: Env, d: Db, storeId: string, contactId: string, now: number): Promise<void> {
  await publishSegmentChanges(env, d, await refreshContactSegments(d, storeId, contactId, now), now);
}

/**
 * A flow step changed the contact's tags or properties: their memberships are re-evaluated at once (not at the
 * nightly run), and the entries and exits reach D1 and the contact's journeys (through `follow` when the contact's
 * own agent runs the step). A failure is logged, not thrown: the step is done, and the nightly recompute repairs it.
 */
export async function refreshAfterAction(ctx: ExecutorContext): Promise<void> {
  const { d, store, contact, now } = ctx;
  try {
    const changes = await refreshContactSegments(d, store.id, contact.id, now);
    if (!ctx.follow) return await publishSegmentChanges(ctx.env, d, changes, now);
    await recordDomainEvents(d, changes, 'server', now);
    if (changes.length > 0) ctx.follow(changes);
  } catch (err) {
    console.error('segment update after a flow step failed; the nightly recompute will repair it', err);
  }
}

/** An unsubscribe from one of our links: the lead score loses its points, and memberships follow the withdrawn consent. */
export async function afterUnsubscribe(env: Env, d: Db, storeId: string, contactId: string, now: number): Promise<void> {
  await applyLeadSignals(d, storeId, contactId, [{ kind: 'unsubscribed', at: now }]);
  await refreshAfterChange(env, d, storeId, contactId, now);
}

export async function runNightlySegments(env: Env, now: number): Promise<void> {
  const d = db(env.DB);
  for (const storeId of await listStoreIds(d)) {
    if (!fullRunDue((await findSegmentRun(d, storeId))?.fullAt, now)) continue;
    await publishSegmentChanges(env, d, await fullSegmentRun(d, storeId, now), now);
  }
}

export const segmentsNightlyJob: ScheduledJob = { name: 'segments:nightly', run: runNightlySegments };
