import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { DEFAULT_GUARDRAILS, updateGuardrailSettings } from '../../db/queries/guardrail-settings';
import { insertEvents } from '../../db/queries/events';
import { upsertStore } from '../../db/queries/stores';
import { contacts, orders } from '../../db/schema';
import type { FlowInput } from '../../journeys/flow-schema';
import { replayHistory } from './replay';
import type { History } from './history-events';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Monday 5 October 2026, 00:00 UTC (02:00 in Paris). */
const MONDAY = Date.UTC(2026, 9, 5);
const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const d = () => db(env.DB);
const cart = { items: [{ productId: 10, quantity: 2, price: 20 }], value: 40, currency: 'EUR' };

/** Cart idle 1 h → email 1 → 1 day → email 2; a paid order ends it. */
const draft = {
  schemaVersion: 1,
  id: 'ignored-the-route-id-wins',
  version: 1,
  name: 'Two reminders',
  holdoutPercent: 0,
  exitOn: [{ event: 'order.paid' }],
  nodes: [
    { type: 'trigger', id: 'start', on: { kind: 'event', event: 'cart_updated' }, next: 'idle' },
    { type: 'wait', id: 'idle', until: { kind: 'duration', duration: '1h' }, next: 'e1' },
    { type: 'send_email', id: 'e1', template: 'cart.reminder.1', next: 'later' },
    { type: 'wait', id: 'later', until: { kind: 'duration', duration: '1d' }, next: 'e2' },
    { type: 'send_email', id: 'e2', template: 'cart.reminder.2' },
  ],
} satisfies FlowInput;

async function seed(store: string) {
  await upsertStore(d(), { id: store, name: 'Shop', siteUrl: 'https://shop.example', webhookSecret: 'whsec_sim_0123456789', siteKey: `pk_${store}`, timezone: 'Europe/Paris', createdAt: 1, updatedAt: 1 });
  // One promotional email a week makes every second reminder wait past the period.
  await updateGuardrailSettings(d(), store, { emailCap: 1, emailWindowDays: 7 }, 1);
  const people = [['c1', 'c1@x.test'], ['c2', 'c2@x.test'], ['c3', 'c3@x.test'], ['c4', null], ['c5', 'c5@x.test']] as const;
  await d().insert(contacts).values(people.map(([id, email]) => ({ id: `${store}-${id}`, storeId: store, email, phone: email ? null : '+33600000000', createdAt: 1, updatedAt: 1 })));
  const event = (who: string, key: string, at: number, type = 'cart_updated') => ({
    storeId: store, eventKey: `${store}-${key}`, type, visitorId: `v-${who}`, contactId: who ? `${store}-${who}` : null,
    properties: { visitorId: `v-${who}`, cart }, source: 'browser' as const, occurredAt: at, receivedAt: at,
  });
  await insertEvents(d(), [
    event('c1', 'k1', MONDAY + 8 * HOUR), // 10:00 in Paris
    event('c2', 'k2', MONDAY + 21 * HOUR + 30 * MIN), // 23:30 in Paris: the first reminder falls in the night
    event('c3', 'k3', MONDAY + 8 * HOUR),
    event('c4', 'k4', MONDAY + 8 * HOUR), // no email address
    event('c5', 'k5a', MONDAY + 2 * DAY + 8 * HOUR),
    event('c5', 'k5b', MONDAY + 2 * DAY + 8 * HOUR + 20 * MIN), // already enrolled: no second entry
    event('c1', 'k-before', MONDAY - DAY), // before the period
    event('', 'k-anon', MONDAY + 9 * HOUR), // anonymous visitor
    event('c1', 'k-other', MONDAY + 3 * HOUR, 'woo.action'), // not a journey event
  ]);
  const paid = MONDAY + 8 * HOUR + 30 * MIN;
  await d().insert(orders).values({ storeId: store, id: 9001, contactId: `${store}-c3`, status: 'processing', total: 40, couponCodes: [], attribution: {}, createdAt: paid, paidAt: paid, sourceModifiedAt: paid, updatedAt: paid });
}

const simulate = (store: string, body: unknown) =>
  SELF.fetch(`https://ns.test/api/flows/abandoned-cart/simulate?store=${store}`, { method: 'POST', headers: auth, body: JSON.stringify(body) });

