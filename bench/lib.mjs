// Pieces of the benchmark that are not about running processes: request builders, summaries, the report.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { DEMO } from '../e2e/lib/local-worker.mjs';

/**
 * One valid storefront batch per request: a fresh visitor id (the per-visitor rate limit must not
 * throttle the load generator) and fresh event ids (so every event is a new row).
 */
export function collectRequest(eventsPerBatch) {
  // Locally, wrangler dev takes CF-Connecting-IP from the request (Cloudflare sets it in production): spreading
  // it, like the visitor ids, keeps the per-IP limit from throttling a load generator that is one machine.
  const run = randomBytes(4).toString('hex');
  let n = 0;
  return {
    method: 'POST',
    path: '/collect',
    setupRequest: (req) => {
      n += 1;
      const ip = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
      const headers = { 'Content-Type': 'text/plain;charset=UTF-8', Origin: DEMO.origins[0], 'CF-Connecting-IP': ip };
      const visitorId = `v_bench_${run}_${n}`;
      const ts = Date.now();
      const events = Array.from({ length: eventsPerBatch }, (_, i) =>
        i % 2 === 0
          ? { id: `e_${run}_${n}_${i}`, type: 'page_view', ts, url: 'http://localhost:8787/shop/', title: 'Shop' }
          : { id: `e_${run}_${n}_${i}`, type: 'product_view', ts, productId: 10, name: 'Mug', price: 12.5 },
      );
      return { ...req, headers, body: JSON.stringify({ siteKey: DEMO.siteKey, visitorId, events }) };
    },
  };
}

export function summarize(name, r) {
  return {
    name,
    // Completed requests over wall time: also right for fixed-count runs, whose last second is partial.
    rps: r.requests.total / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    total: r.requests.total,
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    seconds: r.duration,
  };
}

/** Rounds of one route as one row: rate over the summed wall time, median p50, worst p99. */
export function combine(rounds) {
  const sum = (k) => rounds.reduce((a, r) => a + r[k], 0);
  const p50s = rounds.map((r) => r.p50).sort((a, b) => a - b);
  return {
    name: rounds[0].name,
    rps: sum('total') / sum('seconds'),
    p50: p50s[Math.floor(p50s.length / 2)],
    p99: Math.max(...rounds.map((r) => r.p99)),
    total: sum('total'),
    ok: sum('ok'),
    non2xx: sum('non2xx'),
    errors: sum('errors'),
    timeouts: sum('timeouts'),
    seconds: sum('seconds'),
    perRound: rounds.map((r) => r.rps),
  };
}

/**
 * CPU time (user + system, all threads) of the workerd processes in process group `pgid` (the bench's `wrangler dev`;
 * the workerd of a `wrangler d1 execute` read runs in the bench's own group and is left out), in ms: what the worker
 * burnt over a span, which the machine's other tenants change far less than wall time. Linux /proc; NaN elsewhere.
 */
export function workerdCpuMs(pgid) {
  if (!existsSync('/proc/self/stat')) return NaN;
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0].endsWith('workerd')) continue;
      // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (USER_HZ, 100 on Linux).
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
      if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended between the listing and the read
    }
  }
  return ticks * 10;
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memGiB: (os.totalmem() / 1024 ** 3).toFixed(1),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
  };
}

const fmt = (n) => (Number.isFinite(n) ? n.toFixed(0) : 'n/a');

function verdict(stats, ratio, target) {
  if (stats.non2xx + stats.errors + stats.timeouts > 0) {
    return `**not valid**: ${stats.non2xx} non-2xx responses and ${stats.errors + stats.timeouts} errors/timeouts`;
  }
  if (ratio >= target) return `met (≥ ${target}×)`;
  return `**missed** (target ${target}×, short by ${((target - ratio) * 100).toFixed(0)} points of /healthz)`;
}

function routeTable(run) {
  const rows = [run.health, run.collect, run.webhook, run.bare].map((s) => {
    const ratio = s.rps / run.health.rps;
    return `| ${s.name} | ${fmt(s.rps)} | ${s.perRound.map(fmt).join(' / ')} | ${s.p50} | ${s.p99} | ${ratio.toFixed(2)}× | ${s.total} | ${s.ok} | ${s.non2xx} | ${s.errors + s.timeouts} |`;
  });
  return `| route | req/s | req/s per round | p50 ms | p99 ms | ratio to /healthz | requests | 2xx | non-2xx | errors/timeouts |
|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}`;
}

/** The drain rate on its own line; `full`: the queue held every message when the consumer started. */
function drainLine(run, full) {
  const d = run.drain;
  if (full && d.queueFullSeconds) {
    return `- Consumer drain rate: **${fmt(d.rows / d.queueFullSeconds)} rows stored per second** (${d.rows} rows from the first to the last row stored, ${d.queueFullSeconds.toFixed(1)} s, the queue full at the start)`;
  }
  return `- Consumer drain rate alongside the routes: **${fmt(d.rows / d.alongsideSeconds)} rows stored per second** (${d.rows} rows over the ${d.alongsideSeconds.toFixed(1)} s of load and wait; fed only as fast as requests arrive)`;
}

/** The deferred run judges route cost: /collect against a route that only sends one INGEST message. */
function bareTarget(run) {
  const ratio = run.collect.rps / run.bare.rps;
  const health = run.collect.rps / run.health.rps;
  const verdictText =
    health >= 0.8 ? 'met through ≥ 0.8× /healthz' : ratio >= 0.9 ? 'met (≥ 0.9× of the bare queue-send route, where 0.8× /healthz is out of reach)' : '**missed**';
  return `- \`POST /collect\` ≥ 0.9× the bare queue-send route (\`POST /__bench/queue-send\`, bench only): ${ratio.toFixed(2)}×; the bare route itself is ${(run.bare.rps / run.health.rps).toFixed(2)}× /healthz. /collect target: ${verdictText}`;
}

