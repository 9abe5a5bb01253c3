// Provider faults and machine failures around real sends: cart reminders for stores whose Postmark answers
// 500, 429 with Retry-After, 422, 406 (inactive recipient) or accepts and never answers; then `kill -9` of
// wrangler dev while sends hang, and while cart timers are pending. Duplicates are messages the Postmark fake
// accepted more than once (by the send id in Metadata); losses are reminders that never reached a final
// state, or that should have been delivered and were not.
import { randomBytes } from 'node:crypto';
import { cartBatch, enableAbandonedCart, postSigned } from '../lib/journey-kit.mjs';
import { d1Read, pool, sleep, sqlQuote } from './harness.mjs';

const SHOPPERS = 5;
const FAULTS = [
  { kind: 500, times: 2, delivered: true },
  { kind: 429, times: 2, delivered: true },
  { kind: 'hang', times: 1, delivered: true },
  { kind: 422, times: 1, delivered: false },
  { kind: 406, times: 1, delivered: false },
];
const storeOf = (kind) => ({ id: `chaos-pm-${kind}`, webhookSecret: `whsec_chaos_pm_${kind}_${randomBytes(4).toString('hex')}`, token: `pm-chaos-${kind}-${randomBytes(4).toString('hex')}` });
export const FAULT_STORES = FAULTS.map((f) => ({ ...storeOf(f.kind), fault: f }));
export const KILL_SEND_STORE = storeOf('kill');
export const KILL_TIMER_STORE = { id: 'chaos-timers', webhookSecret: `whsec_chaos_timers_${randomBytes(4).toString('hex')}` };
export const postmarkTokens = () => Object.fromEntries([...FAULT_STORES, KILL_SEND_STORE].map((s) => [s.token, s.id]));

const FLOW = { openWindow: '1h', audienceDelay: '2h', incentiveEnabled: false };
const OPEN = ['queued', 'sending'];

async function startCarts({ worker, admin, store, idleDelay, run }) {
  if (store.token) await admin.patch(`/api/stores/${store.id}/settings`, { postmarkServerToken: store.token, fromEmail: `shop@${store.id}.example` });
  await enableAbandonedCart(admin, store.id, { ...FLOW, idleDelay });
  const emails = Array.from({ length: SHOPPERS }, (_, i) => `chaos.${store.id}.${i}+${run}@example.com`);
  await pool(emails, SHOPPERS, (email, i) => postSigned(worker.url, store.webhookSecret, cartBatch({ storeId: store.id, visitorId: `v_chaos_${store.id}_${i}_${run}`, email })));
  return emails;
}

const rowsSql = (ids) => `SELECT id, store_id AS storeId, status, "to" FROM messages WHERE store_id IN (${ids.map(sqlQuote).join(', ')}) AND step_id = 'email_1'`;

/** Fires the cron triggers wrangler dev would not fire by itself (sweeps of stuck sends live there). */
async function tickCrons(worker, fetcher) {
  for (const cron of ['* * * * *', '*/15 * * * *']) {
    const res = await fetcher(`${worker.url}/__scheduled?cron=${encodeURIComponent(cron)}`).catch(() => null);
    await res?.arrayBuffer();
  }
}

/** Waits until every expected reminder row exists and none is still queued or sending (cron ticks every 10 s). */
async function waitFinal({ worker, fetcher, storeIds, expected, timeoutMs }) {
  const deadline = Date.now() + timeoutMs;
  let lastTick = 0;
  for (;;) {
    const rows = await d1Read(rowsSql(storeIds), worker.persistTo);
    if ((rows.length >= expected && rows.every((r) => !OPEN.includes(r.status))) || Date.now() > deadline) return rows;
    if (Date.now() - lastTick > 10_000) {
      lastTick = Date.now();
      await tickCrons(worker, fetcher);
    }
    await sleep(1_000);
  }
}

