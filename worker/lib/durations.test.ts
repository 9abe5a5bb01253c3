import { describe, expect, it } from 'vitest';
import { contrastRatio } from './colour-contrast';
import { formatDays, parseDays, parseDuration } from './durations';

describe('durations typed in French or English', () => {
  it('reads minutes, hours, days and weeks in both languages, a bare number in the field unit', () => {
    expect(parseDuration('30 min', 'day')).toBe(30 * 60_000);
    expect(parseDuration('2 h', 'day')).toBe(2 * 3_600_000);
    expect([parseDays('2 j'), parseDays('2 d'), parseDays('2 jours'), parseDays('2days'), parseDays('2')]).toEqual([2, 2, 2, 2, 2]);
    expect([parseDays('1 sem'), parseDays('2 weeks'), parseDays('48 h'), parseDays('1,5 sem')]).toEqual([7, 14, 2, null]);
    expect(parseDays('0')).toBe(0);
  });

  it('refuses what is not a whole number of days or not a duration', () => {
    expect([parseDays('36 h'), parseDays('soon'), parseDays('2 parsecs'), parseDays(''), parseDays('-3 j')]).toEqual([null, null, null, null, null]);
  });

  it('writes days the way each language reads them back', () => {
    expect(formatDays(7, 'fr')).toBe('7\u00a0j');
    expect(formatDays(7, 'en')).toBe('7\u00a0d');
    expect(parseDays(formatDays(30, 'fr'))).toBe(30);
  });
});

describe('colour contrast (WCAG 2)', () => {
  it('gives 21 for black on white, 1 for a colour on itself, and flags light colours under white text', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#b4231f', '#b4231f')).toBe(1);
    expect(contrastRatio('#1d4ed8', '#ffffff')).toBeGreaterThan(4.5);
    expect(contrastRatio('#facc15', '#ffffff')).toBeLessThan(4.5);
  });
});
