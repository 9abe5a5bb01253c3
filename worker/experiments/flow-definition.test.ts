import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../db/client';
import { listContactEnrollments } from '../db/queries/enrollments';
import { findFlow } from '../db/queries/flows';
import { listContactMessages } from '../db/queries/messages';
import { pickBranch } from '../journeys/assignment';
import type { FlowInput, FlowNode } from '../journeys/flow-schema';
import { welcome } from '../journeys/presets/welcome';
import { consentingContactWhere, customerFlow, enterCustomer, seedStoreWithFlows } from '../test/experiment-kit';
import { startSequenceTest } from './sequence-test';

const MIN = 60_000;
const DAY = 86_400_000;
const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const d = () => db(env.DB);
const FLOW_ID = 'length';

const base = customerFlow(FLOW_ID, 0, 'e1', [{ type: 'send_email', id: 'e1', template: 'welcome.1' }]);

/** The example: 3 emails over 5 days against 5 emails over 10 days, 50/50. */
function lengthTest(shortWait: string, weights: [number, number] = [1, 1]): FlowInput {
  const email = (id: string, next?: string) => ({ type: 'send_email' as const, id, template: 'welcome.1', ...(next ? { next } : {}) });
  const wait = (id: string, duration: string, next: string) => ({ type: 'wait' as const, id, until: { kind: 'duration' as const, duration }, next });
  return {
    schemaVersion: 1,
    id: FLOW_ID,
    version: 1,
    name: 'Length test',
    enabled: true,
    holdoutPercent: 0,
    nodes: [
      { type: 'trigger', id: 'start', on: { kind: 'event', event: 'customer.created' }, next: 'split' },
      { type: 'split', id: 'split', experiment: 'length', branches: [{ key: 'short', weight: weights[0], next: 's1' }, { key: 'long', weight: weights[1], next: 'l1' }] },
      email('s1', 's1w'), wait('s1w', shortWait, 's2'), email('s2', 's2w'), wait('s2w', '3d', 's3'), email('s3'),
      email('l1', 'l1w'), wait('l1w', '2d', 'l2'), email('l2', 'l2w'), wait('l2w', '2d', 'l3'), email('l3', 'l3w'),
      wait('l3w', '3d', 'l4'), email('l4', 'l4w'), wait('l4w', '3d', 'l5'), email('l5'),
    ],
  };
}

const put = (store: string, body: unknown) =>
  SELF.fetch(`https://ns.test/api/flows/${FLOW_ID}/definition?store=${store}`, { method: 'PUT', headers: auth, body: JSON.stringify(body) });

describe('PUT /api/flows/:id/definition', () => {
  it('saves a split of whole sequences as a new version, and a later version keeps every contact on its branch', async () => {
    const store = 'definition-split';
    const now = Date.now();
    await seedStoreWithFlows(store, [base], now);
    const saved = await put(store, { definition: lengthTest('2d'), expectedVersion: 1 });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ flow: { id: FLOW_ID, version: 2, enabled: true } });
    const branches = (await findFlow(d(), store, FLOW_ID))!.definition.nodes.flatMap((n) => (n.type === 'split' ? n.branches : []));
    expect(branches).toEqual([{ key: 'short', weight: 1, next: 's1' }, { key: 'long', weight: 1, next: 'l1' }]);

    const onLong = await consentingContactWhere(store, 'long', now, (id) => pickBranch(id, FLOW_ID, 'length', branches).key === 'long');
    const agent = await enterCustomer(store, onLong, now - 10 * MIN);
    // Version 3 changes a wait of the other branch: the contact already on `long` stays there.
    expect((await put(store, { definition: lengthTest('1d') })).status).toBe(200);
    for (let day = 0; day <= 12; day++) await agent.runDue(now + day * DAY);
    expect((await listContactMessages(d(), store, onLong)).map((m) => m.stepId).sort()).toEqual(['l1', 'l2', 'l3', 'l4', 'l5']);
    expect((await listContactEnrollments(d(), store, onLong))[0]).toMatchObject({ variant: 'long', flowVersion: 3, status: 'completed' });
  });

  it('keeps an owner-saved definition of a shipped flow: the preset upgrade on the next listing leaves it alone', async () => {
    const store = 'definition-preset';
    await seedStoreWithFlows(store, [], Date.now());
    const before = (await (await SELF.fetch(`https://ns.test/api/flows/abandoned-cart?store=${store}`, { headers: auth })).json()) as { flow: { version: number } };
    const res = await SELF.fetch(`https://ns.test/api/flows/abandoned-cart/definition?store=${store}`, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify({ definition: { ...lengthTest('2d'), id: 'abandoned-cart' }, expectedVersion: before.flow.version }),
    });
    expect(res.status).toBe(200);
    expect((await SELF.fetch(`https://ns.test/api/flows?store=${store}`, { headers: auth })).status).toBe(200);
    const saved = (await findFlow(d(), store, 'abandoned-cart'))!.definition;
    expect(saved).toMatchObject({ version: before.flow.version + 1, customNodes: true });
    expect(saved.nodes.find((n) => n.type === 'split')).toMatchObject({ experiment: 'length' });
  });

  it('refuses a broken graph, another id, new weights for a running test, a reused test name and a stale version', async () => {
    const store = 'definition-refusals';
    await seedStoreWithFlows(store, [base], 1);
    const broken = { ...lengthTest('2d'), nodes: lengthTest('2d').nodes.filter((n) => n.id !== 'l3') };
    const bad = await put(store, { definition: broken });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('l2w points to unknown node l3');
    expect((await put(store, { definition: { ...lengthTest('2d'), id: 'other' } })).status).toBe(400);
    expect((await put(store, { definition: lengthTest('2d'), extra: 1 })).status).toBe(400);
    expect((await put(store, { definition: lengthTest('2d') })).status).toBe(200);
    const reweighted = await put(store, { definition: lengthTest('2d', [1, 3]) });
    expect(reweighted.status).toBe(400);
    expect(JSON.stringify(await reweighted.json())).toContain('its branches and weights cannot change');
    expect((await put(store, { definition: lengthTest('2d'), expectedVersion: 1 })).status).toBe(409);
    const end = await SELF.fetch(`https://ns.test/api/flows/${FLOW_ID}/experiments/length/end?store=${store}`, { method: 'POST', headers: auth, body: JSON.stringify({ winner: 'long' }) });
    expect(end.status).toBe(200);
    const reused = await put(store, { definition: lengthTest('2d') });
    expect(reused.status).toBe(400);
    expect(JSON.stringify(await reused.json())).toContain('experiment length was already ended');
    expect((await findFlow(d(), store, FLOW_ID))!.definition).toMatchObject({ version: 3, concluded: [{ experiment: 'length', winner: 'long' }] });
  });
});

