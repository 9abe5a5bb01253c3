import { localParts, nextLocalTime } from '../lib/time';

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

/** Marketing SMS go out only between 08:00 and 21:00 on the contact's clock. */
export const SMS_WINDOW = { opens: '08:00', closes: '21:00' } as const;

/** null when an SMS may go now, else when the window next opens. */
export function smsDeferredUntil(now: number, timeZone: string): number | null {
  const p = localParts(now, timeZone);
  const minutes = p.hour * 60 + p.minute;
  const [openH = 8, openM = 0] = SMS_WINDOW.opens.split(':').map(Number);
  const [closeH = 21, closeM = 0] = SMS_WINDOW.closes.split(':').map(Number);
  if (minutes >= openH * 60 + openM && minutes < closeH * 60 + closeM) return null;
  return nextLocalTime(now, SMS_WINDOW.opens, timeZone);
}
