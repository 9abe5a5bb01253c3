import { describe, expect, it } from 'vitest';
import type { JourneyAction } from './actions';
import { inHoldout, pickBranch, unitHash } from './assignment';
import { endSplit } from './experiment-end';
import { applyFlowPatch } from './flow-patch';
import { Flow, type FlowInput } from './flow-schema';
import { brief, JourneySimulator, sampleContact } from './simulate';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 10:00 in Paris. */
const T0 = Date.UTC(2026, 5, 10, 8, 0);

/** 3 emails over 5 days against 5 emails over 10 days, the issue's own example. */
function lengthTest(overrides: Partial<FlowInput> = {}): Flow {
  const email = (id: string, next?: string) => ({ type: 'send_email' as const, id, template: `welcome.${id}`, ...(next ? { next } : {}) });
  const wait = (id: string, duration: string, next: string) => ({ type: 'wait' as const, id, until: { kind: 'duration' as const, duration }, next });
  return Flow.parse({
    schemaVersion: 1,
    id: 'welcome-test',
    version: 1,
    name: 'Welcome length test',
    enabled: true,
    holdoutPercent: 0,
    nodes: [
      { type: 'trigger', id: 'start', on: { kind: 'event', event: 'customer.created' }, next: 'split' },
      { type: 'split', id: 'split', experiment: 'length', branches: [{ key: 'short', weight: 1, next: 's1' }, { key: 'long', weight: 1, next: 'l1' }] },
      email('s1', 's1w'), wait('s1w', '2d', 's2'), email('s2', 's2w'), wait('s2w', '3d', 's3'), email('s3'),
      email('l1', 'l1w'), wait('l1w', '2d', 'l2'), email('l2', 'l2w'), wait('l2w', '2d', 'l3'), email('l3', 'l3w'),
      wait('l3w', '3d', 'l4'), email('l4', 'l4w'), wait('l4w', '3d', 'l5'), email('l5'),
    ],
    ...overrides,
  } satisfies FlowInput);
}

