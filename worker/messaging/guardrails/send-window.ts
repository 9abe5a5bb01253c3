import { smsWindowOf } from '../../db/queries/guardrail-settings';
import { learnedSendHour } from '../../predictions/send-time';
import { contactEngagementTimes, engagementTimes } from '../../db/queries/send-history';
import { findStorePredictions, type StorePredictions } from '../../db/queries/predictions';
import { sharedRead } from '../../contacts/executors/types';
import { smsDeferredUntil } from '../../journeys/time';
import { localParts, zonedToUtc } from '../../lib/time';
import { defer, type Blocked, type Guard } from './types';

export type WakingHours = { wakeHour: number; sleepHour: number };

/** The instant the contact's clock shows `hour`:00 on the local day `dayOffset` days from `now`. */
export function localHourOn(now: number, timeZone: string, dayOffset: number, hour: number): number {
  const p = localParts(now, timeZone);
  const day = new Date(Date.UTC(p.year, p.month - 1, p.day + dayOffset));
  return zonedToUtc(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), hour, 0, timeZone);
}

/** `now` inside waking hours, otherwise the next local wake-up time. */
export function nextWakingTime(now: number, timeZone: string, w: WakingHours): number {
  const { hour } = localParts(now, timeZone);
  if (hour >= w.wakeHour && hour < w.sleepHour) return now;
  return localHourOn(now, timeZone, hour < w.wakeHour ? 0 : 1, w.wakeHour);
}

/**
 * The local hour at which the contact opens and clicks most (ties: the earliest), once there are
 * at least `minimum` opens/clicks; null before that or when the best hour is outside waking hours.
 */
export function bestHour(times: number[], timeZone: string, minimum: number, w: WakingHours): number | null {
  if (times.length < minimum) return null;
  const counts = new Array<number>(24).fill(0);
  for (const t of times) counts[localParts(t, timeZone).hour]! += 1;
  let best = 0;
  for (let h = 1; h < 24; h++) if (counts[h]! > counts[best]!) best = h;
  return best >= w.wakeHour && best < w.sleepHour ? best : null;
}

/** `now` during the best hour, otherwise the next time it starts (within a day). */
export function nextBestTime(now: number, timeZone: string, hour: number): number {
  const local = localParts(now, timeZone).hour;
  if (local === hour) return now;
  return localHourOn(now, timeZone, local < hour ? 0 : 1, hour);
}

/** When the channel next allows a send: the store's SMS window for SMS, waking hours for email. */
function channelOpensAt(g: Guard, waking: WakingHours): number {
  const { now } = g.ctx;
  if (g.req.channel === 'sms') return smsDeferredUntil(now, g.timeZone, smsWindowOf(g.settings)) ?? now;
  return nextWakingTime(now, g.timeZone, waking);
}

/**
 * Promotional emails land in the contact's waking hours and, with enough history, at their best
 * hour; SMS always respect the store's SMS window (a reminder by text at night is never
 * acceptable), transactional ones included. A send already moved once for its best hour is not
 * moved again if the best hour shifted since.
 */
export async function checkSendWindow(g: Guard, previousReason: string | null): Promise<Blocked | null> {
  const { now } = g.ctx;
  const waking = { wakeHour: g.settings.wakeHour, sleepHour: g.settings.sleepHour };
  if (g.req.transactional && g.req.channel === 'email') return null;
  const opens = channelOpensAt(g, waking);
  if (opens > now) return defer(opens, 'quiet_hours');
  if (g.req.transactional || !g.settings.sendTimeOptimization || previousReason === 'send_time') return null;
  const { times, learned } = await engagementOf(g);
  // Once the nightly run has learnt the store's hours, every contact gets a smoothed hour (the store's, with no history).
  const hour = learned?.sendHours
    ? learnedSendHour(times, (t) => localParts(t, g.timeZone).hour, learned.sendHours, waking)
    : bestHour(times, g.timeZone, g.settings.sendTimeMinEngagements, waking);
  if (hour === null) return null;
  const best = nextBestTime(now, g.timeZone, hour);
  return best > now ? defer(best, 'send_time') : null;
}

/** Alone, the contact's opens and clicks with the store's learnt hours in one round trip; in a batch, the hours once. */
async function engagementOf(g: Guard): Promise<{ times: number[]; learned: StorePredictions | undefined }> {
  const { d, store, contact } = g.ctx;
  if (!g.ctx.shared) return engagementTimes(d, store.id, contact.id);
  const [times, learned] = await Promise.all([
    contactEngagementTimes(d, store.id, contact.id),
    sharedRead(g.ctx, `learned-hours:${store.id}`, () => findStorePredictions(d, store.id)),
  ]);
  return { times, learned };
}