describe('startSequenceTest', () => {
  it('puts a split after the triggers: branch a is the flow as shipped, branch b the chosen steps after their waits', () => {
    const result = startSequenceTest(welcome, {
      experiment: 'ab-2',
      steps: [{ stepId: 'email_1', waitBefore: '0s' }, { stepId: 'email_2', waitBefore: '1d' }, { stepId: 'email_2', waitBefore: '2d' }],
      weights: [70, 30],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const nodes = new Map(result.flow.nodes.map((n) => [n.id, n]));
    expect(result.flow).toMatchObject({ version: welcome.version + 1, customNodes: true });
    expect(nodes.get('signup')).toMatchObject({ next: 'split_ab-2' });
    expect(nodes.get('account')).toMatchObject({ next: 'split_ab-2' });
    expect(nodes.get('split_ab-2')).toMatchObject({ experiment: 'ab-2', branches: [{ key: 'a', weight: 70, next: 'email_1' }, { key: 'b', weight: 30, next: 'b1_wait' }] });
    const walk: string[] = [];
    for (let id: string | undefined = 'b1_wait'; id; ) {
      const node: FlowNode = nodes.get(id)!;
      walk.push(node.type === 'wait' && node.until.kind === 'duration' ? `wait ${String(node.until.duration)}` : `${node.type} ${id}`);
      id = 'next' in node ? node.next : undefined;
    }
    expect(walk).toEqual(['wait 0s', 'send_email b1_email_1', 'wait 1d', 'send_email b2_email_2', 'wait 2d', 'send_email b3_email_2']);
    expect(nodes.get('b1_email_1')).toMatchObject({ template: { setting: 'firstTemplate' }, choices: [{ key: 'new' }, { key: 'deals' }, { key: 'gifts' }] });
  });

  it('refuses a second test, an unknown step and an empty branch', () => {
    const first = startSequenceTest(welcome, { experiment: 'ab-2', steps: [{ stepId: 'email_3', waitBefore: '1d' }], weights: [1, 1] });
    expect(first.ok && startSequenceTest(first.flow, { experiment: 'ab-3', steps: [{ stepId: 'email_1', waitBefore: '1d' }], weights: [1, 1] })).toMatchObject({ ok: false });
    expect(startSequenceTest(welcome, { experiment: 'x', steps: [{ stepId: 'choice', waitBefore: '1d' }], weights: [1, 1] })).toEqual({ ok: false, problems: ['unknown step choice'] });
    expect(startSequenceTest(welcome, { experiment: 'x', steps: [], weights: [1, 1] })).toMatchObject({ ok: false });
  });
});