function ids(n: number, prefix = 'ct_'): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${i.toString(36)}${(i * 7919).toString(36)}`);
}

function logsOf(actions: JourneyAction[]) {
  return actions.filter((a) => a.type === 'journey_log');
}

describe('stable assignment', () => {
  it('spreads 10,000 contacts by the branch weights within tolerance', () => {
    const branches = [{ key: 'a', weight: 1, next: 'x' }, { key: 'b', weight: 3, next: 'y' }];
    const counts = { a: 0, b: 0 };
    for (const id of ids(10_000)) counts[pickBranch(id, 'f', 'length', branches).key as 'a' | 'b'] += 1;
    // Expected 2,500 / 7,500; binomial sd ≈ 43, so ±200 is more than 4 sd.
    expect(Math.abs(counts.a - 2_500)).toBeLessThan(200);
    expect(counts.a + counts.b).toBe(10_000);
  });

  it('holds out the chosen share of 10,000 contacts, and nobody at 0 %', () => {
    const held = ids(10_000).filter((id) => inHoldout(id, 'welcome', 10)).length;
    expect(Math.abs(held - 1_000)).toBeLessThan(120);
    expect(ids(1_000).some((id) => inHoldout(id, 'welcome', 0))).toBe(false);
  });

  it('keeps the holdout and the split independent of each other', () => {
    const branches = [{ key: 'a', weight: 1, next: 'x' }, { key: 'b', weight: 1, next: 'y' }];
    const heldA = ids(10_000).filter((id) => inHoldout(id, 'f', 50) && pickBranch(id, 'f', 'e', branches).key === 'a').length;
    expect(Math.abs(heldA - 2_500)).toBeLessThan(200);
    expect(unitHash('same')).toBe(unitHash('same'));
  });

  it('lands a contact on the same branch after the flow was edited (new version) and on re-entry', () => {
    const v1 = lengthTest();
    const edited = applyFlowPatch(v1, { holdoutPercent: 0 });
    if (!edited.ok) throw new Error(edited.problems.join());
    expect(edited.flow.version).toBe(2);
    for (const id of ids(40)) {
      const first = new JourneySimulator([v1], sampleContact({ id }), T0);
      const second = new JourneySimulator([edited.flow], sampleContact({ id }), T0 + DAY);
      const variantOf = (s: JourneySimulator, at: number) =>
        logsOf(s.emit({ type: 'customer.created' }, at)).find((a) => a.what === 'assigned')?.variant;
      const before = variantOf(first, T0);
      expect(variantOf(second, T0 + DAY)).toBe(before);
      expect(before).toBe(pickBranch(id, 'welcome-test', 'length', v1.nodes.flatMap((n) => (n.type === 'split' ? n.branches : []))).key);
    }
  });

  it('walks each branch as a whole sequence: 3 emails over 5 days against 5 over 10', () => {
    const [short, long] = [ids(200).find((id) => pickBranch(id, 'welcome-test', 'length', splitOf().branches).key === 'short')!, ids(200).find((id) => pickBranch(id, 'welcome-test', 'length', splitOf().branches).key === 'long')!];
    for (const [id, expected] of [[short, 3], [long, 5]] as const) {
      const s = new JourneySimulator([lengthTest()], sampleContact({ id }), T0);
      s.emit({ type: 'customer.created' });
      s.advanceTo(T0 + 11 * DAY);
      const sends = s.history.filter((h) => h.action.type === 'send_email');
      expect(sends).toHaveLength(expected);
      expect(sends.at(-1)!.at - T0).toBe(expected === 3 ? 5 * DAY : 10 * DAY);
    }
  });

  it('rejects two splits for one experiment and duplicate branch keys', () => {
    const bad = Flow.safeParse({
      ...lengthTest(),
      nodes: lengthTest().nodes.map((n) => (n.type === 'split' ? { ...n, branches: [n.branches[0], { ...n.branches[1], key: 'short' }] } : n)),
    });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toContain('two branches with the same key');
  });
});

function splitOf() {
  const split = lengthTest().nodes.find((n) => n.type === 'split');
  if (split?.type !== 'split') throw new Error('no split');
  return split;
}

describe('per-flow holdout', () => {
  const everyEffect = (holdoutPercent: number) =>
    Flow.parse({
      schemaVersion: 1,
      id: 'holdout-flow',
      version: 1,
      name: 'Holdout',
      enabled: true,
      holdoutPercent,
      nodes: [
        { type: 'trigger', id: 'start', on: { kind: 'event', event: 'cart_updated' }, next: 'wait' },
        { type: 'wait', id: 'wait', until: { kind: 'duration', duration: '1h' }, next: 'coupon' },
        { type: 'issue_coupon', id: 'coupon', discountType: 'percent', amount: 10, next: 'email' },
        { type: 'send_email', id: 'email', template: 'cart.reminder.1', next: 'sms' },
        { type: 'send_sms', id: 'sms', template: 'cart.sms', next: 'prompt' },
        { type: 'onsite_prompt', id: 'prompt', template: 'cart.prompt', next: 'audience' },
        { type: 'add_to_audience', id: 'audience', audience: 'carts', next: 'hook' },
        { type: 'webhook', id: 'hook', url: 'https://hooks.test/in', next: 'tag' },
        { type: 'set_tag', id: 'tag', tag: 'reminded' },
      ],
    } satisfies FlowInput);

  it('walks a held-out contact through the flow with nothing sent, and says why in the log', () => {
    const flow = everyEffect(50);
    const id = ids(100).find((x) => inHoldout(x, 'holdout-flow', 50))!;
    const s = new JourneySimulator([flow], sampleContact({ id }), T0);
    const entry = logsOf(s.emit({ type: 'cart_updated' }));
    expect(entry).toContainEqual(expect.objectContaining({ what: 'enrolled', heldOut: true }));
    const later = s.advanceTo(T0 + 2 * HOUR);
    expect(brief(later)).toEqual(['set_tag +reminded']);
    const skipped = logsOf(later).filter((a) => a.what === 'skipped');
    expect(skipped.map((a) => [a.nodeId, a.reason])).toEqual(
      ['coupon', 'email', 'sms', 'prompt', 'audience', 'hook'].map((nodeId) => [nodeId, 'held_out']),
    );
    expect(logsOf(later)).toContainEqual(expect.objectContaining({ what: 'completed' }));
  });

  it('credits a held-out contact with the conversion like anyone else', () => {
    const flow = everyEffect(50);
    const id = ids(100).find((x) => inHoldout(x, 'holdout-flow', 50))!;
    const s = new JourneySimulator([flow], sampleContact({ id }), T0);
    s.emit({ type: 'cart_updated' });
    const order = { id: 7, total: 40, items: [], productIds: [], categoryIds: [] };
    const converted = logsOf(s.emit({ type: 'order.placed', order }, T0 + 3 * DAY)).filter((a) => a.what === 'converted');
    expect(converted).toHaveLength(1);
  });

  it('sends everything to a treated contact of the same flow', () => {
    const flow = everyEffect(50);
    const id = ids(100).find((x) => !inHoldout(x, 'holdout-flow', 50))!;
    const s = new JourneySimulator([flow], sampleContact({ id }), T0);
    s.emit({ type: 'cart_updated' });
    expect(brief(s.advanceTo(T0 + 2 * HOUR))).toEqual([
      'issue_coupon 10%', 'send_email cart.reminder.1', 'send_sms cart.sms', 'show_prompt cart.prompt',
      'add_to_audience carts', 'call_webhook https://hooks.test/in', 'set_tag +reminded',
    ]);
  });
});

describe('ending a test', () => {
  const contactOn = (key: string) => ids(200).find((id) => pickBranch(id, 'welcome-test', 'length', splitOf().branches).key === key)!;

  it('sends every new entrant down the winner and lets a contact on the losing branch finish it', () => {
    const v1 = lengthTest();
    const ended = endSplit(v1, 'length', 'long', T0 + DAY);
    if (!ended.ok) throw new Error(ended.problems.join());
    expect(ended.flow.version).toBe(2);
    expect(ended.flow.nodes.find((n) => n.type === 'trigger')).toMatchObject({ next: 'l1' });
    expect(ended.flow.concluded).toEqual([{ experiment: 'length', winner: 'long', branches: ['short', 'long'], endedAt: T0 + DAY }]);

    const loser = new JourneySimulator([v1], sampleContact({ id: contactOn('short') }), T0);
    loser.emit({ type: 'customer.created' });
    loser.flows = [ended.flow];
    loser.advanceTo(T0 + 11 * DAY);
    expect(loser.history.filter((h) => h.action.type === 'send_email').map((h) => h.action.type === 'send_email' && h.action.template))
      .toEqual(['welcome.s1', 'welcome.s2', 'welcome.s3']);

    const newcomer = new JourneySimulator([ended.flow], sampleContact({ id: contactOn('short') }), T0 + 2 * DAY);
    newcomer.emit({ type: 'customer.created' });
    newcomer.advanceTo(T0 + 13 * DAY);
    expect(newcomer.history.filter((h) => h.action.type === 'send_email')).toHaveLength(5);
  });

  it('refuses an unknown experiment or branch', () => {
    expect(endSplit(lengthTest(), 'nope', 'long', T0)).toMatchObject({ ok: false, code: 'unknown_experiment' });
    expect(endSplit(lengthTest(), 'length', 'medium', T0)).toMatchObject({ ok: false, code: 'unknown_branch' });
  });
});
