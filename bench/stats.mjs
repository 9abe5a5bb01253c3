// `npm run bench`, flow stats part (also `node bench/stats.mjs` alone): a fresh local D1 seeded by SQL with
// 1,000,000 flow messages and 100,000 orders (a third credited to a message), the rollups built from those rows,
// then GET /api/flows/:id/stats loaded against GET /healthz on the same `wrangler dev`, in interleaved rounds.
// Its section is appended to bench/results.md (replacing the previous one).
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyMigrations, d1Query, d1Read, DEMO, freePort, repoRoot, seedDemoStore, snapshotSources, startWorker } from '../e2e/lib/local-worker.mjs';

const MESSAGES = Number(process.env.BENCH_STATS_MESSAGES ?? 1_000_000);
const ORDERS = Number(process.env.BENCH_STATS_ORDERS ?? 100_000);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const CHUNK = 250_000;
const DAY = 86_400_000;
const START = Date.UTC(2026, 8, 1);
const RANGE = { from: '2026-09-01', to: '2026-11-29' };
const FLOWS = ['welcome', 'abandoned-cart', 'post-purchase', 'win-back'];
const S = `'${DEMO.storeId}'`;
const HEADING = '## Flow stats endpoint';

/** Flow, day and step vary independently, so every flow has rows on every day for every step. */
const sentAt = (i) => `${START} + ((${i} / 4) % 90) * ${DAY} + (${i} % 86400) * 1000`;
const flowOf = (i) => `case (${i}) % 4 ${FLOWS.map((f, k) => `when ${k} then '${f}'`).join(' ')} end`;

/** Messages lo..hi, generated inside SQLite: a flow, a step, a contact and a send time each. */
function messagesSql(lo, hi) {
  return `WITH RECURSIVE n(i) AS (SELECT ${lo} UNION ALL SELECT i + 1 FROM n WHERE i < ${hi})
    INSERT INTO messages (id, store_id, contact_id, flow_id, step_id, enrollment_id, idempotency_key, channel, status, text, "to", created_at, sent_at)
    SELECT 'bm_' || i, ${S}, 'bc_' || (i % 50000), ${flowOf('i')}, 'email_' || (1 + (i / 360) % 3), 'be_' || i, 'bench:' || i, 'email', 'sent', 't',
      'c' || (i % 50000) || '@bench.example', ${sentAt('i')}, ${sentAt('i')} FROM n`;
}

const ORDERS_SQL = `WITH RECURSIVE n(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM n WHERE j < ${ORDERS})
  INSERT INTO orders (store_id, id, contact_id, status, total, coupon_codes, attribution, created_at, source_modified_at, updated_at)
  SELECT ${S}, j, 'bc_' || (j % 50000), 'processing', 20 + j % 80, '[]', '{"source_type":"utm","utm_source":"nightshift"}',
    ${START} + (j % 90) * ${DAY} + 3600000, 1, 1 FROM n`;

/** Every third order credited to message j*10 (the attribution the worker would have written). */
const CREDITS_SQL = `INSERT INTO order_credits (store_id, order_id, message_id, flow_id, flow_version, step_id, touch, touched_at, day, revenue, credited_at, updated_at)
  SELECT o.store_id, o.id, m.id, m.flow_id, 1, m.step_id, 'email_click', m.sent_at, strftime('%Y-%m-%d', o.created_at / 1000, 'unixepoch'), o.total, 1, 1
  FROM orders o JOIN messages m ON m.store_id = o.store_id AND m.id = 'bm_' || (o.id * 10)
  WHERE o.store_id = ${S} AND o.id % 3 = 0`;

