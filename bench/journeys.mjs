// `npm run bench`, journey part: timer precision of the real ContactAgent alarms and send throughput
// through the real send path (ContactAgent → SEND queue → consumer → a Postmark fake over HTTP).
// Both run on the same `wrangler dev` as the HTTP routes, after them, on stores of their own.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import { d1Read as d1ReadShared } from '../e2e/lib/local-worker.mjs';
import { adminClient, cartBatch, enableAbandonedCart, postSigned, seedStores } from '../e2e/lib/journey-kit.mjs';
import { startPostmarkFake } from '../e2e/lib/postmark-fake.mjs';
import { profiling, startProfile } from './profile.mjs';
import { workerdCpuMs } from './lib.mjs';

const TIMER_CONTACTS = Number(process.env.BENCH_TIMER_CONTACTS ?? 500);
const TIMER_SPREAD_MS = Number(process.env.BENCH_TIMER_SPREAD_MS ?? 60_000);
const TIMER_IDLE_S = 20;
const SEND_MESSAGES = Number(process.env.BENCH_SEND_MESSAGES ?? 1000);
/** One PATCH wakes at most 500 enrollments (WAKE_LIMIT in worker/contacts/runtime/flow-presets.ts): 500 contacts a store. */
const PER_STORE = 500;
/**
 * The waking PATCH shortens the idle delay to this: every reminder falls due at PATCH + DUE_S, after the wake has
 * moved each enrollment onto the new version (a one-off of flow edits), so the span from the due instant on is what
 * a reminder costs, as its alarm runs it in production. The floor's alarms are due FLOOR_DUE_S after their request.
 */
const DUE_S = Number(process.env.BENCH_SEND_DUE_S ?? 45);
const FLOOR_DUE_S = Number(process.env.BENCH_FLOOR_DUE_S ?? 30);
const INGEST_CONCURRENCY = 8;
const SECRET = 'whsec_bench_journeys_local';
const PROFILE_DIR = new URL('./.tmp/', import.meta.url).pathname;

const TIMER_STORE = 'bench-timers';
const sendStores = Array.from({ length: Math.ceil(SEND_MESSAGES / PER_STORE) }, (_, i) => `bench-send-${i + 1}`);
const tokenOf = (storeId) => `pm-bench-${storeId}`;
/** Nothing but the first email: no SMS (no phone), no prompt, no audience, no coupon, no follow-up within the run. */
const QUIET = { openWindow: '1h', audienceEnabled: false, promptEnabled: false, incentiveEnabled: false };

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
const inList = (ids) => ids.map((id) => `'${id}'`).join(', ');

const d1Read = (sql, persistTo) => d1ReadShared(sql, { persistTo });

async function pollUntil(fn, { timeoutMs, intervalMs }) {
  const deadline = Date.now() + timeoutMs;
  let last = await fn();
  while (!last.done && Date.now() < deadline) {
    await sleep(intervalMs);
    last = await fn();
  }
  return last;
}

/** Posts one signed cart batch per contact with `concurrency` requests in flight. */
async function ingest(url, storeOf, count, concurrency, run) {
  let next = 0;
  let failed = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const storeId = storeOf(i);
      const body = cartBatch({ storeId, visitorId: `v_bench_${run}_${i}`, email: `bench.${run}.${i}@example.com` });
      await postSigned(url, SECRET, body).catch(() => void (failed += 1));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return failed;
}

/**
 * 500 carts posted evenly over a minute to a store whose idle delay is 20 s: each contact's
 * ContactAgent arms its alarm for enteredAt + 20 s. Fire time is the message's created_at (the
 * `now` the alarm handler ran with: the timer store has no Postmark token, so the agent writes the row in its alarm,
 * not the SEND stage), due time the enrollment's entered_at plus the delay; a few
 * agents are asked for their pending timer before it rings to show the two agree.
 */
