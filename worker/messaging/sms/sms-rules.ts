import { localParts, zonedToUtc, type LocalParts } from '../../lib/time';

/**
 * SMS guardrails that need no I/O: the local quiet-hours window (a send due at night is deferred
 * to the next morning, never dropped) and opt-out keyword detection for inbound messages.
 */
export type QuietHours = { startHour: number; endHour: number };
export const DEFAULT_QUIET_HOURS: QuietHours = { startHour: 21, endHour: 8 };

function minutesOfDay(p: LocalParts): number {
  return p.hour * 60 + p.minute;
}

export function isQuietHours(now: Date, timeZone: string, quiet: QuietHours = DEFAULT_QUIET_HOURS): boolean {
  const m = minutesOfDay(localParts(now.getTime(), timeZone));
  const start = quiet.startHour * 60;
  const end = quiet.endHour * 60;
  return start > end ? m >= start || m < end : m >= start && m < end;
}

/** `now` itself when sending is allowed, otherwise the end of the current quiet window. */
export function nextAllowedSmsTime(now: Date, timeZone: string, quiet: QuietHours = DEFAULT_QUIET_HOURS): Date {
  if (!isQuietHours(now, timeZone, quiet)) return now;
  const p = localParts(now.getTime(), timeZone);
  const endsTomorrow = minutesOfDay(p) >= quiet.endHour * 60;
  // Date.UTC normalises day overflow, so day + 1 rolls months and years correctly.
  const target = new Date(Date.UTC(p.year, p.month - 1, p.day + (endsTomorrow ? 1 : 0)));
  return new Date(zonedToUtc(target.getUTCFullYear(), target.getUTCMonth() + 1, target.getUTCDate(), quiet.endHour, 0, timeZone));
}

export type SmsKeyword = 'stop' | 'start' | 'help';

const KEYWORDS: Record<SmsKeyword, string[]> = {
  stop: ['STOP', 'STOPALL', 'STOP ALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'OPT OUT', 'REVOKE', 'ARRET', 'STOP SMS', 'ARRET SMS', 'DESABONNER', 'DESINSCRIRE', 'DESINSCRIPTION'],
  start: ['START', 'UNSTOP', 'YES', 'OUI'],
  help: ['HELP', 'INFO', 'AIDE'],
};
/** Words that mean "stop" even with more text after them ("Stop merci"); ambiguous ones like END do not. */
const STOP_PREFIXES = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'OPTOUT', 'ARRET']);

export function normalizeSmsBody(body: string): string {
  return body
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim();
}

export function detectSmsKeyword(body: string): SmsKeyword | null {
  const text = normalizeSmsBody(body);
  for (const [keyword, words] of Object.entries(KEYWORDS) as [SmsKeyword, string[]][]) {
    if (words.includes(text)) return keyword;
  }
  const first = text.split(' ', 1)[0] ?? '';
  return STOP_PREFIXES.has(first) ? 'stop' : null;
}

export function isStopMessage(body: string): boolean {
  return detectSmsKeyword(body) === 'stop';
}