describe('POST /api/flows/:id/simulate', () => {
  it('replays a known week through a draft: enrollments, sends per day and step, exits, capped and night-time sends', async () => {
    const store = 'sim-known';
    await seed(store);
    const res = await simulate(store, { definition: draft, from: new Date(MONDAY).toISOString(), to: MONDAY + 7 * DAY });
    expect(res.status).toBe(200);
    const { simulation } = await res.json<{ simulation: Record<string, unknown> }>();
    expect(simulation).toMatchObject({
      flow: { id: 'abandoned-cart', draft: true },
      truncated: false,
      contacts: 5,
      eventsReplayed: 8,
      enrollments: 5,
      heldOut: 0,
      branches: {},
      messages: { total: 3, perDay: { '2026-10-05': 1, '2026-10-06': 1, '2026-10-07': 1 }, perStep: { e1: 3 } },
      exits: { completed: 4, 'event:order.paid': 1 },
      deferred: { frequency_cap_email: 3, quiet_hours: 1 },
      skipped: { unreachable: 2 },
      deferredPastPeriod: 3,
    });
  });

  it('answers a clear 400 for a bad draft or period, and 404 for an unknown flow', async () => {
    const store = 'sim-errors';
    await seed(store);
    const broken = { ...draft, nodes: [...draft.nodes.slice(0, 4), { type: 'send_email', id: 'e2', template: 'cart.reminder.2', next: 'nowhere' }] };
    const bad = await simulate(store, { definition: broken, from: MONDAY, to: MONDAY + DAY });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('e2 points to unknown node nowhere');
    expect((await simulate(store, { from: MONDAY + DAY, to: MONDAY })).status).toBe(400);
    expect((await simulate(store, { from: MONDAY, to: MONDAY + 200 * DAY })).status).toBe(400);
    const missing = await SELF.fetch(`https://ns.test/api/flows/nope/simulate?store=${store}`, { method: 'POST', headers: auth, body: JSON.stringify({ from: MONDAY, to: MONDAY + DAY }) });
    expect(missing.status).toBe(404);
  });

  it('replays the live flow when no draft is given', async () => {
    const store = 'sim-live';
    await seed(store);
    const res = await simulate(store, { from: MONDAY, to: MONDAY + 7 * DAY });
    expect(res.status).toBe(200);
    const { simulation } = await res.json<{ simulation: { flow: { draft: boolean }; enrollments: number; eventsReplayed: number } }>();
    expect(simulation.flow.draft).toBe(false);
    expect(simulation.eventsReplayed).toBe(8);
    expect(simulation.enrollments).toBeGreaterThan(0);
  });
});

describe('replay speed', () => {
  it('replays a synthetic month of 2,000 shoppers through a split with a holdout, and logs events per second', async () => {
    const { Flow } = await import('../../journeys/flow-schema');
    const split = { type: 'split', id: 'split', experiment: 'len', branches: [{ key: 'short', weight: 1, next: 'e2' }, { key: 'long', weight: 1, next: 'idle' }] } as const;
    const nodes = [{ ...draft.nodes[0], next: 'split' }, split, ...draft.nodes.slice(1)];
    const flow = Flow.parse({ ...draft, id: 'speed', enabled: true, holdoutPercent: 10, nodes });
    const history: History = { contacts: [], events: [], orders: [], items: [], catalog: [] };
    for (let i = 0; i < 2_000; i++) {
      const id = `s${i}`;
      history.contacts.push({ id, email: `${id}@x.test`, phone: null, status: 'active', timezone: null, geoTimezone: null, locale: null, birthday: null, wooCustomerId: null, createdAt: 1 });
      for (let k = 0; k < 10; k++) {
        const at = MONDAY + ((i * 7 + k * 3) % 28) * DAY + k * HOUR;
        history.events.push({ contactId: id, key: `${id}-${k}`, type: k % 3 === 0 ? 'cart_updated' : 'product_view', properties: { cart, productId: 10 }, at });
      }
    }
    const period = { from: MONDAY, to: MONDAY + 30 * DAY };
    // workerd only moves the clock on I/O: read D1 around the replay so Date.now() brackets it.
    await d().select().from(contacts).limit(1).all();
    const started = Date.now();
    const report = replayHistory({ flow, period, storeTimezone: 'Europe/Paris', guardrails: DEFAULT_GUARDRAILS }, history);
    await d().select().from(contacts).limit(1).all();
    const ms = Math.max(1, Date.now() - started);
    expect(report.eventsReplayed).toBe(20_000);
    expect(report.enrollments).toBeGreaterThan(2_000);
    expect(Math.abs(report.heldOut / report.enrollments - 0.1)).toBeLessThan(0.03);
    expect((report.branches['len:short'] ?? 0) + (report.branches['len:long'] ?? 0)).toBe(report.enrollments);
    // Per enrollment, not per contact: the short branch ends sooner, so its contacts re-enter more often.
    expect(report.branches['len:short']).toBeGreaterThan(report.branches['len:long'] ?? 0);
    console.log(`simulator replay: ${report.eventsReplayed} events in ${ms} ms = ${Math.round((report.eventsReplayed / ms) * 1000)} events/s`);
  });
});
