// `npm run bench`, flow simulator part (also `node bench/simulator.mjs` alone): a fresh local D1 seeded by SQL with a
// month of storefront history (50,000 events: carts, checkouts, product and page views of 5,000 contacts, plus
// 5,000 orders), then POST /api/flows/abandoned-cart/simulate replays it through the live flow, one request at a
// time. Replay speed = events replayed (storefront events + order life events) ÷ the request's wall time.
// Its section in bench/results.md sits between the simulator-bench markers and is replaced by each run.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyMigrations, d1Query, DEMO, repoRoot, seedDemoStore } from '../e2e/lib/local-worker.mjs';
import { withSeededWorker } from './stats.mjs';

const EVENTS = Number(process.env.BENCH_SIM_EVENTS ?? 50_000);
const ORDERS = Number(process.env.BENCH_SIM_ORDERS ?? 5_000);
const CONTACTS = Number(process.env.BENCH_SIM_CONTACTS ?? 5_000);
const RUNS = Number(process.env.BENCH_SIM_RUNS ?? 5);
const DAY = 86_400_000;
const FROM = Date.UTC(2026, 9, 1);
const TO = FROM + 30 * DAY;
const FLOW = 'abandoned-cart';
const S = `'${DEMO.storeId}'`;
const START = '<!-- simulator-bench:start -->';
const END = '<!-- simulator-bench:end -->';

const CONTACTS_SQL = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${CONTACTS})
  INSERT INTO contacts (id, store_id, email, status, created_at, updated_at)
  SELECT 'sc_' || i, ${S}, 'sim' || i || '@bench.example', 'active', ${FROM - DAY}, ${FROM - DAY} FROM n`;

/** Four kinds in turn, spread over the month; a cart every fourth event, so the cart flow enrolls many. */
const EVENTS_SQL = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${EVENTS})
  INSERT INTO events (store_id, event_key, type, visitor_id, contact_id, properties, source, occurred_at, received_at)
  SELECT ${S}, 'se_' || i, case i % 4 when 0 then 'cart_updated' when 1 then 'product_view' when 2 then 'page_view' else 'checkout_started' end,
    'sv_' || (i % ${CONTACTS}), 'sc_' || (1 + i % ${CONTACTS}),
    case i % 4 when 0 then '{"cart":{"items":[{"productId":10,"quantity":1,"price":30}],"value":30,"currency":"EUR"}}'
      when 3 then '{"cart":{"items":[{"productId":10,"quantity":1,"price":30}],"value":30,"currency":"EUR"}}'
      else '{"productId":10}' end,
    'storefront', ${FROM} + (i * ${Math.floor((30 * DAY) / EVENTS)}), ${FROM} + (i * ${Math.floor((30 * DAY) / EVENTS)}) FROM n`;

const ORDERS_SQL = `WITH RECURSIVE n(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM n WHERE j < ${ORDERS})
  INSERT INTO orders (store_id, id, contact_id, status, total, coupon_codes, attribution, created_at, paid_at, source_modified_at, updated_at)
  SELECT ${S}, 900000 + j, 'sc_' || (1 + (j * 7) % ${CONTACTS}), 'processing', 30, '[]', '{}',
    ${FROM} + (j * ${Math.floor((30 * DAY) / ORDERS)}) + 3600000, ${FROM} + (j * ${Math.floor((30 * DAY) / ORDERS)}) + 3660000, 1, 1 FROM n`;

async function seed(persistTo) {
  await applyMigrations({ persistTo });
  await seedDemoStore({ persistTo });
  for (const sql of [CONTACTS_SQL, EVENTS_SQL, ORDERS_SQL]) await d1Query(sql, { persistTo });
}

async function simulate(url, headers) {
  const started = performance.now();
  const res = await fetch(`${url}/api/flows/${FLOW}/simulate?store=${DEMO.storeId}`, { method: 'POST', headers, body: JSON.stringify({ from: FROM, to: TO }) });
  const body = await res.json();
  const ms = performance.now() - started;
  if (!res.ok) throw new Error(`simulate: HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  return { ms, simulation: body.simulation };
}

export async function runSimulatorBench({ adminToken = `bench-${randomBytes(12).toString('hex')}` } = {}) {
  return withSeededWorker('sim', adminToken, seed, async (url) => {
    const headers = { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' };
    const load = [os.loadavg()[0]];
    const warm = await simulate(url, headers);
    const runs = [];
    for (let i = 0; i < RUNS; i += 1) runs.push(await simulate(url, headers));
    load.push(os.loadavg()[0]);
    return { warm, runs, load, cpus: os.cpus().length, date: new Date().toISOString() };
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function renderSimulatorResults({ warm, runs, load, cpus, date }) {
  const s = warm.simulation;
  // As the simulator counts them: storefront events, orders placed and paid, customers created.
  const replayed = s.eventsReplayed;
  const ms = runs.map((r) => r.ms);
  const rate = (x) => Math.round(replayed / (x / 1000)).toLocaleString('en');
  return `${START}
## Flow simulator replay speed

Run ${date}, \`bench/simulator.mjs\`: a fresh local D1 seeded by SQL with ${EVENTS.toLocaleString('en')} storefront events (carts,
checkouts, product and page views) of ${CONTACTS.toLocaleString('en')} contacts and ${ORDERS.toLocaleString('en')} paid orders over 30 days;
\`POST /api/flows/${FLOW}/simulate\` replays that month through the live flow (the pure \`step()\` with the frequency caps and
waking hours), ${RUNS} requests one after the other after a warm-up, on one \`wrangler dev\`. Each request reads the history
from D1 (events, orders, contacts, catalogue) and replays it: the time below is the whole request.

| | wall ms per request | events replayed per second |
|---|---|---|
| median of ${RUNS} | ${Math.round(median(ms))} | **${rate(median(ms))}** |
| best | ${Math.round(Math.min(...ms))} | ${rate(Math.min(...ms))} |
| worst | ${Math.round(Math.max(...ms))} | ${rate(Math.max(...ms))} |

- Events replayed per request (the simulator's own count): ${replayed.toLocaleString('en')} for ${s.contacts.toLocaleString('en')} contacts; truncated: ${s.truncated}
- What the simulation answered: ${s.enrollments} enrollments (${s.heldOut} held out), ${s.messages.total} messages, exits ${JSON.stringify(s.exits)}, deferred ${JSON.stringify(s.deferred)}, skipped ${JSON.stringify(s.skipped)}
- Machine: ${cpus} cores, load average ${load[0].toFixed(2)} before and ${load[1].toFixed(2)} after (shared with other sessions' work)
${END}
`;
}

/** Writes the section into bench/results.md between its markers (appended the first time). */
export function writeSimulatorSection(result) {
  const file = join(repoRoot, 'bench', 'results.md');
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const section = renderSimulatorResults(result);
  const at = before.indexOf(START);
  const after = before.indexOf(END);
  const next = at >= 0 && after > at ? before.slice(0, at) + section.trimEnd() + before.slice(after + END.length) : `${before.trimEnd()}\n\n${section}`;
  writeFileSync(file, next);
  console.log(section);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) writeSimulatorSection(await runSimulatorBench());
