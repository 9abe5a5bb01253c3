import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../db/client';
import { listReputationHistory } from '../db/queries/reputation';
import { sendingState } from '../deliverability/breaker';
import { DAY_MS } from '../deliverability/rates';
import { reputationJob } from '../deliverability/reputation-job';
import { postmark, postWebhook, seedBulkSends, seedContact, seedPostmarkStore, seedSentMessage, variant, type PostmarkFixture } from '../test/postmark-fixtures';

const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}` };
const HOUR = 60 * 60 * 1000;

function ago(ms: number): string {
  return new Date(Date.now() - ms).toISOString();
}

/** A complaint (or other bounce-shaped event) on a message of the bulk sends, at a recent time. */
function complaint(storeId: string, n: number, base: PostmarkFixture = postmark.spamComplaint, fields: Record<string, unknown> = {}) {
  return postWebhook(
    storeId,
    { ...base, ID: n, MessageID: `bulk_${storeId}-pm-${n}`, Metadata: {}, Email: `r${n}@example.org`, BouncedAt: ago(HOUR), ...fields },
    { 'X-PM-Webhook-Trace-Id': `${storeId}-${n}` },
  );
}

async function reputation(storeId: string) {
  const res = await SELF.fetch(`https://ns.test/api/stores/${storeId}/reputation`, { headers: auth });
  expect(res.status).toBe(200);
  return res.json<{
    state: { promotional: string; allowance?: number; incidentId: string | null; reason: string | null };
    banner: { code: string; message: string } | null;
    warnings: { rate: string; level: string }[];
    thresholds: Record<string, number>;
    rates: Record<'7d' | '30d', { stream: string; counts: Record<string, number>; rates: Record<string, number | null> }[]>;
    history: { fromState: string; toState: string; reason: string }[];
  }>();
}

type AlertRow = { idempotency_key: string; status: string; to: string; subject: string; text: string };

async function alerts(storeId: string): Promise<AlertRow[]> {
  const { results } = await env.DB.prepare(
    `SELECT idempotency_key, status, "to", subject, text FROM messages WHERE store_id = ? AND idempotency_key LIKE 'reputation-alert:%'`,
  )
    .bind(storeId)
    .all<AlertRow>();
  return results;
}

