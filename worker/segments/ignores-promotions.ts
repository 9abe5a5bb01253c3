import { db } from '../db/client';
import { listStoreIds } from '../db/queries/hibernation';
import { promotionRecipients } from '../db/queries/segments';
import { lastActivityAt } from '../db/queries/send-history';
import type { SegmentChanged } from '../contacts/domain-events';
import { publishDomainEvents } from '../contacts/publish-events';
import type { ScheduledJob } from '../scheduled';

/** The segment the win-back preset listens to (its `disengagedSegment` setting). */
export const IGNORES_PROMOTIONS = 'ignores-promotions';

const DAY = 86_400_000;
/** At least this many promotions in the window, none of them opened or clicked, no visit, no order. */
export const IGNORED_PROMOTIONS = { window: 30 * DAY, minimum: 3, perStore: 500 } as const;

/**
 * Contacts who keep receiving promotions and show no sign of life since the first of them enter
 * `ignores-promotions`. The event id names the contact and the 30-day window, so the cron's many
 * runs record it once per window, and the flow's own re-entry cooldown decides what happens next.
 */
export async function findPromotionIgnorers(d: ReturnType<typeof db>, storeId: string, now: number): Promise<string[]> {
  const recipients = await promotionRecipients(d, storeId, now - IGNORED_PROMOTIONS.window, IGNORED_PROMOTIONS.minimum, 'win-back', IGNORED_PROMOTIONS.perStore);
  const ignorers: string[] = [];
  for (const r of recipients) {
    const last = await lastActivityAt(d, storeId, r.contactId);
    if (last === null || last < r.firstAt) ignorers.push(r.contactId);
  }
  return ignorers;
}

export async function publishPromotionIgnorers(env: Env, now: number): Promise<void> {
  const d = db(env.DB);
  const bucket = Math.floor(now / IGNORED_PROMOTIONS.window);
  for (const storeId of await listStoreIds(d)) {
    const events = (await findPromotionIgnorers(d, storeId, now)).map(
      (contactId): SegmentChanged => ({
        id: `segment:${IGNORES_PROMOTIONS}:entered:${contactId}:${bucket}`,
        storeId,
        contactId,
        occurredAt: now,
        type: 'segment.entered',
        segment: IGNORES_PROMOTIONS,
      }),
    );
    await publishDomainEvents(env, d, events, 'server', now);
  }
}

export const ignoresPromotionsJob: ScheduledJob = { name: 'segment:ignores-promotions', run: publishPromotionIgnorers };
