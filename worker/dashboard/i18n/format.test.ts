import { describe, expect, it } from 'vitest';
import { formatDate, formatMoney, formatNumber, formatPercent } from './format';

// Intl separates thousands with a narrow no-break space in French and puts the euro sign after the amount.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('numbers, money, percentages and dates per language', () => {
  it('writes numbers the reader’s way', () => {
    expect([plain(formatNumber('fr', 1687)), formatNumber('en', 1687), plain(formatNumber('fr', 1.5)), formatNumber('en', null)]).toEqual(['1 687', '1,687', '1,5', '—']);
  });

  it('writes money with the store currency, EUR when it has none', () => {
    expect([plain(formatMoney('fr', 1234.5, 'EUR')), formatMoney('en', 1234.5, 'EUR'), formatMoney('en', 12, 'USD'), plain(formatMoney('fr', 12, null))]).toEqual(['1 234,50 €', '€1,234.50', '$12.00', '12,00 €']);
  });

  it('writes percentages and dates per language, in the store’s time zone', () => {
    expect([plain(formatPercent('fr', 0.5217)), formatPercent('en', 0.5217), formatPercent('fr', null)]).toEqual(['52,17 %', '52.17%', '—']);
    const at = Date.UTC(2026, 11, 2, 23, 30);
    expect(plain(formatDate('fr', at, 'Europe/Paris'))).toBe('3 déc. 2026, 00:30');
    expect(formatDate('en', at, 'UTC')).toBe('Dec 2, 2026, 11:30 PM');
    // A time zone the runtime does not know falls back to UTC rather than failing the page.
    expect(formatDate('en', at, 'Mars/Olympus')).toBe('Dec 2, 2026, 11:30 PM');
  });
});