async function timerPrecision({ url, admin, persistTo, log }) {
  await enableAbandonedCart(admin, TIMER_STORE, { ...QUIET, idleDelay: `${TIMER_IDLE_S}s` });
  const run = randomBytes(3).toString('hex');
  const loadBefore = os.loadavg()[0];
  // Profiled over the carts and their alarms: what keeps the one thread busy while timers fall due.
  const stopProfile = profiling ? await startProfile(PROFILE_DIR) : null;
  const started = Date.now();
  const gap = TIMER_SPREAD_MS / TIMER_CONTACTS;
  const posts = [];
  let rejected = 0;
  for (let i = 0; i < TIMER_CONTACTS; i += 1) {
    await sleep(Math.max(0, started + i * gap - Date.now()));
    const body = cartBatch({ storeId: TIMER_STORE, visitorId: `v_timer_${run}_${i}`, email: `timer.${run}.${i}@example.com` });
    posts.push(postSigned(url, SECRET, body).catch(() => void (rejected += 1)));
  }
  await Promise.all(posts);
  log(`  timers: ${TIMER_CONTACTS} carts posted over ${((Date.now() - started) / 1000).toFixed(1)} s; checking 3 agents' timers`);
  const sample = await timerSample(admin, run);
  const rowsOf = () =>
    d1Read(
      `SELECT m.created_at AS firedAt, e.entered_at AS enteredAt FROM messages m JOIN journey_enrollments e ON e.store_id = m.store_id AND e.id = m.enrollment_id
       WHERE m.store_id = '${TIMER_STORE}' AND m.step_id = 'email_1'`,
      persistTo,
    );
  // The last timer is due about TIMER_IDLE_S after the last beacon: D1 is read only after that.
  await sleep(TIMER_IDLE_S * 1000 + 3_000);
  const final = await pollUntil(async () => {
    const rows = await rowsOf();
    return { rows, done: rows.length >= TIMER_CONTACTS - rejected };
  }, { timeoutMs: 60_000, intervalMs: 5_000 });
  const load = [loadBefore, os.loadavg()[0]];
  if (stopProfile) log(await stopProfile('timers'));
  const lateness = final.rows.map((r) => r.firedAt - (r.enteredAt + TIMER_IDLE_S * 1000)).sort((a, b) => a - b);
  const dueTimes = final.rows.map((r) => r.enteredAt + TIMER_IDLE_S * 1000);
  return {
    contacts: TIMER_CONTACTS,
    rejected,
    fired: lateness.length,
    dueSpreadS: dueTimes.length ? (Math.max(...dueTimes) - Math.min(...dueTimes)) / 1000 : 0,
    early: lateness.filter((l) => l < 0).length,
    p50: percentile(lateness, 50),
    p99: percentile(lateness, 99),
    max: lateness.at(-1),
    sample,
    load,
  };
}

/** Asks three ContactAgents (through GET /api/contacts/:id) for their pending timer: due = entered + delay? */
async function timerSample(admin, run) {
  const checks = [];
  for (const i of [TIMER_CONTACTS - 3, TIMER_CONTACTS - 2, TIMER_CONTACTS - 1]) {
    const email = `timer.${run}.${i}@example.com`;
    const found = await pollUntil(async () => {
      const { contacts } = await admin.get(`/api/contacts?store=${TIMER_STORE}&email=${encodeURIComponent(email)}`);
      if (!contacts.length) return { done: false };
      const { journeys } = await admin.get(`/api/contacts/${contacts[0].id}?store=${TIMER_STORE}`);
      const enrollment = journeys.enrollments.find((e) => e.flowId === 'abandoned-cart');
      const timer = journeys.pendingTimers[0];
      return { done: Boolean(enrollment && timer), enrollment, timer };
    }, { timeoutMs: 15_000, intervalMs: 250 });
    checks.push(found.done && found.timer.dueAt === found.enrollment.enteredAt + TIMER_IDLE_S * 1000);
  }
  return { agreed: checks.filter(Boolean).length, of: checks.length };
}

/**
 * The waking PATCH sends the reminders inside the request (it wakes 500 agents): on a loaded machine that outlasts
 * fetch's 300 s header timeout, so it goes through node:http, which has none.
 */
function patchNoTimeout(url, adminToken, path, body) {
  return requestNoTimeout('PATCH', url, adminToken, path, body);
}