function countOutcome({ rows, fake, store, delivered, tally }) {
  const accepted = fake.sent.filter((m) => m.label === store.id);
  const bySend = Map.groupBy(accepted, (m) => m.Metadata?.send_id ?? m.MessageID);
  for (const [sendId, copies] of bySend) {
    if (copies.length > 1) {
      tally.duplicates += copies.length - 1;
      tally.notes.push(`${store.id}: send ${sendId} accepted ${copies.length} times`);
    }
  }
  const mine = rows.filter((r) => r.storeId === store.id);
  const missing = SHOPPERS - mine.length;
  const open = mine.filter((r) => OPEN.includes(r.status)).length;
  const undelivered = delivered ? mine.filter((r) => r.status !== 'sent' || !bySend.has(r.id)).length : open;
  const lost = missing + (delivered ? undelivered : open);
  if (lost) tally.notes.push(`${store.id}: ${missing} reminders missing, statuses ${JSON.stringify(mine.map((r) => r.status))}`);
  tally.lost += lost;
}

export async function providerFaultScenario({ worker, fetcher, admin, fake, proxy, tally }) {
  const run = randomBytes(3).toString('hex');
  for (const s of FAULT_STORES) proxy.faults[s.token] = { kind: s.fault.kind, times: s.fault.times };
  await pool(FAULT_STORES, FAULT_STORES.length, (store) => startCarts({ worker, admin, store, idleDelay: '2s', run }));
  const rows = await waitFinal({ worker, fetcher, storeIds: FAULT_STORES.map((s) => s.id), expected: SHOPPERS * FAULT_STORES.length, timeoutMs: 150_000 });
  for (const store of FAULT_STORES) countOutcome({ rows, fake, store, delivered: store.fault.delivered, tally });
  tally.notes.push(`faults injected: ${proxy.injected.length}`);
}

/** Every send hangs after Postmark accepted it; the machine dies; after the restart nothing is sent twice or lost. */
export async function killDuringSendsScenario({ worker, fetcher, admin, fake, proxy, tally }) {
  const run = randomBytes(3).toString('hex');
  const store = KILL_SEND_STORE;
  proxy.faults[store.token] = { kind: 'hang', times: 1_000 };
  await startCarts({ worker, admin, store, idleDelay: '1s', run });
  const deadline = Date.now() + 60_000;
  while (fake.sent.filter((m) => m.label === store.id).length < SHOPPERS && Date.now() < deadline) await sleep(300);
  await worker.crash();
  proxy.faults[store.token].times = 0;
  await worker.restart();
  const rows = await waitFinal({ worker, fetcher, storeIds: [store.id], expected: SHOPPERS, timeoutMs: 180_000 });
  countOutcome({ rows, fake, store, delivered: true, tally });
}

/** Cart timers are armed; the machine dies before they are due; after the restart each fires exactly once. */
export async function killDuringTimersScenario({ worker, fetcher, admin, tally }) {
  const run = randomBytes(3).toString('hex');
  const store = KILL_TIMER_STORE;
  const emails = await startCarts({ worker, admin, store, idleDelay: '8s', run });
  const contactsSql = `SELECT count(*) AS n FROM journey_enrollments WHERE store_id = ${sqlQuote(store.id)} AND flow_id = 'abandoned-cart'`;
  const deadline = Date.now() + 30_000;
  while ((await d1Read(contactsSql, worker.persistTo))[0].n < SHOPPERS && Date.now() < deadline) await sleep(300);
  await worker.crash();
  await sleep(10_000); // every timer falls due while the machine is down
  await worker.restart();
  const rows = await waitFinal({ worker, fetcher, storeIds: [store.id], expected: SHOPPERS, timeoutMs: 60_000 });
  const perEmail = Map.groupBy(rows, (r) => r.to);
  for (const email of emails) {
    const n = perEmail.get(email)?.length ?? 0;
    if (n === 0) tally.lost += 1;
    if (n > 1) tally.duplicates += n - 1;
  }
  const wrong = rows.filter((r) => r.status !== 'outbox');
  if (wrong.length) tally.notes.push(`${store.id}: statuses ${JSON.stringify(wrong.map((r) => r.status))}`);
  tally.lost += wrong.length;
}
