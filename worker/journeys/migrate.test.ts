import { describe, expect, it } from 'vitest';
import type { CartSnapshot } from './events';
import { applyFlowPatch, type FlowPatch } from './flow-patch';
import type { Flow } from './flow-schema';
import { abandonedCart } from './presets/abandoned-cart';
import { brief, JourneySimulator, sampleContact } from './simulate';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 5, 10, 10, 0);
const cart: CartSnapshot = { value: 40, itemCount: 1, lines: [{ productId: 1, quantity: 1, price: 40 }] };

function patch(flow: Flow, body: FlowPatch): Flow {
  const result = applyFlowPatch(flow, body);
  if (!result.ok) throw new Error(result.problems.join('; '));
  return result.flow;
}

const v1 = patch(abandonedCart, { enabled: true });

function enrolled() {
  const s = new JourneySimulator([v1], sampleContact(), T0);
  s.emit({ type: 'cart_updated', cart });
  return s;
}

function logs(s: JourneySimulator) {
  return s.history.map((h) => h.action).filter((a) => a.type === 'journey_log');
}

describe('live flow version changes', () => {
  it('moves in-flight enrollments to the new version and re-bases a shortened wait on now', () => {
    const s = enrolled();
    s.flows = [patch(v1, { settings: { idleDelay: '10m' } })];
    s.emit({ type: 'page_view' }, T0 + 5 * MIN);
    expect(s.timers().map((t) => t.dueAt)).toEqual([T0 + 15 * MIN]);
    expect(logs(s)).toContainEqual(expect.objectContaining({ what: 'migrated', nodeId: 'idle', reason: 'from_version:2' }));
    expect(brief(s.advanceTo(T0 + 15 * MIN))).toEqual(['send_email cart.reminder.1', 'show_prompt cart.prompt']);
  });

  it('never stretches a wait already under way', () => {
    const s = enrolled();
    s.flows = [patch(v1, { settings: { idleDelay: '2h' } })];
    s.emit({ type: 'page_view' }, T0 + 5 * MIN);
    expect(s.timers().map((t) => t.dueAt)).toEqual([T0 + 30 * MIN]);
  });

  it('fires a timer that became overdue through the edit once, at the alarm, not a backlog', () => {
    const s = enrolled();
    s.advanceTo(T0 + 30 * MIN);
    s.flows = [patch(v1, { settings: { openWindow: '1m', audienceDelay: '2h' } })];
    const actions = s.wakeLate(T0 + 3 * DAY);
    expect(brief(actions)).toEqual(['send_sms cart.reminder.sms', 'add_to_audience abandoned-cart']);
    expect(actions.filter((a) => a.type === 'send_sms' || a.type === 'send_email')).toHaveLength(1);
    expect(s.timers()).toEqual([]);
  });

  it('lets an enrollment leave silently when its node is gone or changed kind', () => {
    const s = enrolled();
    const renamed: Flow = JSON.parse(JSON.stringify({ ...v1, version: 3 }).replaceAll('"idle"', '"idle_v3"'));
    s.flows = [renamed];
    expect(brief(s.advanceTo(T0 + DAY))).toEqual([]);
    expect(logs(s)).toContainEqual(expect.objectContaining({ what: 'exited', reason: 'flow_changed' }));
  });

  it('ends enrollments of a disabled flow and does not replay them when it is switched back on', () => {
    const s = enrolled();
    const off = patch(v1, { enabled: false });
    s.flows = [off];
    s.emit({ type: 'page_view' }, T0 + 5 * MIN);
    expect(s.timers()).toEqual([]);
    s.flows = [patch(off, { enabled: true })];
    expect(brief(s.advanceTo(T0 + 2 * DAY))).toEqual([]);
    expect(logs(s)).toContainEqual(expect.objectContaining({ what: 'exited', reason: 'flow_disabled' }));
  });

  it('drops enrollments from before a re-enable even when nothing touched them while off', () => {
    const s = enrolled();
    s.flows = [patch(patch(v1, { enabled: false }), { enabled: true })];
    expect(brief(s.advanceTo(T0 + 2 * DAY))).toEqual([]);
    expect(logs(s)).toContainEqual(expect.objectContaining({ what: 'exited', reason: 'flow_reenabled' }));
    s.emit({ type: 'cart_updated', cart }, T0 + 2 * DAY);
    expect(brief(s.advanceTo(T0 + 2 * DAY + 30 * MIN))).toEqual(['send_email cart.reminder.1', 'show_prompt cart.prompt']);
  });

  it('keeps a night-deferred SMS deferred across a version change', () => {
    const evening = Date.UTC(2026, 5, 10, 18, 0);
    const s = new JourneySimulator([v1], sampleContact(), evening);
    s.emit({ type: 'cart_updated', cart });
    s.advanceTo(evening + 90 * MIN);
    s.flows = [patch(v1, { settings: { smsTemplate: 'cart.reminder.sms2' } })];
    const morning = Date.UTC(2026, 5, 11, 6, 0);
    expect(brief(s.advanceTo(morning))).toEqual(['send_sms cart.reminder.sms2']);
  });
});