function post(path: string, body?: unknown, method = 'POST') {
  return SELF.fetch(`https://ns.test/api/stores/${path}`, {
    method,
    headers: { ...auth, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe('reputation circuit breaker', () => {
  it('pauses promotional sending as soon as a complaint crosses the pause rate, and alerts the admin once', async () => {
    await seedPostmarkStore('rep-pause');
    await seedBulkSends('rep-pause', 600, Date.now() - DAY_MS);
    expect((await complaint('rep-pause', 1)).status).toBe(200);
    const d = db(env.DB);
    expect(await sendingState(d, 'rep-pause', Date.now())).toMatchObject({ promotional: 'paused' });
    await complaint('rep-pause', 2);
    await complaint('rep-pause', 2);
    await reputationJob.run(env, Date.now());
    const sent = await alerts('rep-pause');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ status: 'outbox', to: 'owner@shop.example.com' });
    expect(sent[0]?.subject).toContain('Envois promotionnels suspendus');
    expect(sent[0]?.text).toContain('Taux de plaintes');
    const view = await reputation('rep-pause');
    expect(view.state).toMatchObject({ promotional: 'paused', reason: expect.stringContaining('complaint') });
    expect(sent[0]?.idempotency_key).toBe(`reputation-alert:${view.state.incidentId}`);
    expect(view.banner).toMatchObject({ code: 'paused' });
    expect(view.history).toEqual([expect.objectContaining({ fromState: 'open', toState: 'paused' })]);
    const broadcast = view.rates['7d'].find((s) => s.stream === 'broadcast');
    expect(broadcast?.counts).toMatchObject({ sent: 600, complained: 2 });
    expect(broadcast?.rates.complaint).toBeCloseTo(2 / 600);
  });

  it('only warns below the pause rate, and never pauses below the minimum volume', async () => {
    await seedPostmarkStore('rep-warn');
    await seedBulkSends('rep-warn', 2000, Date.now() - DAY_MS);
    await complaint('rep-warn', 1);
    const warned = await reputation('rep-warn');
    expect(warned.state.promotional).toBe('open');
    expect(warned.banner).toMatchObject({ code: 'warning' });
    expect(warned.warnings).toEqual([expect.objectContaining({ rate: 'complaint', level: 'warn' })]);

    await seedPostmarkStore('rep-small');
    await seedBulkSends('rep-small', 3, Date.now() - DAY_MS);
    await complaint('rep-small', 1);
    expect((await reputation('rep-small')).state.promotional).toBe('open');
    expect(await alerts('rep-small')).toEqual([]);
  });

  it('pauses on hard bounces too; soft bounces do not count', async () => {
    await seedPostmarkStore('rep-bounce');
    await seedBulkSends('rep-bounce', 500, Date.now() - DAY_MS);
    for (let n = 1; n <= 30; n++) await complaint('rep-bounce', n, postmark.bounce, { Type: 'SoftBounce', TypeCode: 4096, Inactive: false });
    expect((await reputation('rep-bounce')).state.promotional).toBe('open');
    for (let n = 31; n <= 55; n++) await complaint('rep-bounce', n, postmark.bounce);
    const view = await reputation('rep-bounce');
    expect(view.state).toMatchObject({ promotional: 'paused', reason: expect.stringContaining('hardBounce') });
  });

  it('resumes in slow start when the admin acknowledges, judging only what happens afterwards', async () => {
    await seedPostmarkStore('rep-ack', { adminEmail: null });
    await seedBulkSends('rep-ack', 600, Date.now() - DAY_MS);
    expect((await post('rep-ack/reputation/ack')).status).toBe(409);
    await complaint('rep-ack', 1);
    expect((await reputation('rep-ack')).state.promotional).toBe('paused');
    expect(await alerts('rep-ack')).toEqual([]);

    const ack = await post('rep-ack/reputation/ack');
    expect(ack.status).toBe(200);
    expect(await ack.json()).toMatchObject({ state: { promotional: 'slow_start', dailyCap: 100, allowance: 100 } });
    await seedBulkSends('rep-ack', 30, Date.now() + 1000, 'after');
    expect(await sendingState(db(env.DB), 'rep-ack', Date.now() + 2000)).toMatchObject({ promotional: 'slow_start', allowance: 70 });
    expect(await sendingState(db(env.DB), 'rep-ack', Date.now() + DAY_MS + 2000)).toMatchObject({ dailyCap: 200, allowance: 200 });
    await complaint('rep-ack', 2);
    expect((await reputation('rep-ack')).state.promotional).toBe('slow_start');
    expect((await post('rep-ack/reputation/ack')).status).toBe(409);
    const history = await listReputationHistory(db(env.DB), 'rep-ack');
    expect(history.map((h) => [h.fromState, h.toState, h.reason])).toEqual([
      ['paused', 'slow_start', 'acknowledged'],
      ['open', 'paused', expect.stringContaining('complaint')],
    ]);
  });

  it('lets the scheduled job lift a pause once the rates recovered, then open fully after the slow start', async () => {
    await seedPostmarkStore('rep-job');
    await seedBulkSends('rep-job', 600, Date.now() - DAY_MS);
    await complaint('rep-job', 1);
    const d = db(env.DB);
    await reputationJob.run(env, Date.now() + 3 * DAY_MS);
    expect((await sendingState(d, 'rep-job', Date.now() + 3 * DAY_MS)).promotional).toBe('paused');
    const later = Date.now() + 8 * DAY_MS;
    await reputationJob.run(env, later);
    expect(await sendingState(d, 'rep-job', later)).toMatchObject({ promotional: 'slow_start', dailyCap: 100 });
    await reputationJob.run(env, later + 7 * DAY_MS);
    expect((await sendingState(d, 'rep-job', later + 7 * DAY_MS)).promotional).toBe('open');
    const reasons = (await listReputationHistory(d, 'rep-job')).map((h) => h.reason);
    expect(reasons.slice(0, 2)).toEqual(['slow_start_complete', 'rates_recovered']);
    expect(await alerts('rep-job')).toHaveLength(1);
  });
});

describe('reputation rates', () => {
  it('divides distinct delivered/opened/clicked messages by the sends of their stream', async () => {
    await seedPostmarkStore('rep-rates');
    const contactId = await seedContact('rep-rates', 'jane.doe@example.com');
    const sentAt = Date.now() - 2 * DAY_MS;
    for (const n of [1, 2, 3, 4]) await seedSentMessage('rep-rates', contactId, { id: `snd_r${n}`, providerMessageId: `pm-r${n}`, sentAt });
    await seedSentMessage('rep-rates', contactId, { id: 'snd_confirm', providerMessageId: 'pm-confirm', sentAt, flowId: null });
    await seedSentMessage('rep-rates', contactId, { id: 'snd_old', providerMessageId: 'pm-old', sentAt: Date.now() - 20 * DAY_MS });
    const recent = { DeliveredAt: ago(DAY_MS), ReceivedAt: ago(DAY_MS) };
    const ref = (n: number) => ({ storeId: 'rep-rates', contactId, sendId: `snd_r${n}` });
    for (const n of [1, 2, 3]) await postWebhook('rep-rates', variant(postmark.delivery, ref(n), { ...recent, MessageID: `pm-r${n}` }));
    await postWebhook('rep-rates', variant(postmark.open, ref(1), recent), { 'X-PM-Webhook-Trace-Id': 'o1' });
    await postWebhook('rep-rates', variant(postmark.open, ref(1), { ...recent, FirstOpen: false }), { 'X-PM-Webhook-Trace-Id': 'o2' });
    await postWebhook('rep-rates', variant(postmark.click, ref(2), recent));
    const view = await reputation('rep-rates');
    const week = Object.fromEntries(view.rates['7d'].map((s) => [s.stream, s]));
    expect(week.broadcast?.counts).toEqual({ sent: 4, delivered: 3, opened: 1, clicked: 1, hardBounced: 0, complained: 0, unsubscribed: 0 });
    expect(week.broadcast?.rates).toMatchObject({ delivery: 0.75, open: 0.25, click: 0.25, complaint: 0 });
    expect(week.outbound?.counts.sent).toBe(1);
    const month = view.rates['30d'].find((s) => s.stream === 'broadcast');
    expect(month?.counts.sent).toBe(5);
    expect(view.banner).toBeNull();
  });
});

describe('reputation thresholds', () => {
  it('are configurable per store and validated', async () => {
    await seedPostmarkStore('rep-thr');
    expect((await post('rep-thr/reputation/thresholds', { complaintWarn: 0.01, complaintPause: 0.002 }, 'PATCH')).status).toBe(400);
    expect((await post('rep-thr/reputation/thresholds', { surprise: 1 }, 'PATCH')).status).toBe(400);
    expect((await post('rep-thr/reputation/thresholds', { minVolume: -1 }, 'PATCH')).status).toBe(400);
    const noAuth = await SELF.fetch('https://ns.test/api/stores/rep-thr/reputation/thresholds', { method: 'PATCH', body: '{}' });
    expect(noAuth.status).toBe(401);
    expect((await post('nowhere/reputation/thresholds', { minVolume: 1 }, 'PATCH')).status).toBe(404);

    const ok = await post('rep-thr/reputation/thresholds', { minVolume: 1000, complaintPause: 0.002 }, 'PATCH');
    expect(ok.status).toBe(200);
    expect((await reputation('rep-thr')).thresholds).toMatchObject({ minVolume: 1000, complaintPause: 0.002, complaintWarn: 0.0004, hardBouncePause: 0.05 });

    await seedBulkSends('rep-thr', 600, Date.now() - DAY_MS);
    await complaint('rep-thr', 1);
    expect((await reputation('rep-thr')).state.promotional).toBe('open');
  });

  it('needs the admin token to read', async () => {
    await seedPostmarkStore('rep-auth');
    expect((await SELF.fetch('https://ns.test/api/stores/rep-auth/reputation')).status).toBe(401);
    expect((await SELF.fetch('https://ns.test/api/stores/nowhere/reputation', { headers: auth })).status).toBe(404);
  });
});