/** The rollup rows those messages and credits add up to (what the write paths keep as events happen). */
const ROLLUP_SQL = [
  `INSERT INTO flow_stats_daily (store_id, flow_id, flow_version, step_id, day, sent, delivered, opened_human, clicked)
   SELECT store_id, flow_id, 1, step_id, strftime('%Y-%m-%d', sent_at / 1000, 'unixepoch'), count(*), count(*), count(*) / 3, count(*) / 20
   FROM messages WHERE store_id = ${S} AND flow_id IS NOT NULL GROUP BY 1, 2, 3, 4, 5`,
  `INSERT INTO flow_stats_daily (store_id, flow_id, flow_version, step_id, day, converted, revenue)
   SELECT store_id, flow_id, flow_version, step_id, day, count(*), sum(revenue) FROM order_credits WHERE store_id = ${S} GROUP BY 1, 2, 3, 4, 5
   ON CONFLICT (store_id, flow_id, day, flow_version, step_id) DO UPDATE SET converted = excluded.converted, revenue = excluded.revenue`,
];

async function timed(label, fn) {
  const t = Date.now();
  await fn();
  console.log(`bench (stats): ${label} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

async function seed(persistTo) {
  await applyMigrations({ persistTo });
  await seedDemoStore({ persistTo });
  for (let lo = 1; lo <= MESSAGES; lo += CHUNK) {
    await timed(`messages ${lo}..${Math.min(MESSAGES, lo + CHUNK - 1)}`, () => d1Query(messagesSql(lo, Math.min(MESSAGES, lo + CHUNK - 1)), { persistTo }));
  }
  await timed(`${ORDERS} orders`, () => d1Query(ORDERS_SQL, { persistTo }));
  await timed('order credits', () => d1Query(CREDITS_SQL, { persistTo }));
  for (const sql of ROLLUP_SQL) await timed('rollups', () => d1Query(sql, { persistTo }));
  const [counts] = await d1Query(`SELECT (SELECT count(*) FROM messages WHERE store_id = ${S}) messages, (SELECT count(*) FROM orders WHERE store_id = ${S}) orders,
    (SELECT count(*) FROM order_credits WHERE store_id = ${S}) credits, (SELECT count(*) FROM flow_stats_daily WHERE store_id = ${S}) rollups`, { persistTo });
  return counts;
}

async function round(name, url, path, headers) {
  const r = await autocannon({ url: `${url}${path}`, headers, connections: CONNECTIONS, duration: DURATION, timeout: 30 });
  return { name, rps: r.requests.total / r.duration, p50: r.latency.p50, p99: r.latency.p99, total: r.requests.total, ok: r['2xx'], non2xx: r.non2xx, errors: r.errors };
}

/** What the endpoint answers must be what the seeded raw rows say (checked once, by a scan the endpoint never makes). */
async function agreement(url, headers, persistTo) {
  const stats = await (await fetch(`${url}/api/flows/welcome/stats?store=${DEMO.storeId}&from=${RANGE.from}&to=${RANGE.to}`, { headers })).json();
  const until = Date.parse(RANGE.to) + DAY;
  const [raw] = await d1Read(`SELECT (SELECT count(*) FROM messages WHERE store_id = ${S} AND flow_id = 'welcome' AND sent_at >= ${START} AND sent_at < ${until}) sent,
    (SELECT count(*) FROM order_credits WHERE store_id = ${S} AND flow_id = 'welcome' AND day <= '${RANGE.to}') converted`, { persistTo });
  return { api: { sent: stats.totals.sent, converted: stats.totals.converted }, raw };
}

/** A fresh local D1 under bench/.tmp seeded by `seed`, one `wrangler dev` on it for `fn(url, { seeded, persistTo })`, all removed afterwards. */
export async function withSeededWorker(name, adminToken, seed, fn) {
  const tmp = join(repoRoot, 'bench', '.tmp');
  mkdirSync(tmp, { recursive: true });
  const persistTo = join(tmp, `state-${name}-${process.pid}`);
  const src = join(tmp, `src-${name}-${process.pid}`);
  rmSync(persistTo, { recursive: true, force: true });
  let worker;
  try {
    const seeded = await seed(persistTo);
    const logFile = createWriteStream(join(tmp, `wrangler-${name}-${process.pid}.log`));
    worker = await startWorker({ port: await freePort(), persistTo, cwd: snapshotSources(src), vars: { ADMIN_TOKEN: adminToken }, logFile, observability: false });
    return await fn(worker.url, { seeded, persistTo });
  } finally {
    await worker?.stop();
    rmSync(persistTo, { recursive: true, force: true });
    rmSync(src, { recursive: true, force: true });
  }
}

export async function runStatsBench({ adminToken = `bench-${randomBytes(12).toString('hex')}` } = {}) {
  return withSeededWorker('stats', adminToken, seed, async (url, { seeded, persistTo }) => {
    const headers = { Authorization: `Bearer ${adminToken}` };
    const path = `/api/flows/welcome/stats?store=${DEMO.storeId}&from=${RANGE.from}&to=${RANGE.to}`;
    const check = await agreement(url, headers, persistTo);
    await round('warm-up', url, path, headers);
    const rounds = [];
    for (let i = 0; i < ROUNDS; i += 1) {
      rounds.push(await round('GET /healthz', url, '/healthz', {}));
      rounds.push(await round('GET /api/flows/:id/stats', url, path, headers));
    }
    return { seeded, check, rounds, date: new Date().toISOString() };
  });
}

const f0 = (n) => n.toFixed(0);

export function renderStatsResults({ seeded, check, rounds, date }) {
  const of = (name) => rounds.filter((r) => r.name === name);
  const rate = (rs) => rs.reduce((a, r) => a + r.total, 0) / (rs.length * DURATION);
  const [health, stats] = [of('GET /healthz'), of('GET /api/flows/:id/stats')];
  const ratio = rate(stats) / rate(health);
  const row = (name, rs) => `| ${name} | ${f0(rate(rs))} | ${rs.map((r) => f0(r.rps)).join(' / ')} | ${Math.max(...rs.map((r) => r.p50))} | ${Math.max(...rs.map((r) => r.p99))} | ${rs.reduce((a, r) => a + r.non2xx + r.errors, 0)} |`;
  const agrees = check.api.sent === check.raw.sent && check.api.converted === check.raw.converted;
  return `
${HEADING}

Run ${date}, \`bench/stats.mjs\`: a fresh local D1 seeded by SQL with ${seeded.messages.toLocaleString('en')} flow messages and
${seeded.orders.toLocaleString('en')} orders (${seeded.credits.toLocaleString('en')} credited to a message), the ${seeded.rollups} rollup rows built
from them; then ${ROUNDS} interleaved rounds of ${DURATION} s, ${CONNECTIONS} connections, on one \`wrangler dev\`. The request asks for
one flow over 90 days (totals, versions, step funnel, daily series, exits): one D1 batch of seven reads (the flow, the attribution
windows, five of \`flow_stats_daily\` and \`flow_exits_daily\`), never a scan of messages or orders.

| route | req/s | per round | worst p50 ms | worst p99 ms | non-2xx + errors |
|---|---|---|---|---|---|
${row('GET /healthz', health)}
${row('GET /api/flows/welcome/stats (90 days)', stats)}

- Stats ÷ healthz: **${ratio.toFixed(2)}×** (target ≥ 0.3×: **${ratio >= 0.3 ? 'met' : 'missed'}**)
- The answer agrees with the raw rows: sent ${check.api.sent} (messages: ${check.raw.sent}), converted ${check.api.converted} (credits: ${check.raw.converted}): **${agrees ? 'yes' : 'NO'}**
`;
}

/** Appends the section to bench/results.md, replacing the one a previous run left. */
export function writeStatsSection(result) {
  const file = join(repoRoot, 'bench', 'results.md');
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const kept = before.includes(`\n${HEADING}\n`) ? before.slice(0, before.indexOf(`\n${HEADING}\n`)) : before.trimEnd() + '\n';
  const section = renderStatsResults(result);
  writeFileSync(file, kept + section);
  console.log(section);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) writeStatsSection(await runStatsBench());
