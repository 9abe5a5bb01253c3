import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../db/client';
import { listFlows } from '../db/queries/flows';
import { upsertStore } from '../db/queries/stores';
import { PRESETS } from '../journeys/presets';

const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };

async function seed(id: string) {
  await upsertStore(db(env.DB), { id, name: id, webhookSecret: 'whsec_flows_test_secret', siteKey: `pk_${id}`, createdAt: 1, updatedAt: 1 });
}

const call = (path: string, init: RequestInit = {}) => SELF.fetch(`https://ns.test/api${path}`, { headers: auth, ...init });
const patch = (path: string, body: unknown) => call(path, { method: 'PATCH', body: JSON.stringify(body) });

type Listed = { id: string; version: number; enabled: boolean; settings: { key: string; kind: string; value: unknown }[] };

describe('GET /api/flows', () => {
  it('installs the presets for an existing store on first read, all disabled, in shipped order, with their settings', async () => {
    await seed('flows-list');
    const res = await call('/flows?store=flows-list');
    expect(res.status).toBe(200);
    const { flows } = await res.json<{ flows: Listed[] }>();
    expect(flows.map((f) => f.id)).toEqual(PRESETS.map((p) => p.id));
    expect(flows.every((f) => !f.enabled && f.version === 1)).toBe(true);
    const cart = flows.find((f) => f.id === 'abandoned-cart')!;
    expect(cart.settings).toContainEqual(expect.objectContaining({ key: 'idleDelay', kind: 'duration', value: '30m' }));
    expect((await call('/flows?store=flows-list')).status).toBe(200);
    expect(await listFlows(db(env.DB), 'flows-list')).toHaveLength(PRESETS.length);
  });

  it('answers 401 without the admin token, 400 for a bad store id and 404 for unknown stores and flows', async () => {
    await seed('flows-errors');
    expect((await SELF.fetch('https://ns.test/api/flows?store=flows-errors')).status).toBe(401);
    expect((await SELF.fetch('https://ns.test/api/flows/welcome?store=flows-errors', { method: 'PATCH', body: '{}' })).status).toBe(401);
    expect((await call('/flows?store=bad%20id')).status).toBe(400);
    expect((await call('/flows')).status).toBe(400);
    expect((await call('/flows?store=nowhere')).status).toBe(404);
    expect((await call('/flows/nope?store=flows-errors')).status).toBe(404);
    expect((await patch('/flows/nope?store=flows-errors', { enabled: true })).status).toBe(404);
  });

  it('shows one flow with its definition', async () => {
    await seed('flows-one');
    const res = await call('/flows/welcome?store=flows-one');
    expect(res.status).toBe(200);
    const body = await res.json<{ flow: Listed; definition: { nodes: unknown[] } }>();
    expect(body.flow.id).toBe('welcome');
    expect(body.definition.nodes.length).toBeGreaterThan(1);
  });
});

describe('PATCH /api/flows/:id', () => {
  it('changes settings and the switch as a new version', async () => {
    await seed('flows-patch');
    const res = await patch('/flows/abandoned-cart?store=flows-patch', { enabled: true, settings: { idleDelay: '20m', followUpChannel: 'email' } });
    expect(res.status).toBe(200);
    const { flow } = await res.json<{ flow: Listed & { liveSince: number } }>();
    expect(flow).toMatchObject({ version: 2, enabled: true, liveSince: 2 });
    expect(flow.settings).toContainEqual(expect.objectContaining({ key: 'idleDelay', value: '20m' }));
    const [row] = (await listFlows(db(env.DB), 'flows-patch')).filter((f) => f.id === 'abandoned-cart');
    expect(row).toMatchObject({ version: 2, enabled: true });
    const versions = await env.DB.prepare("SELECT version FROM flow_versions WHERE store_id = 'flows-patch' AND flow_id = 'abandoned-cart' ORDER BY version").all();
    expect(versions.results).toEqual([{ version: 1 }, { version: 2 }]);
  });

  it('rejects unknown settings, wrong kinds, out-of-range numbers and unknown fields with the problems listed', async () => {
    await seed('flows-invalid');
    const res = await patch('/flows/abandoned-cart?store=flows-invalid', { settings: { nope: 1, idleDelay: 'soon', incentivePercent: 500 } });
    expect(res.status).toBe(400);
    const { error } = await res.json<{ error: { code: string; details: { problems: string[] } } }>();
    expect(error.code).toBe('bad_request');
    expect(error.details.problems).toHaveLength(3);
    expect(error.details.problems.join('\n')).toMatch(/settings\.nope: unknown setting/);
    expect(error.details.problems.join('\n')).toMatch(/settings\.incentivePercent: must be at most 100/);
    const strict = await patch('/flows/abandoned-cart?store=flows-invalid', { nodes: [] });
    expect(strict.status).toBe(400);
    expect((await call('/flows/abandoned-cart?store=flows-invalid', { method: 'PATCH', body: 'not json' })).status).toBe(400);
    const [row] = (await listFlows(db(env.DB), 'flows-invalid')).filter((f) => f.id === 'abandoned-cart');
    expect(row!.version).toBe(1);
  });
});

describe('POST /api/stores', () => {
  it('installs the presets, disabled, for the new store', async () => {
    const res = await call('/stores', { method: 'POST', body: JSON.stringify({ id: 'flows-new-store', name: 'New' }) });
    expect(res.status).toBe(201);
    const rows = await listFlows(db(env.DB), 'flows-new-store');
    expect(rows.map((r) => [r.id, r.enabled])).toEqual(PRESETS.map((p) => [p.id, false]));
  });
});
