import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../db/client';
import { listContactEnrollments, listEnrollmentLog } from '../db/queries/enrollments';
import { findFlow } from '../db/queries/flows';
import { listContactMessages } from '../db/queries/messages';
import { pickBranch } from '../journeys/assignment';
import { consentingContactWhere, customerFlow, enterCustomer, seedStoreWithFlows } from '../test/experiment-kit';

const MIN = 60_000;
const HOUR = 60 * MIN;
const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const d = () => db(env.DB);
const FLOW_ID = 'split-end';

const flow = customerFlow(FLOW_ID, 0, 'split', [
  { type: 'split', id: 'split', experiment: 'tone', branches: [{ key: 'warm', next: 'warm_wait' }, { key: 'brief', next: 'brief_wait' }] },
  { type: 'wait', id: 'warm_wait', until: { kind: 'duration', duration: '1h' }, next: 'warm_email' },
  { type: 'send_email', id: 'warm_email', template: 'welcome.1' },
  { type: 'wait', id: 'brief_wait', until: { kind: 'duration', duration: '1h' }, next: 'brief_email' },
  { type: 'send_email', id: 'brief_email', template: 'welcome.2' },
]);
const branches = flow.nodes.flatMap((n) => (n.type === 'split' ? n.branches : []));
const onBranch = (key: string) => (contactId: string) => pickBranch(contactId, FLOW_ID, 'tone', branches).key === key;

const end = (store: string, experiment: string, winner: string) =>
  SELF.fetch(`https://ns.test/api/flows/${FLOW_ID}/experiments/${experiment}/end?store=${store}`, { method: 'POST', headers: auth, body: JSON.stringify({ winner }) });

describe('POST /api/flows/:id/experiments/:experiment/end', () => {
  it('makes a version without the split: newcomers take the winner, a contact on the losing branch finishes it', async () => {
    const store = 'split-end-store';
    const now = Date.now();
    await seedStoreWithFlows(store, [flow], now);
    const loser = await consentingContactWhere(store, 'loser', now, onBranch('brief'));
    const loserAgent = await enterCustomer(store, loser, now - 10 * MIN);

    const res = await end(store, 'tone', 'warm');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ flow: { id: FLOW_ID, version: 2 } });
    const saved = (await findFlow(d(), store, FLOW_ID))!.definition;
    expect(saved.nodes.some((n) => n.type === 'split')).toBe(false);
    expect(saved.nodes.find((n) => n.id === 'start')).toMatchObject({ next: 'warm_wait' });
    expect(saved.concluded).toMatchObject([{ experiment: 'tone', winner: 'warm', branches: ['warm', 'brief'] }]);

    await loserAgent.runDue(now + HOUR);
    expect((await listContactMessages(d(), store, loser)).map((m) => m.stepId)).toEqual(['brief_email']);
    const [enrollment] = await listContactEnrollments(d(), store, loser);
    expect(enrollment).toMatchObject({ variant: 'brief', status: 'completed', flowVersion: 2 });
    expect((await listEnrollmentLog(d(), store, enrollment!.id)).map((l) => l.what)).toContain('migrated');

    const newcomer = await consentingContactWhere(store, 'newcomer', now, onBranch('brief'));
    const agent = await enterCustomer(store, newcomer, now);
    await agent.runDue(now + HOUR);
    expect((await listContactMessages(d(), store, newcomer)).map((m) => m.stepId)).toEqual(['warm_email']);
    expect((await listContactEnrollments(d(), store, newcomer))[0]).toMatchObject({ variant: null, flowVersion: 2 });
  });

  it('answers 404 for an unknown experiment, 400 for an unknown branch or a bad body', async () => {
    const store = 'split-end-errors';
    await seedStoreWithFlows(store, [flow], 1);
    expect((await end(store, 'nope', 'warm')).status).toBe(404);
    const unknown = await end(store, 'tone', 'medium');
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(await unknown.json())).toContain('no branch medium');
    expect((await end(store, 'tone', 'Not A Key!')).status).toBe(400);
    expect((await findFlow(d(), store, FLOW_ID))!.version).toBe(1);
  });
});