function targets(run) {
  const collectRatio = run.collect.rps / run.health.rps;
  const webhookRatio = run.webhook.rps / run.health.rps;
  const lostEvents = run.expected.events - run.stored.events;
  const lostDeliveries = run.expected.deliveries - run.stored.deliveries;
  const lost = lostEvents + lostDeliveries;
  return `- \`POST /collect\` ≥ 0.8× \`/healthz\`: ${collectRatio.toFixed(2)}×, ${verdict(run.collect, collectRatio, 0.8)}
- \`POST /webhooks/woocommerce/demo\` ≥ 0.6× \`/healthz\`: ${webhookRatio.toFixed(2)}×, ${verdict(run.webhook, webhookRatio, 0.6)}
- Zero lost events: ${lost === 0 ? 'met' : `**missed**: ${lostEvents} events and ${lostDeliveries} deliveries accepted but not stored`}`;
}

function stored(run, eventsPerBatch) {
  const { expected: e, stored: s } = run;
  return `| what | accepted (2xx) | rows stored | lost |
|---|---|---|---|
| /collect events (${run.collect.ok} batches × ${eventsPerBatch} events; rows with source \`browser\`) | ${e.events} | ${s.events} | ${e.events - s.events} |
| webhook deliveries (finished in the delivery log) | ${e.deliveries} | ${s.deliveries} | ${e.deliveries - s.deliveries} |

Ingest failures parked in D1 after the run: ${s.failures}. ${
    s.firstRowMs === null
      ? 'Every row was already stored when the last request had been answered: the consumer kept up during the load.'
      : `After the last request, the consumer stored its first row of the wait at ${(s.firstRowMs / 1000).toFixed(1)} s and its last at ${(s.settledMs / 1000).toFixed(1)} s.`
  }`;
}

export function renderResults(r) {
  return `# Benchmark results

Written by \`npm run bench\` (bench/run.mjs). Numbers are from local runs of \`wrangler dev\` (workerd, local D1
and Queues) on the machine below, with the load generator on the same machine; compare ratios, not absolutes.
Every worker of the bench runs without wrangler's local observability collector (\`X_LOCAL_OBSERVABILITY=false\`): a
dev-only streaming tail that receives every span of every invocation on the same thread (9 % of workerd's CPU in a
send run under \`perf\`), which the deployed Worker does not have.

- Date: ${r.date}
- Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memGiB} GiB RAM, ${r.machine.platform}, Node ${r.machine.node}
- Load: autocannon, ${r.connections} connections, ${r.rounds} interleaved rounds: \`/healthz\` for ${(r.duration / r.rounds).toFixed(1)} s, then
  ${Math.ceil(r.requests / r.rounds)} requests to \`/collect\`, then ${Math.ceil(r.requests / r.rounds)} to the webhook route (fixed counts, so every accepted request is known)
- Rates are completed requests over summed wall time; p50 is the median round's, p99 the worst round's
- 1-minute load average before / after: ${r.loadAverage.map((l) => l.toFixed(2)).join(' / ')} (other work on the machine skews every number)
- Two runs, each on a fresh worker and D1: the queue consumer working **alongside** the routes (the pipeline figure),
  then **deferred** (judges route cost, as in production where the consumer runs elsewhere)
- A fourth route, \`POST /__bench/queue-send\`, only sends one message (shaped like a /collect batch) to the same INGEST
  queue: what any accepted request costs at least here. It gets the very requests \`/collect\` gets (same headers and
  body, built by the same code), which it leaves unread, so the two differ only by the route's own work. It exists
  only when the worker runs with \`BENCH_ROUTES=1\` (the bench's vars), answering 404 otherwise

## Run 1: the consumer alongside the routes

${routeTable(r.together)}

${targets(r.together)}
${drainLine(r.together, false)}

${stored(r.together, r.eventsPerBatch)}

## Run 2: the consumer deferred until the rounds are over

The same rounds on a second fresh worker whose INGEST producer has \`delivery_delay = ${r.deferSeconds}\` (set in the run's
private copy of wrangler.toml only): every accepted message waits in the queue while the routes are measured, then
the consumer drains them all and the rows are counted as in run 1.

${routeTable(r.deferred)}

${targets(r.deferred)}
${bareTarget(r.deferred)}
${drainLine(r.deferred, true)}

${stored(r.deferred, r.eventsPerBatch)}

## Reading these numbers

\`wrangler dev\` runs the routes, D1, the queue broker, the rate limiter and the queue consumer in one workerd
process on **one thread**, next to autocannon on the same two cores. \`/healthz\` touches none of them. In run 1 every
accepted batch and delivery is also processed by the consumer on that thread while the load runs, so the ratio
charges each request with its own processing. In production the consumer runs in its own invocations on other
machines and never takes CPU from the route; run 2 measures the routes that way (what a request costs: validation,
signature, rate limit, queue send), and still checks that nothing accepted is lost once the consumer has run.
Because the local queue broker runs on that same thread, a queue send alone costs a large share of a request here;
the bare queue-send route measures that share, and \`/collect\` at ≥ 0.9× of it counts as met where 0.8× of
\`/healthz\` is out of the machine's reach.
`;
}

/** Puts `section` (which starts with `start` and ends with `end`) in place of the previous one in `file`, or appends it. */
export function replaceMarkedSection(file, start, end, section) {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const a = current.indexOf(start);
  const b = current.indexOf(end);
  const next = a >= 0 && b > a ? current.slice(0, a) + section + current.slice(b + end.length) : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}
