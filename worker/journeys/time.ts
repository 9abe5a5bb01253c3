import { localParts, zonedToUtc } from '../lib/time';

export { localParts, nextLocalTime, safeZone, zonedToUtc } from '../lib/time';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `30m` → 1 800 000. The flow schema guarantees the format. */
export function durationMs(duration: string): number {
  const match = /^(\d+)(s|m|h|d)$/.exec(duration);
  if (!match) throw new Error(`Invalid duration ${duration}`);
  const unit = match[2] as keyof typeof UNIT_MS;
  return Number(match[1]) * UNIT_MS[unit];
}

export function unitMs(unit: 'h' | 'd'): number {
  return UNIT_MS[unit];
}

/**
 * When SMS may go out, on the contact's clock: from `opens` to `closes` (`HH:MM`, `closes` may be
 * `24:00`) on the listed ISO weekdays (1 = Monday … 7 = Sunday). Comes from the store's guardrail
 * settings; step() receives it as data in ContactFacts.
 */
export type SmsWindow = { opens: string; closes: string; days: number[] };

/** Every day, 08:00–21:00: what a store gets until its admin narrows it (e.g. 08:00–20:00, Monday–Saturday in France). */
export const DEFAULT_SMS_WINDOW: SmsWindow = { opens: '08:00', closes: '21:00', days: [1, 2, 3, 4, 5, 6, 7] };

function hhmm(value: string): [number, number] {
  const [h = 0, m = 0] = value.split(':').map(Number);
  return [h, m];
}

/** null when an SMS may go now, else the instant the window next opens (within a week). */
export function smsDeferredUntil(now: number, timeZone: string, window: SmsWindow): number | null {
  const today = localParts(now, timeZone);
  const [openH, openM] = hhmm(window.opens);
  const [closeH, closeM] = hhmm(window.closes);
  for (let offset = 0; offset <= 7; offset++) {
    // Date.UTC normalises day overflow, so month and year ends roll over correctly.
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
    const isoWeekday = day.getUTCDay() === 0 ? 7 : day.getUTCDay();
    if (!window.days.includes(isoWeekday)) continue;
    const [y, m, d] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
    const opens = zonedToUtc(y, m, d, openH, openM, timeZone);
    const closes = zonedToUtc(y, m, d, closeH, closeM, timeZone);
    if (now >= closes) continue;
    return now >= opens ? null : opens;
  }
  return null;
}
