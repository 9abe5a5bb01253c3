import { describe, expect, it } from 'vitest';
import { durationMs, localParts, nextLocalTime, smsDeferredUntil, zonedToUtc } from './time';

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

  it('allows SMS from 08:00 to 21:00 local and defers the rest to 08:00', () => {
    const paris = (h: number, m = 0) => Date.UTC(2026, 5, 10, h - 2, m);
    expect(smsDeferredUntil(paris(8), 'Europe/Paris')).toBeNull();
    expect(smsDeferredUntil(paris(20, 59), 'Europe/Paris')).toBeNull();
    expect(smsDeferredUntil(paris(21), 'Europe/Paris')).toBe(Date.UTC(2026, 5, 11, 6, 0));
    expect(smsDeferredUntil(paris(7, 59), 'Europe/Paris')).toBe(Date.UTC(2026, 5, 10, 6, 0));
    expect(smsDeferredUntil(Date.UTC(2026, 5, 10, 23, 30), 'Europe/Paris')).toBe(Date.UTC(2026, 5, 11, 6, 0));
  });
});
