import { describe, expect, it } from 'vitest';
import { applyFlowPatch, FlowPatch, listSettings } from './flow-patch';
import { Flow, type FlowInput } from './flow-schema';
import { abandonedCart } from './presets/abandoned-cart';

function base(nodes: FlowInput['nodes'], settings: FlowInput['settings'] = {}): FlowInput {
  return { schemaVersion: 1, id: 'test', version: 1, name: 'Test', settings, nodes };
}

const trigger = { type: 'trigger' as const, id: 'start', on: { kind: 'event' as const, event: 'identified' as const }, next: 'mail' };

function problems(input: FlowInput): string[] {
  const result = Flow.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => i.message);
}

describe('Flow schema', () => {
  it('fills defaults: disabled, 30-day order goal, after-exit re-entry', () => {
    const flow = Flow.parse(base([trigger, { type: 'send_email', id: 'mail', template: 'a.b' }]));
    expect(flow).toMatchObject({
      enabled: false,
      liveSince: 1,
      goal: { event: 'order.placed', within: '30d' },
      reentry: { mode: 'after_exit' },
      exitOn: [],
    });
  });

  it('rejects broken graphs', () => {
    expect(problems(base([{ type: 'send_email', id: 'mail', template: 'a.b' }, { type: 'exit', id: 'x' }]))).toContain(
      'a flow needs at least one trigger node',
    );
    expect(problems(base([trigger, { type: 'send_email', id: 'mail', template: 'a.b', next: 'ghost' }]))).toContain(
      'mail points to unknown node ghost',
    );
    expect(problems(base([trigger, { type: 'send_email', id: 'mail', template: 'a.b', next: 'start' }]))).toContain(
      'mail points to trigger start',
    );
    const loop = base([
      trigger,
      { type: 'send_email', id: 'mail', template: 'a.b', next: 'pause' },
      { type: 'wait', id: 'pause', until: { kind: 'duration', duration: '1d' }, next: 'mail' },
    ]);
    expect(problems(loop)).toContain('nodes must not form a cycle');
    const dup = base([trigger, { type: 'send_email', id: 'mail', template: 'a.b' }, { type: 'exit', id: 'mail' }]);
    expect(problems(dup)).toContain('duplicate node id mail');
  });

  it('checks that waits on message events name a send node', () => {
    const wait = { type: 'wait' as const, id: 'mail', until: { kind: 'event' as const, event: 'message.opened' as const, fromNode: 'start', timeout: '1h' } };
    expect(problems(base([trigger, wait]))).toContain('mail.fromNode must name a send_email or send_sms node');
  });

  it('checks that setting references exist and fit their field', () => {
    const email = { type: 'send_email' as const, id: 'mail', template: { setting: 'tpl' } };
    expect(problems(base([trigger, email]))).toContain('mail.template: unknown setting tpl');
    const wrong = base([trigger, email], { tpl: { kind: 'duration', value: '1h', label: 'Oops' } });
    expect(problems(wrong)).toContain('mail.template: setting tpl (duration) cannot be used for template');
    const right = base([trigger, email], { tpl: { kind: 'template', value: 'a.b', label: 'Email' } });
    expect(problems(right)).toEqual([]);
  });

  it('rejects malformed durations, times and template ids', () => {
    expect(problems(base([trigger, { type: 'send_email', id: 'mail', template: 'nodot' }]))).not.toEqual([]);
    const wait = (duration: string) => base([trigger, { type: 'wait', id: 'mail', until: { kind: 'duration', duration } }]);
    expect(problems(wait('1h'))).toEqual([]);
    expect(problems(wait('soon'))).not.toEqual([]);
    expect(problems(base([trigger, { type: 'wait', id: 'mail', until: { kind: 'time_of_day', time: '25:00' } }]))).not.toEqual([]);
  });
});

describe('applyFlowPatch (PATCH /api/flows/:id)', () => {
  it('changes settings by key, bumps the version and keeps the graph', () => {
    const result = applyFlowPatch(abandonedCart, FlowPatch.parse({ settings: { idleDelay: '20m', incentiveThreshold: 80 } }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.flow.version).toBe(abandonedCart.version + 1);
    expect(result.flow.settings.idleDelay?.value).toBe('20m');
    expect(result.flow.nodes).toEqual(abandonedCart.nodes);
    expect(listSettings(result.flow)).toContainEqual(expect.objectContaining({ key: 'incentiveThreshold', kind: 'number', value: 80 }));
  });

  it('refuses unknown keys, wrong kinds and out-of-range numbers, naming each', () => {
    const result = applyFlowPatch(abandonedCart, { settings: { nope: 1, idleDelay: 30, incentivePercent: 150, followUpChannel: 'fax' } });
    expect(result).toEqual({
      ok: false,
      problems: [
        'settings.nope: unknown setting',
        expect.stringContaining('settings.idleDelay:'),
        'settings.incentivePercent: must be at most 100',
        expect.stringContaining('settings.followUpChannel:'),
      ],
    });
  });

  it('records the version a flow was switched on at', () => {
    const on = applyFlowPatch(abandonedCart, { enabled: true });
    expect(on).toMatchObject({ ok: true, flow: { enabled: true, version: 2, liveSince: 2 } });
    if (!on.ok) return;
    expect(applyFlowPatch(on.flow, { settings: { idleDelay: '5s' } })).toMatchObject({ ok: true, flow: { version: 3, liveSince: 2 } });
  });

  it('rejects patch bodies that address anything but enabled and settings', () => {
    expect(FlowPatch.safeParse({ nodes: [] }).success).toBe(false);
  });
});
