import { describe, expect, it } from 'vitest';
import { contrastRatio } from './colour-contrast';

describe('colour contrast (WCAG 2)', () => {
  it('gives 21 for black on white, 1 for a colour on itself, and flags light colours under white text', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#b4231f', '#b4231f')).toBe(1);
    expect(contrastRatio('#1d4ed8', '#ffffff')).toBeGreaterThan(4.5);
    expect(contrastRatio('#facc15', '#ffffff')).toBeLessThan(4.5);
  });
});
