/**
 * Opt-out keyword detection for inbound SMS. (The SMS window lives in worker/journeys/time.ts and
 * comes from the store's guardrail settings.)
 */
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
