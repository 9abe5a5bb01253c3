import { describe, expect, it } from 'vitest';
import { isValidTimeZone } from '../../lib/time';
import { detectSmsKeyword, isStopMessage } from './sms-rules';

describe('time zones', () => {
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
