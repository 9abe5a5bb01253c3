import { describe, expect, it } from 'vitest';
import { isValidTimeZone } from '../../lib/time';
import { detectSmsKeyword, isQuietHours, isStopMessage, nextAllowedSmsTime } from './sms-rules';

const at = (iso: string) => new Date(iso);

describe('quiet hours (21:00–08:00 local)', () => {
  it('knows the window in Paris in winter (UTC+1) and summer (UTC+2)', () => {
    expect(isQuietHours(at('2026-01-15T19:59:00Z'), 'Europe/Paris')).toBe(false); // 20:59
    expect(isQuietHours(at('2026-01-15T20:00:00Z'), 'Europe/Paris')).toBe(true); // 21:00
    expect(isQuietHours(at('2026-01-16T06:59:00Z'), 'Europe/Paris')).toBe(true); // 07:59
    expect(isQuietHours(at('2026-01-16T07:00:00Z'), 'Europe/Paris')).toBe(false); // 08:00
    expect(isQuietHours(at('2026-07-15T18:59:00Z'), 'Europe/Paris')).toBe(false); // 20:59
    expect(isQuietHours(at('2026-07-15T19:00:00Z'), 'Europe/Paris')).toBe(true); // 21:00
    expect(isQuietHours(at('2026-07-16T06:00:00Z'), 'Europe/Paris')).toBe(false); // 08:00
  });

  it('returns now unchanged outside the window', () => {
    const now = at('2026-03-10T12:00:00Z');
    expect(nextAllowedSmsTime(now, 'Europe/Paris')).toBe(now);
  });

  it('defers to 08:00 local the next morning, in the new offset across the spring change', () => {
    // Paris: 2026-03-28 22:00 CET (UTC+1); clocks go forward on the 29th, 08:00 CEST is 06:00Z.
    expect(nextAllowedSmsTime(at('2026-03-28T21:00:00Z'), 'Europe/Paris').toISOString()).toBe('2026-03-29T06:00:00.000Z');
    // New York: 2026-03-07 23:30 EST; DST starts on the 8th, 08:00 EDT is 12:00Z.
    expect(nextAllowedSmsTime(at('2026-03-08T04:30:00Z'), 'America/New_York').toISOString()).toBe('2026-03-08T12:00:00.000Z');
  });

  it('defers across the autumn change, including from inside the repeated hour', () => {
    // Paris: 2026-10-25 02:30 CEST (the first 02:30, 00:30Z); 08:00 CET is 07:00Z.
    expect(nextAllowedSmsTime(at('2026-10-25T00:30:00Z'), 'Europe/Paris').toISOString()).toBe('2026-10-25T07:00:00.000Z');
    // The second 02:30 (CET, 01:30Z) ends at the same instant.
    expect(nextAllowedSmsTime(at('2026-10-25T01:30:00Z'), 'Europe/Paris').toISOString()).toBe('2026-10-25T07:00:00.000Z');
    // New York: 2026-10-31 21:15 EDT (01:15Z Nov 1); DST ends Nov 1, 08:00 EST is 13:00Z.
    expect(nextAllowedSmsTime(at('2026-11-01T01:15:00Z'), 'America/New_York').toISOString()).toBe('2026-11-01T13:00:00.000Z');
  });

  it('rolls over month and year ends and honours a custom window', () => {
    expect(nextAllowedSmsTime(at('2026-12-31T22:00:00Z'), 'Europe/Paris').toISOString()).toBe('2027-01-01T07:00:00.000Z');
    const window = { startHour: 20, endHour: 9 };
    expect(isQuietHours(at('2026-06-01T18:30:00Z'), 'Europe/Paris', window)).toBe(true); // 20:30
    expect(nextAllowedSmsTime(at('2026-06-01T18:30:00Z'), 'Europe/Paris', window).toISOString()).toBe('2026-06-02T07:00:00.000Z');
  });

  it('tells valid zones from garbage', () => {
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('inbound SMS keywords', () => {
  it.each(['STOP', 'stop', ' Stop. ', 'STOPALL', 'Unsubscribe', 'CANCEL', 'end', 'QUIT', 'ARRET', 'Arrêt', 'arrêt sms', 'STOP SMS', 'Stop merci', 'OPT-OUT'])(
    '%j withdraws consent',
    (body) => expect(isStopMessage(body)).toBe(true),
  );

  it.each(['Stopped by the shop today', 'End of the day is fine', 'Can I cancel my order?', 'Bonjour', ''])(
    '%j does not',
    (body) => expect(isStopMessage(body)).toBe(false),
  );

  it('recognises opt-in and help keywords', () => {
    expect(detectSmsKeyword('start')).toBe('start');
    expect(detectSmsKeyword('UNSTOP')).toBe('start');
    expect(detectSmsKeyword('Aide')).toBe('help');
  });
});
