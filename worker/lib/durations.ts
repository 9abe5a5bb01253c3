/**
 * Durations as people type them, in French or English: "30 min", "2 h", "2 j", "2 d", "1 sem", "3 weeks".
 * A bare number takes the field's own unit. Both languages are accepted whatever the page's language.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const UNITS: [RegExp, number][] = [
  [/^(m|mn|min|mins|minute|minutes)$/, MINUTE],
  [/^(h|hr|hrs|heure|heures|hour|hours)$/, HOUR],
  [/^(j|jr|jrs|jour|jours|d|day|days)$/, DAY],
  [/^(sem|semaine|semaines|w|wk|week|weeks)$/, 7 * DAY],
];

export type DurationUnit = 'minute' | 'hour' | 'day';
const UNIT_MS: Record<DurationUnit, number> = { minute: MINUTE, hour: HOUR, day: DAY };

/** Milliseconds, or null when the text is not a duration. */
export function parseDuration(text: string, bareUnit: DurationUnit): number | null {
  const match = /^(\d{1,6}(?:[.,]\d{1,3})?)\s*([a-zé]*)\.?$/i.exec(text.trim());
  if (!match) return null;
  const amount = Number(match[1]!.replace(',', '.'));
  const word = match[2]!.toLowerCase();
  const unit = word === '' ? UNIT_MS[bareUnit] : UNITS.find(([re]) => re.test(word))?.[1];
  return unit === undefined ? null : Math.round(amount * unit);
}

/** Whole days, or null when the text is not a duration or not a whole number of days ("36 h"). */
export function parseDays(text: string): number | null {
  const ms = parseDuration(text, 'day');
  return ms !== null && ms % DAY === 0 ? ms / DAY : null;
}

/** "7 j" in French, "7 d" in English: the form shows what it accepts back. */
export function formatDays(days: number, lang: 'fr' | 'en'): string {
  return `${days}\u00a0${lang === 'fr' ? 'j' : 'd'}`;
}
