import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../db/client';
import { findOrderCredit } from '../db/queries/attribution';
import { flowSummaries } from '../db/queries/flow-stats';
import { seedContact, seedPostmarkStore } from '../test/postmark-fixtures';
import { click, deliverOrder, enroll, HOUR, sendFlowMessage, seedWelcome, WELCOME_T as T } from '../test/measurement-fixtures';
import type { FlowExperimentResults } from '../experiments/flow-results';
import type { FlowStats } from '../measurement/flow-stats';

const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const get = (path: string, headers: Record<string, string> = auth) => SELF.fetch(`https://ns.test${path}`, { headers });

describe('GET /api/flows/:id/stats', () => {
  it('answers totals, versions, the step funnel in flow order, a gap-free daily series and exits', async () => {
    const s = 'stats-welcome';
    await seedWelcome(s);
    const res = await get(`/api/flows/welcome/stats?store=${s}&from=2026-11-02&to=2026-11-05`);
    expect(res.status).toBe(200);
    const stats = await res.json<FlowStats>();
    expect(stats.totals).toMatchObject({ entered: 2, exited: 1, sent: 3, clicked: 1, converted: 1, revenue: 64.5 });
    expect(stats.totals.rates).toMatchObject({ converted: 0.3333, clicked: 0.3333, revenuePerRecipient: 21.5 });
    expect(stats.versions.map((v) => [v.version, v.entered, v.sent])).toEqual([[1, 1, 2], [2, 1, 1]]);
    expect(stats.steps.map((st) => [st.stepId, st.channel, st.sent, st.converted, st.revenue])).toEqual([
      ['email_1', 'email', 2, 0, 0],
      ['email_2', 'email', 1, 1, 64.5],
      ['email_3', 'email', 0, 0, 0],
    ]);
    expect(stats.daily.map((day) => [day.day, day.sent, day.converted, day.revenue])).toEqual([
      ['2026-11-02', 0, 0, 0],
      ['2026-11-03', 2, 1, 64.5],
      ['2026-11-04', 1, 0, 0],
      ['2026-11-05', 0, 0, 0],
    ]);
    expect(stats.exits).toEqual([{ reason: 'ordered', count: 1 }]);
    expect(stats.attribution).toMatchObject({ emailClickHours: 120, emailOpenHours: 24, smsClickHours: 24 });
    // The holdout panel judges the contacts who entered in the period: both were treated (enrolled without the flag).
    const { experiment } = stats as FlowStats & { experiment: FlowExperimentResults };
    expect(experiment.flowId).toBe('welcome');
    expect(experiment.holdout.treated.entered).toBe(2);
    expect(experiment.holdout.heldOut.entered).toBe(0);
    expect(experiment.holdout.lift.significant).toBe(false);
    expect(experiment.experiments).toEqual([]);
  });

  it('sums every flow of the store for the flows list in one read', async () => {
    const rows = await flowSummaries(db(env.DB), 'stats-welcome', '2026-11-01', '2026-11-30');
    expect(rows).toEqual([{ flowId: 'welcome', sent: 3, converted: 1, revenue: 64.5 }]);
    expect(await flowSummaries(db(env.DB), 'stats-welcome', '2026-12-01', '2026-12-30')).toEqual([]);
  });

  it('counts only the days asked for', async () => {
    const stats = await (await get('/api/flows/welcome/stats?store=stats-welcome&from=2026-11-04&to=2026-11-04')).json<FlowStats>();
    expect(stats.totals).toMatchObject({ entered: 1, sent: 1, converted: 0, exited: 1 });
  });

  it('refuses a bad range (400), an unknown flow or store (404) and a missing token (401)', async () => {
    await seedPostmarkStore('stats-errors');
    expect((await get('/api/flows/welcome/stats?store=stats-errors&from=2026-11-05&to=2026-11-01')).status).toBe(400);
    expect((await get('/api/flows/welcome/stats?store=stats-errors&from=2025-01-01&to=2026-11-01')).status).toBe(400);
    expect((await get('/api/flows/welcome/stats?store=stats-errors&from=yesterday')).status).toBe(400);
    expect((await get('/api/flows/no-such-flow/stats?store=stats-errors')).status).toBe(404);
    expect((await get('/api/flows/welcome/stats?store=no-such-store')).status).toBe(404);
    expect((await get('/api/flows/welcome/stats?store=stats-errors', {})).status).toBe(401);
  });
});

describe('GET, PATCH /api/stores/:store/attribution', () => {
  it('shows the defaults, saves a window, and the next order is judged by it', async () => {
    const s = 'attr-settings';
    await seedPostmarkStore(s);
    expect(await (await get(`/api/stores/${s}/attribution`)).json()).toEqual({ storeId: s, emailClickHours: 120, emailOpenHours: 24, smsClickHours: 24 });
    const patch = (body: unknown) => SELF.fetch(`https://ns.test/api/stores/${s}/attribution`, { method: 'PATCH', headers: auth, body: JSON.stringify(body) });
    expect((await patch({ emailClickHours: -1 })).status).toBe(400);
    expect((await patch({ emailClicks: 3 })).status).toBe(400);
    expect((await patch({})).status).toBe(400);
    const saved = await patch({ emailClickHours: 1 });
    expect(await saved.json()).toEqual({ storeId: s, emailClickHours: 1, emailOpenHours: 24, smsClickHours: 24 });
    const a = await seedContact(s, `a@${s}.example.com`);
    await enroll(s, a, 'enr_a', 'welcome', 1, T);
    await sendFlowMessage(s, a, { id: `${s}-1`, flowId: 'welcome', stepId: 'email_1', enrollmentId: 'enr_a', sentAt: T });
    await click(s, a, `${s}-1`, T + HOUR);
    await deliverOrder(s, `${s}-order`, { id: 901, email: `a@${s}.example.com`, createdAt: T + 2 * HOUR + 1000, total: 10 }, 'order.created');
    expect(await findOrderCredit(db(env.DB), s, 901)).toBeUndefined();
  });
});
