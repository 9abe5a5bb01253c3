import { describe, expect, it } from 'vitest';
import { parseTimeOfDay, parseLocaleNumber } from '../../routes/dashboard/flow-form';
import { COPY } from '../copy';
import { formatDays, formatDuration, parseDays, parseDuration } from './duration';

const stored = (input: string) => {
  const r = parseDuration(input);
  return r.ok ? r.value : r.problem;
};

describe('durations as an owner types them', () => {
  it('reads French units', () => {
    expect(['30 min', '2 h', '2 j', '1 sem', '90 s', '1 j 12 h', '2 jours', '3 heures', '1 semaine', '1,5 h', '1j12h', '1 h et 30 min'].map(stored)).toEqual([
      '30m', '2h', '2d', '7d', '90s', '36h', '2d', '3h', '7d', '90m', '36h', '90m',
    ]);
  });

  it('reads English units and the stored form', () => {
    expect(['30 min', '2 d', '1 wk', '90 s', '1 d 12 h', '2 days', '1.5 h', '1 week', '30m', '25d', '2 D'].map(stored)).toEqual([
      '30m', '2d', '7d', '90s', '36h', '2d', '90m', '7d', '30m', '25d', '2d',
    ]);
  });

  it('refuses what it cannot read, naming the problem', () => {
    expect(['', '  ', '30', '2 x', 'soon', 'deux jours', '-5 min', '0,3 s', '1000000 j', '2 h h'].map(stored)).toEqual([
      'empty', 'empty', 'unit', 'unit', 'format', 'format', 'format', 'fraction', 'too_long', 'format',
    ]);
  });

  it('has a field-level message for every refusal in both languages', () => {
    for (const lang of ['fr', 'en'] as const) {
      for (const input of ['', '30', 'soon', '0,3 s', '1000000 j']) {
        const r = parseDuration(input);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(COPY[lang].flows.field.duration[r.problem]).toMatch(/\.$/);
      }
    }
    expect(COPY.fr.flows.field.duration.unit).toBe('Unité inconnue : utilisez s, min, h, j ou sem (ex. 2 j).');
    expect(COPY.en.flows.field.duration.unit).toBe('Unknown unit: use s, min, h, d or wk (e.g. 2 d).');
  });

  it('shows stored values the same way, and what it shows reads back to the same value', () => {
    const values = ['30m', '2h', '2d', '36h', '90s', '90m', '7d', '3601s', '0m'];
    expect(values.map((v) => formatDuration(v, 'fr'))).toEqual(['30 min', '2 h', '2 j', '1 j 12 h', '1 min 30 s', '1 h 30 min', '7 j', '1 h 1 s', '0 min']);
    expect(values.map((v) => formatDuration(v, 'en'))).toEqual(['30 min', '2 h', '2 d', '1 d 12 h', '1 min 30 s', '1 h 30 min', '7 d', '1 h 1 s', '0 min']);
    for (const lang of ['fr', 'en'] as const) for (const v of values) expect(stored(formatDuration(v, lang))).toBe(v);
  });
});

describe('numbers and times as an owner types them', () => {
  it('reads decimal commas and spaces', () => {
    expect(['10', '1,5', '1.5', '1 000', '1\u202f000,25', '-2', 'dix', '1,2,3', ''].map(parseLocaleNumber)).toEqual([10, 1.5, 1.5, 1000, 1000.25, -2, null, null, null]);
  });

  it('reads 09:30, 9:30, 9 h 30 and 9h', () => {
    expect(['09:30', '9:30', '9 h 30', '9h', '23:59', '24:00', '9:5', 'midi'].map(parseTimeOfDay)).toEqual(['09:30', '09:30', '09:30', '09:00', '23:59', null, null, null]);
  });
});

describe('whole days for the settings forms', () => {
  it('reads days and weeks in both languages, a bare number as days', () => {
    expect([parseDays('2 j'), parseDays('2 d'), parseDays('2 jours'), parseDays('2days'), parseDays('2')]).toEqual([2, 2, 2, 2, 2]);
    expect([parseDays('1 sem'), parseDays('2 weeks'), parseDays('48 h'), parseDays('1,5 sem'), parseDays('0')]).toEqual([7, 14, 2, null, 0]);
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