function requestNoTimeout(method, url, adminToken, path, body) {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) },
    }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode < 300 ? resolve() : reject(new Error(`${method} ${path}: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(data);
  });
}

/**
 * SEND_MESSAGES contacts enrolled with a 10 min idle delay, then one PATCH per store shortens it to DUE_S: each
 * store's ContactAgents wake and move onto the new version, and their reminders fall due at one instant and go
 * through the SEND queue to the fake. Rates run from the due instant, and from the PATCH, to the last `sent_at`.
 */
async function sendThroughput({ url, adminToken, admin, persistTo, fake, log, pgid }) {
  for (const storeId of sendStores) {
    await admin.patch(`/api/stores/${storeId}/settings`, { postmarkServerToken: tokenOf(storeId), fromEmail: `shop@${storeId}.example` });
    await enableAbandonedCart(admin, storeId, { ...QUIET, idleDelay: '10m' });
  }
  const run = randomBytes(3).toString('hex');
  const ingestStarted = Date.now();
  const rejected = await ingest(url, (i) => sendStores[Math.floor(i / PER_STORE)], SEND_MESSAGES, INGEST_CONCURRENCY, run);
  const contactCount = async () => {
    const counts = await Promise.all(sendStores.map(async (id) => (await admin.get(`/api/stores/${id}`)).counts.contacts));
    return counts.reduce((a, b) => a + b, 0);
  };
  await pollUntil(async () => ({ done: (await contactCount()) >= SEND_MESSAGES - rejected }), { timeoutMs: 600_000, intervalMs: 1_000 });
  const activeCount = async () =>
    (await d1Read(`SELECT count(*) AS n FROM journey_enrollments WHERE store_id IN (${inList(sendStores)}) AND status = 'active'`, persistTo))[0].n;
  const enrolled = await pollUntil(async () => {
    const n = await activeCount();
    return { n, done: n >= SEND_MESSAGES - rejected };
  }, { timeoutMs: 300_000, intervalMs: 2_000 });
  log(`  send: ${enrolled.n} contacts enrolled in ${((Date.now() - ingestStarted) / 1000).toFixed(1)} s; shortening the idle delay to ${DUE_S} s`);
  const callsBefore = fake.calls.length;
  const received = () => fake.sent.filter((m) => sendStores.includes(m.label)).length;
  const t0 = Date.now();
  // The server's `now` for the PATCH is a little after t0, so the true due instant is too: the spans are not shortened.
  const dueAt = t0 + DUE_S * 1000;
  await Promise.all(sendStores.map((storeId) => patchNoTimeout(url, adminToken, `/api/flows/abandoned-cart?store=${storeId}`, { enabled: true, settings: { idleDelay: `${DUE_S}s` } })));
  const wokenS = (Date.now() - t0) / 1000;
  const sentBeforeDue = received();
  // Profiled from just before the due instant: what the reminders themselves cost.
  await sleep(dueAt - (profiling ? 500 : 100) - Date.now());
  const stopProfile = profiling ? await startProfile(PROFILE_DIR) : null;
  const loadBefore = os.loadavg()[0];
  const cpuAtDue = workerdCpuMs(pgid);
  const done = await pollUntil(async () => ({ n: received(), done: received() >= enrolled.n }), { timeoutMs: 600_000, intervalMs: 250 });
  const cpuMs = workerdCpuMs(pgid) - cpuAtDue;
  const load = [loadBefore, os.loadavg()[0]];
  if (stopProfile) log(await stopProfile('send'));
  // created_at is the `now` the send stage decided with, so the provider side is timed by the fake's clock.
  const [stats] = await d1Read(
    `SELECT count(*) AS sent, max(sent_at) AS lastSent FROM messages WHERE store_id IN (${inList(sendStores)}) AND status = 'sent'`,
    persistTo,
  );
  const [notSent] = await d1Read(`SELECT count(*) AS n FROM messages WHERE store_id IN (${inList(sendStores)}) AND status <> 'sent'`, persistTo);
  const all = fake.calls.slice(callsBefore).filter((c) => sendStores.includes(c.label));
  // Outbound searches (a send with no answer looked up before any resend) are counted apart from the sends.
  const calls = all.filter((c) => c.path !== '/messages/outbound');
  const searches = all.length - calls.length;
  const sizes = calls.map((c) => c.count).sort((a, b) => a - b);
  return {
    contacts: SEND_MESSAGES,
    stores: sendStores.length,
    rejected,
    enrolled: enrolled.n,
    receivedByFake: done.n,
    sentRows: stats?.sent ?? 0,
    notSentRows: notSent?.n ?? 0,
    batchCalls: calls.length,
    searches,
    batchPaths: [...new Set(calls.map((c) => c.path))],
    batchSizes: { min: sizes[0], median: percentile(sizes, 50), max: sizes.at(-1) },
    endToEndS: (stats.lastSent - t0) / 1000,
    dueS: DUE_S,
    wokenS,
    sentBeforeDue,
    fromDueS: (stats.lastSent - dueAt) / 1000,
    cpuMs,
    load,
    firstCallS: calls.length ? (calls[0].at - dueAt) / 1000 : NaN,
    callSpanS: calls.length ? (calls.at(-1).at - calls[0].at) / 1000 : NaN,
    // When each provider call came after the due instant, and how many messages it carried: where the span goes.
    timeline: calls.map((c) => `${((c.at - dueAt) / 1000).toFixed(2)} s × ${c.count}`).join(', '),
  };
}

/**
 * The local floor: as many bare BenchAlarm objects as reminders (bench only: worker/bench/bench-alarm.ts), each
 * alarm writing one D1 row and enqueueing one SEND message, armed by one request due 1 s later. Timed like the
 * send run: from the request to the last row written, so the ratio compares the same span.
 */
async function alarmFloor({ url, persistTo, pgid }) {
  const run = `floor-${randomBytes(3).toString('hex')}`;
  const stopProfile = profiling ? await startProfile(PROFILE_DIR) : null;
  const t0 = Date.now();
  const dueAt = t0 + FLOOR_DUE_S * 1000;
  await requestNoTimeout('POST', url, 'bench', '/__bench/floor', { run, count: SEND_MESSAGES, dueAt });
  const armedS = (Date.now() - t0) / 1000;
  const counted = async () => (await d1Read(`SELECT count(*) AS n, max(fired_at) AS last FROM bench_floor WHERE id LIKE '${run}-%'`, persistTo))[0];
  await sleep(Math.max(2_000, dueAt - 100 - Date.now()));
  const cpuAtDue = workerdCpuMs(pgid);
  const done = await pollUntil(async () => {
    const c = await counted();
    return { ...c, done: c.n >= SEND_MESSAGES };
  }, { timeoutMs: 300_000, intervalMs: 1_000 });
  const cpuMs = workerdCpuMs(pgid) - cpuAtDue;
  if (stopProfile) console.log(await stopProfile('floor'));
  return { alarms: SEND_MESSAGES, fired: done.n, armedS, dueS: FLOOR_DUE_S, totalS: (done.last - t0) / 1000, fromDueS: (done.last - dueAt) / 1000, cpuMs };
}

/** Seeds the journey stores (before `wrangler dev` starts) and the fake; `vars` go to the worker. */
export async function prepareJourneyBench({ persistTo }) {
  await seedStores([TIMER_STORE, ...sendStores].map((id) => ({ id, webhookSecret: SECRET })), { persistTo });
  const fake = await startPostmarkFake({ tokens: Object.fromEntries(sendStores.map((s) => [tokenOf(s), s])) });
  return {
    // Postmark takes only an HTTPS List-Unsubscribe URL; nothing in the bench follows these links.
    vars: { POSTMARK_BASE_URL: fake.url, PUBLIC_BASE_URL: 'https://nightshift-bench.invalid' },
    /** `only`: 'send' (send throughput and floor) or 'timers' (timer precision), for trials; both by default. */
    /** `pgid`: the process group of `wrangler dev`, whose workerd's CPU time the send and floor report. */
    run: async ({ url, adminToken, log = console.log, only, pgid }) => {
      const admin = adminClient(url, adminToken);
      let timers = null;
      if (only !== 'send') {
        log(`bench: timer precision, ${TIMER_CONTACTS} carts over ${TIMER_SPREAD_MS / 1000} s with a ${TIMER_IDLE_S} s idle delay`);
        timers = await timerPrecision({ url, admin, persistTo, log });
        log(`  timers: ${timers.fired} fired, p50 ${timers.p50} ms, p99 ${timers.p99} ms late`);
      }
      if (only === 'timers') return { timers, send: null, floor: null };
      log(`bench: send throughput, ${SEND_MESSAGES} reminders through the SEND queue to the Postmark fake`);
      const send = await sendThroughput({ url, adminToken, admin, persistTo, fake, log, pgid });
      log(`  send: ${send.sentRows} sent ${send.fromDueS.toFixed(1)} s after they fell due (${send.endToEndS.toFixed(1)} s after the PATCH; wakes took ${send.wokenS.toFixed(1)} s), ${send.batchCalls} batch calls; workerd CPU ${(send.cpuMs / 1000).toFixed(1)} s`);
      log(`  send: provider calls (after the due instant × messages): ${send.timeline}`);
      log(`bench: alarm floor, ${SEND_MESSAGES} bare Durable Object alarms each writing one D1 row and enqueueing one message`);
      const floor = await alarmFloor({ url, persistTo, pgid });
      log(`  floor: ${floor.fired} alarms ran in ${floor.fromDueS.toFixed(1)} s from their due instant (${floor.totalS.toFixed(1)} s from the request; armed in ${floor.armedS.toFixed(1)} s); workerd CPU ${(floor.cpuMs / 1000).toFixed(1)} s`);
      return { timers, send, floor };
    },
    close: () => fake.close(),
  };
}

/** Which stage the numbers say held the rate: the agents writing rows, or the queue and the provider calls after them. */
function bound(s) {
  const after = s.fromDueS - s.firstCallS;
  return after < 0.2 * s.fromDueS
    ? `Everything from the first provider call on took ${after.toFixed(1)} s of the ${s.fromDueS.toFixed(1)} s: the agents' alarms and the send stage (guardrails, rendering, claiming rows) bound the rate locally, and the queue delivered their pointers in full batches once they were written.`
    : `Provider calls overlapped the agents' and the send stage's work for ${after.toFixed(1)} s of the ${s.fromDueS.toFixed(1)} s.`;
}

const loadText = (l) => l.map((x) => x.toFixed(2)).join(' / ');
const ms = (n) => (Number.isFinite(n) ? `${n} ms` : 'n/a');

/** Today's rate before this work (bench/results.md of 2026-11-24 and issue 10): 1000 reminders in 56 s and 45 s. */
const BEFORE_MSG_PER_S = 18;

function floorSection(s, f, rate) {
  const sendRate = s.sentRows / s.fromDueS;
  const floorRate = f.fired / f.fromDueS;
  const e2e = s.sentRows / s.endToEndS / (f.fired / f.totalS);
  // Issue 10: 10× the rate before, or, where this machine's floor is below that, within 2× of the floor.
  const floorBelow = floorRate < 10 * BEFORE_MSG_PER_S;
  const target = floorBelow ? floorRate / 2 : 10 * BEFORE_MSG_PER_S;
  const verdict = sendRate >= target ? 'met' : `**missed** (${(sendRate / target).toFixed(2)}× of it)`;
  return `
### The local floor (bare Durable Object alarms)

${f.alarms} bare \`BenchAlarm\` objects (bench only: worker/bench/bench-alarm.ts, bound only in the bench's private wrangler.toml),
armed by one request (\`POST /__bench/floor\`, ${f.armedS.toFixed(1)} s to arm) with an alarm due ${f.dueS} s after it; each alarm writes one D1 row and
enqueues one SEND message. Timed like the send run: from the due instant to the last row written (the rate alarms that
are due get run at), and from the request.

| alarms | fired | due → last row | alarms/s (the floor) | send msg/s (due → last sent) | send ÷ floor | send ÷ before (${BEFORE_MSG_PER_S} msg/s) | request → last row | send ÷ floor, both from their request |
|---|---|---|---|---|---|---|---|---|
| ${f.alarms} | ${f.fired} | ${f.fromDueS.toFixed(1)} s | ${floorRate.toFixed(0)} | ${rate(s.fromDueS)} | ${(sendRate / floorRate).toFixed(2)}× | ${(sendRate / BEFORE_MSG_PER_S).toFixed(1)}× | ${f.totalS.toFixed(1)} s | ${e2e.toFixed(2)}× |

- Target: ${
    floorBelow
      ? `the floor (${floorRate.toFixed(0)}/s) is below 10× the rate before, so within 2× of it, ≥ ${target.toFixed(0)} msg/s`
      : `≥ 10× the rate before, ${target} msg/s (the floor, ${floorRate.toFixed(0)}/s, is above it, so the 2×-of-the-floor clause does not apply)`
  }: ${verdict}
- workerd's CPU time (user + system, all its threads, /proc) from the due instant until the run was seen done, a cost the
  machine's other tenants change far less than wall time: send ${perItem(s.cpuMs, s.sentRows)} ms per message, floor
  ${perItem(f.cpuMs, f.fired)} ms per alarm (${(s.cpuMs / s.sentRows / (f.cpuMs / f.fired)).toFixed(1)}× the floor's); the polls that see the end add up to 0.25 s (send) and 1 s (floor)
  of idle time, not CPU.
`;
}

const perItem = (cpuMs, n) => (Number.isFinite(cpuMs) && n > 0 ? (cpuMs / n).toFixed(1) : 'n/a');

export function renderJourneyResults({ timers: t, send: s, floor: f }) {
  return (t ? timerSection(t) : '') + (s ? sendSection(s, f) : '');
}

function timerSection(t) {
  const met = t.fired === t.contacts - t.rejected && t.early === 0 && t.p99 < 1000;
  return `
## Journey timers (real ContactAgent alarms)

${t.contacts} signed cart beacons posted evenly over ${TIMER_SPREAD_MS / 1000} s to a store whose abandoned-cart idle delay is
${TIMER_IDLE_S} s, so each ContactAgent arms its one alarm for its own due time (due times spread over ${t.dueSpreadS.toFixed(1)} s).
Due = the enrollment's \`entered_at\` + ${TIMER_IDLE_S} s (checked against the agent's pending timer for ${t.sample.agreed}/${t.sample.of} contacts);
fired = the reminder's \`messages.created_at\`, the time the alarm handler ran with (this store has no Postmark token, so
the agent writes the row in its alarm; the SEND stage is not involved). Both are D1 columns.

| timers | fired | rejected beacons | early | p50 late | p99 late | max late |
|---|---|---|---|---|---|---|
| ${t.contacts} | ${t.fired} | ${t.rejected} | ${t.early} | ${ms(t.p50)} | ${ms(t.p99)} | ${ms(t.max)} |

- Target p99 < 1 s, every timer fired once and none early: ${met ? 'met' : '**missed**'}
- 1-minute load average before / after the timer run: ${loadText(t.load)} (alarms share the 2 cores with everything else on the machine)
`;
}

function sendSection(s, f) {
  const rate = (secs) => (secs > 0 ? (s.sentRows / secs).toFixed(0) : 'n/a');
  return `
## Send throughput (ContactAgent → send intent → batched send stage → SEND queue → consumer → Postmark fake over HTTP)

${s.contacts} contacts in ${s.stores} store(s) with a Postmark token, enrolled with a 10 min idle delay; one \`PATCH /api/flows/abandoned-cart\`
per store shortens it to ${s.dueS} s, which wakes the agents (at most 500 per PATCH) onto the new version and makes every
reminder due at one instant, ${s.dueS} s after the PATCH (the wakes took ${s.wokenS.toFixed(1)} s; sent before the due instant: ${s.sentBeforeDue}).
From then on each reminder costs what it costs in production: its agent's alarm runs it. Each
woken agent hands its email to the SEND queue as an intent; the send stage (worker/contacts/send-stage) takes up to 100
intents per delivery and runs the guardrails, rendering and row claims for all of them at once. The local fake (e2e/lib/postmark-fake.mjs) answers \`POST /email/batch\` in Postmark's wire format; the SEND queue consumer
takes up to 100 pointers per delivery (wrangler.toml), so a Postmark call carries at most 100 here, 500 being Postmark's cap.

| messages | sent rows | not sent | fake received | batch calls | messages per call (min / median / max) | due → last sent | msg/s from due | PATCH → last sent | due → first call | first → last call | msg/s at the provider |
|---|---|---|---|---|---|---|---|---|---|---|---|
| ${s.enrolled} | ${s.sentRows} | ${s.notSentRows} | ${s.receivedByFake} | ${s.batchCalls} (${s.batchPaths.join(', ')}) | ${s.batchSizes.min} / ${s.batchSizes.median} / ${s.batchSizes.max} | **${s.fromDueS.toFixed(1)} s** | **${rate(s.fromDueS)}** | ${s.endToEndS.toFixed(1)} s | ${s.firstCallS.toFixed(1)} s | ${s.callSpanS.toFixed(1)} s | ${rate(s.callSpanS)} |

From the due instant on covers the agents' alarms, the send stage (guardrails, rendering each email with LiquidJS, claiming its row),
the SEND queue and the consumer's Postmark calls, all in one local workerd on the machine's cores; the provider-side rate
counts messages over the span between the first and the last batch call the fake received. ${bound(s)} Beacons
rejected while enrolling: ${s.rejected}. Outbound searches (sends with no answer, looked up before any resend): ${s.searches}. 1-minute load average before / after: ${loadText(s.load)}.
${f ? floorSection(s, f, rate) : ''}`;
}
