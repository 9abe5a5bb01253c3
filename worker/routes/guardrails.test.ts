import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../db/client';
import { findOrCreateContactByEmail } from '../db/queries/contacts';
import { upsertStore } from '../db/queries/stores';
import { JOBS } from '../jobs';
import { runScheduledJobs } from '../scheduled';

const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
const DAY = 86_400_000;

async function seed(id: string) {
  await upsertStore(db(env.DB), { id, name: id, webhookSecret: 'x'.repeat(32), siteKey: `pk_${id}`, createdAt: 1, updatedAt: 1 });
}

const url = (store: string) => `https://ns.test/api/stores/${store}/guardrails`;
const patch = (store: string, body: unknown, headers: Record<string, string> = auth) =>
  SELF.fetch(url(store), { method: 'PATCH', headers, body: JSON.stringify(body) });

describe('GET/PATCH /api/stores/:store/guardrails', () => {
  it('shows the defaults (3 emails per 7 days, 90 days to hibernation) and stores a change', async () => {
    await seed('st_gr_route');
    const res = await SELF.fetch(url('st_gr_route'), { headers: auth });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ settings: { emailCap: 3, emailWindowDays: 7, hibernationDays: 90, oneFlowPerDay: true }, hibernation: { hibernated: 0 } });
    const changed = await patch('st_gr_route', { emailCap: 2, sendTimeOptimization: false, wakeHour: 9 });
    expect(changed.status).toBe(200);
    const again = await (await SELF.fetch(url('st_gr_route'), { headers: auth })).json();
    expect(again).toMatchObject({ settings: { emailCap: 2, emailWindowDays: 7, sendTimeOptimization: false, wakeHour: 9, sleepHour: 21 } });
  });

  it('rejects bad input with 400, a missing token with 401 and an unknown store with 404', async () => {
    await seed('st_gr_bad');
    expect((await patch('st_gr_bad', { emailCap: 0 })).status).toBe(400);
    expect((await patch('st_gr_bad', { emailCap: 'three' })).status).toBe(400);
    expect((await patch('st_gr_bad', { unknownKnob: true })).status).toBe(400);
    expect((await patch('st_gr_bad', { wakeHour: 22 })).status).toBe(400);
    expect((await patch('st_gr_bad', { emailCap: 2 }, { 'Content-Type': 'application/json' })).status).toBe(401);
    expect((await SELF.fetch(url('st_gr_bad'))).status).toBe(401);
    expect((await SELF.fetch(url('st_gr_nowhere'), { headers: auth })).status).toBe(404);
  });

  it('stores the SMS window (hours and weekdays) and rejects a bad one', async () => {
    await seed('st_gr_sms');
    const defaults = await (await SELF.fetch(url('st_gr_sms'), { headers: auth })).json();
    expect(defaults).toMatchObject({ settings: { smsOpens: '08:00', smsCloses: '21:00', smsDays: [1, 2, 3, 4, 5, 6, 7] } });
    const changed = await patch('st_gr_sms', { smsOpens: '09:30', smsCloses: '20:00', smsDays: [6, 1, 2, 3, 4, 5] });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ settings: { smsOpens: '09:30', smsCloses: '20:00', smsDays: [1, 2, 3, 4, 5, 6] } });
    expect((await patch('st_gr_sms', { smsOpens: '9h' })).status).toBe(400);
    expect((await patch('st_gr_sms', { smsCloses: '09:00' })).status).toBe(400);
    expect((await patch('st_gr_sms', { smsDays: [] })).status).toBe(400);
    expect((await patch('st_gr_sms', { smsDays: [1, 1] })).status).toBe(400);
    expect((await patch('st_gr_sms', { smsDays: [0] })).status).toBe(400);
    expect((await patch('st_gr_sms', { smsCloses: '24:00' })).status).toBe(200);
  });

  it('counts the contacts the scheduled job hibernated', async () => {
    await seed('st_gr_count');
    const now = Date.UTC(2026, 10, 24, 9);
    await findOrCreateContactByEmail(db(env.DB), 'st_gr_count', 'old@example.com', now - 200 * DAY);
    await findOrCreateContactByEmail(db(env.DB), 'st_gr_count', 'new@example.com', now - DAY);
    await runScheduledJobs(JOBS.filter((j) => j.name === 'hibernation'), env, now);
    const body = await (await SELF.fetch(url('st_gr_count'), { headers: auth })).json();
    expect(body).toMatchObject({ hibernation: { hibernated: 1, checked: 2, lastCheckedAt: now } });
  });
});
