import type { Lang } from '../copy';

/**
 * Durations as an owner reads and types them ("30 min", "2 j", "1 j 12 h"), converted to and from
 * the flow schema's single-unit form (`30m`, `2d`, `36h`). Both languages' units are accepted in
 * either language: an English-speaking owner of a French store may type "2 d".
 */
const SECOND = 1;
const MINUTE = 60;
const HOUR = 3_600;
const DAY = 86_400;
const WEEK = 7 * DAY;

const UNITS: Record<string, number> = {
  s: SECOND, sec: SECOND, secs: SECOND, seconde: SECOND, secondes: SECOND, second: SECOND, seconds: SECOND,
  m: MINUTE, min: MINUTE, mins: MINUTE, minute: MINUTE, minutes: MINUTE, mn: MINUTE,
  h: HOUR, hr: HOUR, hrs: HOUR, heure: HOUR, heures: HOUR, hour: HOUR, hours: HOUR,
  j: DAY, jour: DAY, jours: DAY, d: DAY, day: DAY, days: DAY,
  sem: WEEK, semaine: WEEK, semaines: WEEK, w: WEEK, wk: WEEK, wks: WEEK, week: WEEK, weeks: WEEK,
};

const STORED_UNITS = [
  { unit: 'd', seconds: DAY },
  { unit: 'h', seconds: HOUR },
  { unit: 'm', seconds: MINUTE },
  { unit: 's', seconds: SECOND },
] as const;

/** The schema keeps at most six digits before its unit. */
const MAX_STORED = 999_999;

export type DurationProblem = 'empty' | 'unit' | 'format' | 'fraction' | 'too_long';
export type DurationParse = { ok: true; value: string; seconds: number } | { ok: false; problem: DurationProblem };

/** "1 j 12 h", "90 s", "1,5 h", "2d" → the stored form (`36h`, `90s`, `90m`, `2d`). */
export function parseDuration(input: string): DurationParse {
  const text = input.trim().toLowerCase().replace(/\s+et\s+|\s+and\s+|,\s+/g, ' ');
  if (text === '') return { ok: false, problem: 'empty' };
  const part = /(\d+(?:[.,]\d+)?)\s*([a-zé]+)?/gy;
  let seconds = 0;
  let index = 0;
  while (index < text.length) {
    part.lastIndex = index;
    const match = part.exec(text);
    if (!match) return { ok: false, problem: 'format' };
    const [, amount = '', unitName] = match;
    if (unitName === undefined) return { ok: false, problem: 'unit' };
    const unit = UNITS[unitName];
    if (unit === undefined) return { ok: false, problem: 'unit' };
    seconds += Number(amount.replace(',', '.')) * unit;
    index = part.lastIndex;
    while (text[index] === ' ') index++;
  }
  if (!Number.isInteger(seconds)) return { ok: false, problem: 'fraction' };
  if (seconds === 0) return { ok: true, value: '0m', seconds };
  const stored = STORED_UNITS.find((u) => seconds % u.seconds === 0) ?? STORED_UNITS[3];
  const count = seconds / stored.seconds;
  if (count > MAX_STORED) return { ok: false, problem: 'too_long' };
  return { ok: true, value: `${count}${stored.unit}`, seconds };
}

const SHOWN: Record<Lang, { unit: string; seconds: number }[]> = {
  fr: [
    { unit: 'j', seconds: DAY },
    { unit: 'h', seconds: HOUR },
    { unit: 'min', seconds: MINUTE },
    { unit: 's', seconds: SECOND },
  ],
  en: [
    { unit: 'd', seconds: DAY },
    { unit: 'h', seconds: HOUR },
    { unit: 'min', seconds: MINUTE },
    { unit: 's', seconds: SECOND },
  ],
};

/** `36h` → "1 j 12 h" (fr) or "1 d 12 h" (en); a value outside the schema is shown as it is. */
export function formatDuration(stored: string, lang: Lang): string {
  const match = /^(\d+)(s|m|h|d)$/.exec(stored);
  if (!match) return stored;
  const unit = STORED_UNITS.find((u) => u.unit === match[2]);
  let left = Number(match[1]) * (unit?.seconds ?? SECOND);
  if (left === 0) return '0 min';
  const parts: string[] = [];
  for (const u of SHOWN[lang]) {
    const n = Math.floor(left / u.seconds);
    if (n > 0) parts.push(`${n} ${u.unit}`);
    left -= n * u.seconds;
  }
  return parts.join(' ');
}

/**
 * Whole days for the settings forms ("2 j", "1 sem", "48 h"; a bare number is days, the field's unit), or null
 * when the text is not a whole number of days.
 */
export function parseDays(text: string): number | null {
  const bare = /^\s*(\d{1,6})\s*$/.exec(text);
  if (bare) return Number(bare[1]);
  const parsed = parseDuration(text);
  return parsed.ok && parsed.seconds % DAY === 0 ? parsed.seconds / DAY : null;
}

/** "7 j" in French, "7 d" in English: the form shows what it accepts back. */
export function formatDays(days: number, lang: Lang): string {
  return `${days}\u00a0${lang === 'fr' ? 'j' : 'd'}`;
}
