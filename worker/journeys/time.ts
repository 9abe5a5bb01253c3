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

type LocalParts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** A bad zone in contact data must not stop a journey: fall back to UTC. */
export function safeZone(timeZone: string): string {
  try {
    formatter(timeZone);
    return timeZone;
  } catch {
    return 'UTC';
  }
}

export function localParts(ms: number, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatter(safeZone(timeZone)).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

function offsetMs(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant a local wall-clock time happens; in a DST gap it lands just after the gap. */
export function zonedToUtc(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const first = wall - offsetMs(wall, timeZone);
  const second = wall - offsetMs(first, timeZone);
  return Math.max(first, second);
}

/** The first instant after `now` when the contact's clock shows `hhmm`. */
export function nextLocalTime(now: number, hhmm: string, timeZone: string): number {
  const [hour = 0, minute = 0] = hhmm.split(':').map(Number);
  const today = localParts(now, timeZone);
  for (let offset = 0; offset < 3; offset++) {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
    const at = zonedToUtc(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), hour, minute, timeZone);
    if (at > now) return at;
  }
  throw new Error(`No future ${hhmm} in ${timeZone}`);
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
