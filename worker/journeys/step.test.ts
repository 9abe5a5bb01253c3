import { describe, expect, it } from 'vitest';
import { Flow, type FlowInput } from './flow-schema';
import { brief, effects, JourneySimulator, sampleContact } from './simulate';
import { emptyJourneyState, pendingTimers } from './state';
import { step } from './step';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** 10:00 in New York, where the test contact lives. */
const T0 = Date.UTC(2026, 9, 6, 14, 0);

/** One node of every type, in a line. */
const everything = Flow.parse({
  schemaVersion: 1,
  id: 'everything',
  version: 1,
  name: 'Every node type',
  enabled: true,
  settings: { pause: { kind: 'duration', value: '30m', label: 'Pause' } },
  nodes: [
    { type: 'trigger', id: 'start', on: { kind: 'event', event: 'checkout_started' }, next: 'pause' },
    { type: 'wait', id: 'pause', until: { kind: 'duration', duration: { setting: 'pause' } }, next: 'split' },
    {
      type: 'branch',
      id: 'split',
      cases: [{ when: [{ subject: 'event', path: 'step', op: 'eq', value: 'payment' }], next: 'email' }],
      otherwise: 'stop',
    },
    { type: 'send_email', id: 'email', template: 'test.email', next: 'sms' },
    { type: 'send_sms', id: 'sms', template: 'test.sms', next: 'prompt' },
    { type: 'onsite_prompt', id: 'prompt', template: 'test.prompt', next: 'audience' },
    { type: 'add_to_audience', id: 'audience', audience: 'testers', next: 'coupon' },
    { type: 'issue_coupon', id: 'coupon', discountType: 'fixed_cart', amount: 5, next: 'tag' },
    { type: 'set_tag', id: 'tag', tag: 'tested', next: 'prop' },
    { type: 'set_property', id: 'prop', key: 'tested', value: true, next: 'hook' },
    { type: 'webhook', id: 'hook', url: 'https://hooks.test/in', next: 'morning' },
    { type: 'wait', id: 'morning', until: { kind: 'time_of_day', time: '09:00' }, next: 'stop' },
    { type: 'exit', id: 'stop', reason: 'done' },
  ],
} satisfies FlowInput);

/** Three emails one hour apart after a 30 minute pause. */
const chain = Flow.parse({
  schemaVersion: 1,
  id: 'chain',
  version: 1,
  name: 'Chain',
  enabled: true,
  goal: { event: 'order.placed', within: '10d' },
  nodes: [
    { type: 'trigger', id: 'start', on: { kind: 'event', event: 'product_view' }, next: 'w0' },
    { type: 'wait', id: 'w0', until: { kind: 'duration', duration: '30m' }, next: 'e1' },
    { type: 'send_email', id: 'e1', template: 'chain.one', next: 'w1' },
    { type: 'wait', id: 'w1', until: { kind: 'duration', duration: '1h' }, next: 'e2' },
    { type: 'send_email', id: 'e2', template: 'chain.two', next: 'w2' },
    { type: 'wait', id: 'w2', until: { kind: 'duration', duration: '1h' }, next: 'e3' },
    { type: 'send_email', id: 'e3', template: 'chain.three' },
  ],
} satisfies FlowInput);

const contact = sampleContact({ id: 'ct_1', timezone: 'America/New_York' });

