import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { findSegmentRun } from '../../db/queries/contact-scores';
import { allMembers } from '../../db/queries/segment-members';
import { JOBS } from '../../jobs';
import { runScheduledJobs } from '../../scheduled';
import { rfmSegmentId } from './built-in';
import { fullRunDue, NIGHTLY } from './runs';
import { DAY, segmentWorld } from './test/world';

const HOUR = 3_600_000;

describe('the nightly full run', () => {
  it('is due for a store never scored, then once a night from 02:00 UTC', () => {
    const last = Date.UTC(2026, 10, 10, 2, 15);
    expect(fullRunDue(undefined, last)).toBe(true);
    expect(fullRunDue(last, last + 12 * HOUR)).toBe(false);
    expect(fullRunDue(last, Date.UTC(2026, 10, 11, 1, 45))).toBe(false);
    expect(fullRunDue(last, Date.UTC(2026, 10, 11, 2, 0))).toBe(true);
    expect(NIGHTLY.minGap).toBe(20 * HOUR);
  });

  it('runs from the cron jobs: scores every buyer and fills the segments, and skips the store until the next night', async () => {
    const w = await segmentWorld('seg-cron');
    const now = Date.UTC(2026, 10, 12, 3, 0);
    const buyer = await w.contact('buyer');
    await w.order(buyer, now - 400 * DAY, 30);
    await w.order(buyer, now - 3 * DAY, 30);
    await runScheduledJobs(JOBS.filter((j) => j.name === 'segments:nightly'), env, now);
    expect((await findSegmentRun(w.d, w.storeId))?.fullAt).toBe(now);
    expect(await allMembers(w.d, w.storeId, rfmSegmentId('potential_loyalist'))).toEqual([buyer]);

    await w.order(buyer, now - 2 * DAY, 500);
    await runScheduledJobs(JOBS.filter((j) => j.name === 'segments:nightly'), env, now + HOUR);
    expect((await findSegmentRun(w.d, w.storeId))?.fullAt).toBe(now);
  });
});
