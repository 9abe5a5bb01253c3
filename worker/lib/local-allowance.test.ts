import { describe, expect, it } from 'vitest';
import { LocalAllowance } from './local-allowance';

const MINUTE = 60_000;

describe('LocalAllowance', () => {
  it('lets a key through locally `free` times per window, then defers to the shared limiter', () => {
    const allowance = new LocalAllowance(3, MINUTE);
    const t = 10 * MINUTE;
    expect([1, 2, 3, 4, 5].map(() => allowance.take('ip:a', t))).toEqual([true, true, true, false, false]);
    expect(allowance.take('ip:b', t + 1)).toBe(true);
  });

  it('starts every key afresh in the next window', () => {
    const allowance = new LocalAllowance(1, MINUTE);
    expect(allowance.take('ip:a', 10 * MINUTE)).toBe(true);
    expect(allowance.take('ip:a', 11 * MINUTE - 1)).toBe(false);
    expect(allowance.take('ip:a', 11 * MINUTE)).toBe(true);
  });

  it('sends new keys to the shared limiter once it tracks too many, and keeps counting the known ones', () => {
    const allowance = new LocalAllowance(2, MINUTE, 2);
    const t = 5 * MINUTE;
    expect(allowance.take('k1', t)).toBe(true);
    expect(allowance.take('k2', t)).toBe(true);
    expect(allowance.take('k3', t)).toBe(false);
    expect(allowance.take('k1', t)).toBe(true);
    expect(allowance.take('k1', t)).toBe(false);
  });
});