describe('step', () => {
  it('runs every node type and produces each kind of action in order', () => {
    const s = new JourneySimulator([everything], contact, T0);
    s.emit({ type: 'checkout_started', properties: { step: 'payment' } });
    const actions = s.advanceTo(T0 + 30 * MIN);
    expect(brief(actions)).toEqual([
      'send_email test.email',
      'send_sms test.sms',
      'show_prompt test.prompt',
      'add_to_audience testers',
      'issue_coupon 5',
      'set_tag +tested',
      'set_property tested=true',
      'call_webhook https://hooks.test/in',
    ]);
    expect(effects(actions).map((a) => a.idempotencyKey)).toEqual(
      ['email', 'sms', 'prompt', 'audience', 'coupon', 'tag', 'prop', 'hook'].map((n) => `ct_1:everything:1:${n}`),
    );
    // 10:30 in New York: the next 09:00 there is tomorrow, 13:00 UTC.
    expect(s.timers()[0]?.dueAt).toBe(Date.UTC(2026, 9, 7, 13, 0));
    expect(s.advanceTo(T0 + 2 * DAY)).toContainEqual(expect.objectContaining({ what: 'exited', reason: 'done' }));
  });

  it('takes the otherwise edge when no case holds', () => {
    const s = new JourneySimulator([everything], contact, T0);
    s.emit({ type: 'checkout_started', properties: { step: 'shipping' } });
    expect(brief(s.advanceTo(T0 + DAY))).toEqual([]);
  });

  it('fails loudly on a node type it does not know (the switch is exhaustive)', () => {
    const broken = { ...everything, nodes: everything.nodes.map((n) => (n.id === 'email' ? { ...n, type: 'send_fax' } : n)) };
    const s = new JourneySimulator([broken as unknown as Flow], contact, T0);
    s.emit({ type: 'checkout_started', properties: { step: 'payment' } });
    expect(() => s.advanceTo(T0 + 30 * MIN)).toThrow(/Unhandled variant/);
  });

  it('treats repeated, early, unknown and foreign alarms as no-ops', () => {
    const entered = step(emptyJourneyState(), { event: { type: 'product_view', id: 'v1', at: T0, properties: {} }, contact }, T0, chain);
    const [timer] = pendingTimers(entered.state);
    const fire = (state = entered.state, at = T0 + 30 * MIN, timerId = timer?.timerId ?? '', flow = chain) =>
      step(state, { event: { type: 'timer.fired', timerId }, contact }, at, flow);
    expect(fire(entered.state, T0 + 29 * MIN).actions).toEqual([]);
    expect(fire(entered.state, T0 + 30 * MIN, 'nope').actions).toEqual([]);
    expect(fire(entered.state, T0 + 30 * MIN, timer?.timerId, everything).actions).toEqual([]);
    const once = fire();
    expect(brief(once.actions)).toEqual(['send_email chain.one']);
    expect(fire(once.state).actions).toEqual([]);
  });

  it('runs an overdue timer once after a long outage, with no backlog of sends', () => {
    const s = new JourneySimulator([chain], contact, T0);
    s.emit({ type: 'product_view' });
    const late = T0 + 3 * DAY;
    expect(brief(s.wakeLate(late))).toEqual(['send_email chain.one']);
    expect(s.timers().map((t) => t.dueAt)).toEqual([late + HOUR]);
    expect(brief(s.wakeLate(late))).toEqual([]);
    expect(brief(s.advanceTo(late + 2 * HOUR))).toEqual(['send_email chain.two', 'send_email chain.three']);
  });

  it('ignores a redelivered domain event', () => {
    const s = new JourneySimulator([chain], contact, T0);
    s.emit({ type: 'product_view', id: 'same' });
    s.advanceTo(T0 + 3 * HOUR);
    expect(s.emit({ type: 'product_view', id: 'same' })).toEqual([]);
    expect(s.emit({ type: 'product_view', id: 'new' })).toContainEqual(expect.objectContaining({ what: 'enrolled' }));
  });

  it('credits a conversion once, within the goal window, even after the journey ended', () => {
    const s = new JourneySimulator([chain], contact, T0);
    s.emit({ type: 'product_view' });
    s.advanceTo(T0 + 3 * HOUR);
    const converted = (actions: ReturnType<typeof s.emit>) => actions.filter((a) => a.type === 'journey_log' && a.what === 'converted');
    expect(converted(s.emit({ type: 'order.placed', id: 'o1' }, T0 + 2 * DAY))).toHaveLength(1);
    expect(converted(s.emit({ type: 'order.placed', id: 'o2' }, T0 + 3 * DAY))).toEqual([]);
    const later = new JourneySimulator([chain], contact, T0);
    later.emit({ type: 'product_view' });
    expect(converted(later.emit({ type: 'order.placed' }, T0 + 11 * DAY))).toEqual([]);
    expect(later.state.closed).toEqual([]);
  });

  it('is pure: the input state is untouched and the same inputs give the same result', () => {
    const input = { event: { type: 'product_view' as const, id: 'p', at: T0, properties: {} }, contact };
    const before = emptyJourneyState();
    const frozen = structuredClone(before);
    const a = step(before, input, T0, chain);
    const b = step(before, input, T0, chain);
    expect(before).toEqual(frozen);
    expect(a).toEqual(b);
  });

  it('restarts a running enrollment when the rule says restart', () => {
    const restarting = { ...chain, reentry: { mode: 'restart' as const } };
    const s = new JourneySimulator([restarting], contact, T0);
    s.emit({ type: 'product_view' });
    const again = s.emit({ type: 'product_view' }, T0 + 20 * MIN);
    expect(again).toContainEqual(expect.objectContaining({ what: 'exited', reason: 'restarted' }));
    expect(s.timers().map((t) => t.dueAt)).toEqual([T0 + 50 * MIN]);
  });

  it('keeps a running enrollment and ignores the trigger under after_exit', () => {
    const s = new JourneySimulator([chain], contact, T0);
    s.emit({ type: 'product_view' });
    expect(s.emit({ type: 'product_view' }, T0 + 20 * MIN)).toEqual([]);
    expect(s.timers().map((t) => t.dueAt)).toEqual([T0 + 30 * MIN]);
  });
});
