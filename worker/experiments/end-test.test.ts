import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { contactAgentName } from '../contacts/domain-events';
import { db } from '../db/client';
import { appendConsents } from '../db/queries/consents';
import { findOrCreateContactByEmail } from '../db/queries/contacts';
import { listContactEnrollments, listEnrollmentLog } from '../db/queries/enrollments';
import { findFlow, installFlows } from '../db/queries/flows';
import { listContactMessages } from '../db/queries/messages';
import { upsertStore } from '../db/queries/stores';
import { pickBranch } from '../journeys/assignment';
import { Flow } from '../journeys/flow-schema';
import { middayZone } from '../test/clock';

const MIN = 60_000;
const HOUR = 60 * MIN;
const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const d = () => db(env.DB);
const FLOW_ID = 'split-end';

const flow = Flow.parse({
  schemaVersion: 1,
  id: FLOW_ID,
  version: 1,
  name: 'Split to end',
  enabled: true,
  holdoutPercent: 0,
  nodes: [
    { type: 'trigger', id: 'start', on: { kind: 'event', event: 'customer.created' }, next: 'split' },
    { type: 'split', id: 'split', experiment: 'tone', branches: [{ key: 'warm', next: 'warm_wait' }, { key: 'brief', next: 'brief_wait' }] },
    { type: 'wait', id: 'warm_wait', until: { kind: 'duration', duration: '1h' }, next: 'warm_email' },
    { type: 'send_email', id: 'warm_email', template: 'welcome.1' },
    { type: 'wait', id: 'brief_wait', until: { kind: 'duration', duration: '1h' }, next: 'brief_email' },
    { type: 'send_email', id: 'brief_email', template: 'welcome.2' },
  ],
});
const branches = flow.nodes.flatMap((n) => (n.type === 'split' ? n.branches : []));

async function contactOn(store: string, key: string, now: number, who = key): Promise<string> {
  for (let i = 0; i < 60; i++) {
    const { contact } = await findOrCreateContactByEmail(d(), store, `${who}${i}@${store}.example`, now);
    if (pickBranch(contact.id, FLOW_ID, 'tone', branches).key !== key) continue;
    await appendConsents(d(), [{ storeId: store, contactId: contact.id, channel: 'email', purpose: 'marketing', granted: true, source: 'checkout', occurredAt: now - HOUR }]);
    return contact.id;
  }
  throw new Error(`no contact on branch ${key}`);
}

async function enter(store: string, contactId: string, at: number) {
  const agent = env.CONTACT_AGENT.getByName(contactAgentName(store, contactId));
  await agent.recordEvents([{ type: 'customer.created', id: `cc-${contactId}`, storeId: store, contactId, occurredAt: at, wooCustomerId: 1 }], at);
  return agent;
}

const end = (store: string, experiment: string, winner: string) =>
  SELF.fetch(`https://ns.test/api/flows/${FLOW_ID}/experiments/${experiment}/end?store=${store}`, { method: 'POST', headers: auth, body: JSON.stringify({ winner }) });

describe('POST /api/flows/:id/experiments/:experiment/end', () => {
  it('makes a version without the split: newcomers take the winner, a contact on the losing branch finishes it', async () => {
    const store = 'split-end-store';
    const now = Date.now();
    await upsertStore(d(), { id: store, name: 'Shop', siteUrl: 'https://shop.example', webhookSecret: 'whsec_split_0123456789', siteKey: `pk_${store}`, timezone: middayZone(now), createdAt: 1, updatedAt: 1 });
    await installFlows(d(), store, [flow], now);
    const loser = await contactOn(store, 'brief', now);
    const loserAgent = await enter(store, loser, now - 10 * MIN);

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

    const newcomer = await contactOn(store, 'brief', now, 'newcomer');
    const agent = await enter(store, newcomer, now);
    await agent.runDue(now + HOUR);
    expect((await listContactMessages(d(), store, newcomer)).map((m) => m.stepId)).toEqual(['warm_email']);
    expect((await listContactEnrollments(d(), store, newcomer))[0]).toMatchObject({ variant: null, flowVersion: 2 });
  });

  it('answers 404 for an unknown experiment, 400 for an unknown branch or a bad body', async () => {
    const store = 'split-end-errors';
    await upsertStore(d(), { id: store, name: 'Shop', siteUrl: 'https://shop.example', webhookSecret: 'whsec_split_0123456789', siteKey: `pk_${store}`, timezone: 'UTC', createdAt: 1, updatedAt: 1 });
    await installFlows(d(), store, [flow], 1);
    expect((await end(store, 'nope', 'warm')).status).toBe(404);
    const unknown = await end(store, 'tone', 'medium');
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(await unknown.json())).toContain('no branch medium');
    expect((await end(store, 'tone', 'Not A Key!')).status).toBe(400);
    expect((await findFlow(d(), store, FLOW_ID))!.version).toBe(1);
  });
});
