import { describe, expect, it } from 'vitest';
import { DEFAULT_SMS_WINDOW, durationMs, localParts, nextLocalTime, smsDeferredUntil, zonedToUtc } from './time';

describe('time helpers', () => {
  it('parses single-unit durations', () => {
    expect(durationMs('30s')).toBe(30_000);
    expect(durationMs('30m')).toBe(1_800_000);
    expect(durationMs('25d')).toBe(25 * 86_400_000);
    expect(() => durationMs('1h30m')).toThrow();
  });

  it('reads the wall clock of a zone, with daylight saving', () => {
    expect(localParts(Date.UTC(2026, 0, 15, 12, 0), 'Europe/Paris')).toMatchObject({ hour: 13, minute: 0 });
    expect(localParts(Date.UTC(2026, 6, 15, 12, 0), 'Europe/Paris')).toMatchObject({ hour: 14 });
    expect(localParts(Date.UTC(2026, 6, 15, 12, 0), 'Not/AZone')).toMatchObject({ hour: 12 });
  });

  it('turns a local time into an instant, moving out of a spring-forward gap', () => {
    expect(zonedToUtc(2026, 7, 1, 9, 0, 'America/New_York')).toBe(Date.UTC(2026, 6, 1, 13, 0));
    expect(zonedToUtc(2026, 3, 29, 2, 30, 'Europe/Paris')).toBe(Date.UTC(2026, 2, 29, 1, 30));
  });

  it('finds the next occurrence of a local time', () => {
    const morning = Date.UTC(2026, 5, 10, 5, 0); // 07:00 Paris
    expect(nextLocalTime(morning, '09:00', 'Europe/Paris')).toBe(Date.UTC(2026, 5, 10, 7, 0));
    expect(nextLocalTime(Date.UTC(2026, 5, 10, 7, 0), '09:00', 'Europe/Paris')).toBe(Date.UTC(2026, 5, 11, 7, 0));
  });

  it('allows SMS from 08:00 to 21:00 local by default and defers the rest to 08:00', () => {
    const paris = (h: number, m = 0) => Date.UTC(2026, 5, 10, h - 2, m);
    const w = DEFAULT_SMS_WINDOW;
    expect(smsDeferredUntil(paris(8), 'Europe/Paris', w)).toBeNull();
    expect(smsDeferredUntil(paris(20, 59), 'Europe/Paris', w)).toBeNull();
    expect(smsDeferredUntil(paris(21), 'Europe/Paris', w)).toBe(Date.UTC(2026, 5, 11, 6, 0));
    expect(smsDeferredUntil(paris(7, 59), 'Europe/Paris', w)).toBe(Date.UTC(2026, 5, 10, 6, 0));
    expect(smsDeferredUntil(Date.UTC(2026, 5, 10, 23, 30), 'Europe/Paris', w)).toBe(Date.UTC(2026, 5, 11, 6, 0));
  });

  it('follows the store window: its hours, its weekdays, minutes and a window ending at midnight', () => {
    // Monday–Saturday 08:00–20:00, as the French SMS code of practice asks; 2026-06-13 is a Saturday.
    const fr = { opens: '08:00', closes: '20:00', days: [1, 2, 3, 4, 5, 6] };
    const saturday = (h: number, m = 0) => Date.UTC(2026, 5, 13, h - 2, m);
    expect(smsDeferredUntil(saturday(19, 59), 'Europe/Paris', fr)).toBeNull();
    // 20:30 on Saturday: not on Sunday, Monday 08:00 Paris.
    expect(smsDeferredUntil(saturday(20, 30), 'Europe/Paris', fr)).toBe(Date.UTC(2026, 5, 15, 6, 0));
    expect(smsDeferredUntil(Date.UTC(2026, 5, 14, 10, 0), 'Europe/Paris', fr)).toBe(Date.UTC(2026, 5, 15, 6, 0));
    const late = { opens: '09:30', closes: '24:00', days: [1, 2, 3, 4, 5, 6, 7] };
    expect(smsDeferredUntil(saturday(9, 29), 'Europe/Paris', late)).toBe(saturday(9, 30));
    expect(smsDeferredUntil(saturday(23, 59), 'Europe/Paris', late)).toBeNull();
    // The same instant is night in Paris and afternoon in New York: the contact's clock decides.
    expect(smsDeferredUntil(Date.UTC(2026, 5, 10, 21, 0), 'America/New_York', fr)).toBeNull();
  });

  it('defers to the opening in the new offset across the spring change', () => {
    const at = (iso: string) => Date.parse(iso);
    // Paris: 2026-03-28 22:00 CET (UTC+1); clocks go forward on the 29th, 08:00 CEST is 06:00Z.
    expect(smsDeferredUntil(at('2026-03-28T21:00:00Z'), 'Europe/Paris', DEFAULT_SMS_WINDOW)).toBe(at('2026-03-29T06:00:00Z'));
    // New York: 2026-03-07 23:30 EST; DST starts on the 8th, 08:00 EDT is 12:00Z.
    expect(smsDeferredUntil(at('2026-03-08T04:30:00Z'), 'America/New_York', DEFAULT_SMS_WINDOW)).toBe(at('2026-03-08T12:00:00Z'));
  });

  it('defers across the autumn change, from inside the repeated hour, and over the year end', () => {
    const at = (iso: string) => Date.parse(iso);
    expect(smsDeferredUntil(at('2026-10-25T00:30:00Z'), 'Europe/Paris', DEFAULT_SMS_WINDOW)).toBe(at('2026-10-25T07:00:00Z'));
    expect(smsDeferredUntil(at('2026-10-25T01:30:00Z'), 'Europe/Paris', DEFAULT_SMS_WINDOW)).toBe(at('2026-10-25T07:00:00Z'));
    expect(smsDeferredUntil(at('2026-11-01T01:15:00Z'), 'America/New_York', DEFAULT_SMS_WINDOW)).toBe(at('2026-11-01T13:00:00Z'));
    expect(smsDeferredUntil(at('2026-12-31T22:00:00Z'), 'Europe/Paris', DEFAULT_SMS_WINDOW)).toBe(at('2027-01-01T07:00:00Z'));
  });
});
