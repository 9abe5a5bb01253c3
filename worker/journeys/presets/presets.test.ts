import { describe, expect, it } from 'vitest';
import { Flow } from '../flow-schema';
import { listSettings } from '../flow-patch';
import { PRESETS, presetById } from './index';

describe('presets', () => {
  it('ships the seven flows of the seed strategy, each valid JSON and disabled', () => {
    expect(PRESETS.map((p) => p.id)).toEqual([
      'welcome',
      'abandoned-cart',
      'win-back',
      'replenishment',
      'post-purchase',
      'vip-loyalty',
      'lead-nurture',
    ]);
    for (const preset of PRESETS) {
      expect(preset.enabled).toBe(false);
      expect(Flow.parse(JSON.parse(JSON.stringify(preset)))).toEqual(preset);
    }
  });

  it('exposes every wait as a setting rather than a literal in the graph', () => {
    for (const preset of PRESETS) {
      expect(listSettings(preset).length).toBeGreaterThan(3);
      for (const node of preset.nodes) {
        if (node.type !== 'wait') continue;
        const until = node.until;
        const source = until.kind === 'duration' ? until.duration : until.kind === 'event' ? until.timeout : until.time;
        expect(typeof source, `${preset.id}.${node.id}`).toBe('object');
      }
    }
  });

  it('finds presets by id', () => {
    expect(presetById('abandoned-cart')?.name).toBe('Abandoned cart cascade');
    expect(presetById('nope')).toBeUndefined();
  });
});
