import { db } from '../../db/client';
import { findGuardrailSettings } from '../../db/queries/guardrail-settings';
import { findHibernation, hibernationStats, listStoreIds, markHibernation, wakeContact } from '../../db/queries/hibernation';
import { lastActivityAt } from '../../db/queries/send-history';
import type { ScheduledJob } from '../../scheduled';
import { skip, type Blocked, type Guard } from './types';

const DAY_MS = 86_400_000;

/**
 * A contact with no open, click, visit or order for `hibernationDays` gets no promotional sends.
 * Judged from live activity at send time, so any new activity wakes them at once; the mark the
 * scheduled job left for the dashboard count is cleared on the way.
 */
export async function checkHibernation(g: Guard): Promise<Blocked | null> {
  const { d, store, contact, now } = g.ctx;
  // The contact's creation time is on the loaded row already; the mark is read with the activity, in one round trip.
  const [lastSeen, mark] = await Promise.all([lastActivityAt(d, store.id, contact.id), findHibernation(d, store.id, contact.id)]);
  const last = lastSeen ?? contact.createdAt ?? now;
  if (last < now - g.settings.hibernationDays * DAY_MS) return skip('hibernated');
  if (mark?.hibernatedAt != null) await wakeContact(d, store.id, contact.id);
  return null;
}

/** The cron ticks every 15 minutes; a whole-store scan once a day is enough for a count. */
const RUN_EVERY_MS = DAY_MS - 60 * 60_000;

/** Marks (and unmarks) hibernated contacts of every store, each with its own setting, about daily. */
export async function markHibernatedContacts(env: Env, now: number): Promise<void> {
  const d = db(env.DB);
  for (const storeId of await listStoreIds(d)) {
    const { lastCheckedAt } = await hibernationStats(d, storeId);
    if (lastCheckedAt !== null && now - lastCheckedAt < RUN_EVERY_MS && now >= lastCheckedAt) continue;
    const { hibernationDays } = await findGuardrailSettings(d, storeId);
    await markHibernation(d, storeId, now - hibernationDays * DAY_MS, now);
  }
}

export const hibernationJob: ScheduledJob = { name: 'hibernation', run: markHibernatedContacts };
