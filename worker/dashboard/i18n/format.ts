import type { Lang } from '../copy';

/**
 * Dates, numbers, money and percentages in the reader's language. Intl formatters are costly to
 * build and the dashboard formats hundreds of values per page, so each one is made once per isolate.
 */
const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function cached<F extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => F): F {
  let f = cache.get(key);
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f as F;
}

function dateFormat(lang: Lang, timeZone: string): Intl.DateTimeFormat {
  return cached(`d|${lang}|${timeZone}`, () => {
    try {
      return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone });
    } catch {
      // A store's time zone that this runtime does not know: UTC rather than an error page.
      return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
    }
  });
}

export function formatDate(lang: Lang, ms: number | null | undefined, timeZone: string): string {
  if (ms === null || ms === undefined) return '—';
  return dateFormat(lang, timeZone).format(ms);
}

export function formatNumber(lang: Lang, value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return cached(`n|${lang}`, () => new Intl.NumberFormat(lang, { maximumFractionDigits: 2 })).format(value);
}

export function formatMoney(lang: Lang, value: number | null | undefined, currency: string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const code = currency && /^[A-Z]{3}$/.test(currency) ? currency : 'EUR';
  return cached(`m|${lang}|${code}`, () => new Intl.NumberFormat(lang, { style: 'currency', currency: code })).format(value);
}

export function formatPercent(lang: Lang, value: number | null): string {
  return value === null ? '—' : cached(`p|${lang}`, () => new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 2 })).format(value);
}
