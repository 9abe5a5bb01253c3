import { db } from '../../db/client';
import { contactsWithBirthday } from '../../db/queries/birthdays';
import { listStoreIds } from '../../db/queries/hibernation';
import { findStore } from '../../db/queries/stores';
import { localParts } from '../../lib/time';
import type { ScheduledJob } from '../../scheduled';
import type { DateReached } from '../domain-events';
import { publishDomainEvents } from '../publish-events';

/** Contacts woken per store and run; the cron comes back every 15 minutes for the rest of the day. */
const PER_STORE = 1000;
const HOUR = 3_600_000;

const pad = (n: number) => String(n).padStart(2, '0');
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** `MM-DD` of every calendar day that is "today" somewhere on Earth at `now` (UTC−12 … UTC+14). */
export function daysInProgress(now: number): string[] {
  const days = [-12, 0, 14].map((h) => new Date(now + h * HOUR)).map((t) => `${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`);
  return [...new Set(days)];
}

/** The birthday is today for the contact: 29 February is kept on the 28th in other years. */
export function isBirthdayToday(birthday: string, now: number, timeZone: string): { year: number } | null {
  const local = localParts(now, timeZone);
  const [, mm, dd] = birthday.split('-').map(Number);
  const feb29 = mm === 2 && dd === 29 && !isLeap(local.year);
  const match = feb29 ? local.month === 2 && local.day === 28 : local.month === mm && local.day === dd;
  return match ? { year: local.year } : null;
}

/**
 * Sends `date.reached` (field birthday) to every contact whose birthday has begun in their own
 * time zone. Ids name the contact and the year, so the many ticks of the day record it once.
 */
export async function publishBirthdays(env: Env, now: number): Promise<void> {
  const d = db(env.DB);
  const days = daysInProgress(now);
  for (const storeId of await listStoreIds(d)) {
    const store = await findStore(d, storeId);
    if (!store) continue;
    const events = (await contactsWithBirthday(d, storeId, [...days, ...(days.includes('02-28') ? ['02-29'] : [])], PER_STORE)).flatMap((c): DateReached[] => {
      const today = isBirthdayToday(c.birthday, now, c.timezone ?? store.timezone);
      if (!today) return [];
      return [{ id: `date:birthday:${c.id}:${today.year}`, storeId, contactId: c.id, occurredAt: now, type: 'date.reached', field: 'birthday', value: c.birthday }];
    });
    await publishDomainEvents(env, d, events, 'server', now);
  }
}

export const birthdayJob: ScheduledJob = { name: 'birthdays', run: publishBirthdays };
