import { describe, expect, it } from 'vitest';
import { smsSegments } from './sms-segments';

describe('smsSegments', () => {
  it('counts GSM-7 septets (accents of the basic set are one, € and brackets two) and splits at 160 then 153', () => {
    expect(smsSegments('Votre panier à été sauvé')).toEqual({ encoding: 'GSM-7', length: 24, units: 24, segments: 1 });
    expect(smsSegments('a'.repeat(160)).segments).toBe(1);
    expect(smsSegments('a'.repeat(161)).segments).toBe(2);
    expect(smsSegments('a'.repeat(306)).segments).toBe(2);
    expect(smsSegments('a'.repeat(307)).segments).toBe(3);
    expect(smsSegments('10 €')).toMatchObject({ encoding: 'GSM-7', length: 4, units: 5 });
  });

  it('switches to UCS-2 for one character outside GSM-7 (ê, emoji) and splits at 70 then 67 units', () => {
    expect(smsSegments('fête')).toMatchObject({ encoding: 'UCS-2', units: 4, segments: 1 });
    expect(smsSegments('🛒'.repeat(35))).toMatchObject({ encoding: 'UCS-2', length: 35, units: 70, segments: 1 });
    expect(smsSegments('ê'.repeat(71)).segments).toBe(2);
    expect(smsSegments('ê'.repeat(135)).segments).toBe(3);
  });
});
