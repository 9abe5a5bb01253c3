// `npm run bench`: load GET /healthz, POST /collect and POST /webhooks/woocommerce/demo on fresh local workers
// with autocannon, wait for the queue to drain, count what was stored, write bench/results.md.
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { join } from 'node:path';
import { PROFILE_PORT, profiling } from './profile.mjs';
import { applyMigrations, freePort, repoRoot, seedDemoStore, snapshotSources, startWorker } from '../e2e/lib/local-worker.mjs';
import { machine, renderResults } from './lib.mjs';
import { prepareJourneyBench, renderJourneyResults } from './journeys.mjs';
import { EVENTS_PER_BATCH, measureRoutes } from './routes.mjs';
import { runStatsBench, writeStatsSection } from './stats.mjs';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
/** /collect and the webhook route run a fixed number of requests, so every accepted one is known and counted. */
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
/** In the second run the INGEST queue holds every message this long: enough for all measured rounds to finish. */
const DEFER_SECONDS = Number(process.env.BENCH_DEFER_SECONDS ?? 60);
/** `BENCH_ONLY=routes` skips the journey sections and writes bench/.tmp/results-routes.md, leaving results.md alone. */
const ROUTES_ONLY = process.env.BENCH_ONLY === 'routes';
/**
 * Trials: `BENCH_ONLY=send` runs only the send throughput and the floor, `BENCH_ONLY=timers` only the timer precision;
 * written to bench/.tmp/results-<part>.md.
 */
const JOURNEY_ONLY = ['send', 'timers'].includes(process.env.BENCH_ONLY) ? process.env.BENCH_ONLY : undefined;

const tmp = join(repoRoot, 'bench', '.tmp');
mkdirSync(tmp, { recursive: true });
const adminToken = `bench-${randomBytes(12).toString('hex')}`;
const routeLoad = { adminToken, rounds: ROUNDS, duration: DURATION, requests: REQUESTS, connections: CONNECTIONS };

/**
 * The INGEST producer's `delivery_delay`, set in the run's private copy of wrangler.toml only: the consumer then
 * starts after the measured rounds instead of sharing workerd's one thread with the routes while they are loaded.
 */
function deferIngest(dir, seconds) {
  const file = join(dir, 'wrangler.toml');
  const toml = readFileSync(file, 'utf8');
  const producer = 'binding = "INGEST"\nqueue = "nightshift-ingest"\n';
  if (!toml.includes(producer)) throw new Error('bench: the INGEST producer block of wrangler.toml changed; update deferIngest');
  writeFileSync(file, toml.replace(producer, `${producer}delivery_delay = ${seconds}\n`));
}

/**
 * Bench-only bindings, in the run's private copy of wrangler.toml only: the bare BenchAlarm Durable Object
 * (the alarm floor). BENCH_ROUTES=1 (a var of the run's worker) opens the /__bench routes that use them.
 */
function enableBenchBindings(dir) {
  const file = join(dir, 'wrangler.toml');
  const toml = readFileSync(file, 'utf8');
  const anchor = '[[ratelimits]]';
  if (!toml.includes(anchor)) throw new Error('bench: no [[ratelimits]] block in wrangler.toml; update enableBenchBindings');
  const block = `[[durable_objects.bindings]]\nname = "BENCH_ALARM"\nclass_name = "BenchAlarm"\n\n[[migrations]]\ntag = "bench-only"\nnew_sqlite_classes = ["BenchAlarm"]\n\n`;
  writeFileSync(file, toml.replace(anchor, `${block}${anchor}`));
}

/** One fresh local D1 and one `wrangler dev` for `fn`, removed afterwards. */
async function withWorker(name, { prepare, defer, vars = {} }, fn) {
  const persistTo = join(tmp, `state-${name}-${process.pid}`);
  const src = join(tmp, `src-${name}-${process.pid}`);
  rmSync(persistTo, { recursive: true, force: true });
  let worker;
  let prepared;
  try {
    console.log(`bench (${name}): migrating and seeding a fresh local D1`);
    await applyMigrations({ persistTo });
    await seedDemoStore({ persistTo });
    prepared = await prepare?.({ persistTo });
    const cwd = snapshotSources(src);
    if (defer) deferIngest(cwd, defer);
    enableBenchBindings(cwd);
    worker = await startWorker({
      port: await freePort(),
      persistTo,
      cwd,
      vars: { ADMIN_TOKEN: adminToken, BENCH_ROUTES: '1', ...vars, ...prepared?.vars },
      logFile: createWriteStream(join(tmp, `wrangler-${name}-${process.pid}.log`)),
      extraArgs: profiling ? ['--inspector-port', String(PROFILE_PORT)] : [],
      observability: false,
    });
    return await fn(worker.url, prepared, worker);
  } finally {
    await worker?.stop();
    await prepared?.close();
    rmSync(persistTo, { recursive: true, force: true });
    rmSync(src, { recursive: true, force: true });
  }
}

// Hand-run trials (`BENCH_ONLY=send`, copied in between the markers) survive a full run, which rewrites the file.
const RESULTS = join(repoRoot, 'bench', 'results.md');
const TRIALS = /<!-- send-trials:start -->[\s\S]*<!-- send-trials:end -->\n?/;
const keptTrials = (() => {
  try {
    return TRIALS.exec(readFileSync(RESULTS, 'utf8'))?.[0] ?? '';
  } catch {
    return '';
  }
})();

const loadBefore = os.loadavg()[0];
const prepare = ROUTES_ONLY ? undefined : prepareJourneyBench;
if (JOURNEY_ONLY) {
  const journeys = await withWorker(JOURNEY_ONLY, { prepare }, (url, prepared, worker) => prepared.run({ url, adminToken, only: JOURNEY_ONLY, pgid: worker.child.pid }));
  const markdown = renderJourneyResults(journeys);
  writeFileSync(join(tmp, `results-${JOURNEY_ONLY}.md`), markdown);
  console.log(markdown);
  process.exit(0);
}
const { together, journeys } = await withWorker('together', { prepare }, async (url, prepared, worker) => {
  console.log(`bench: consumer alongside the routes, ${ROUNDS} rounds, ${CONNECTIONS} connections, ${url}`);
  const together = await measureRoutes({ url, ...routeLoad });
  const journeys = prepared && (await prepared.run({ url, adminToken, pgid: worker.child.pid }));
  return { together, journeys };
});
const deferred = await withWorker('deferred', { defer: DEFER_SECONDS }, async (url) => {
  console.log(`bench: consumer deferred by ${DEFER_SECONDS} s, ${ROUNDS} rounds, ${CONNECTIONS} connections, ${url}`);
  return measureRoutes({ url, ...routeLoad, idleMs: (DEFER_SECONDS + 30) * 1000 });
});

const markdown =
  renderResults({
    machine: machine(),
    date: new Date().toISOString(),
    duration: DURATION,
    requests: REQUESTS,
    rounds: ROUNDS,
    connections: CONNECTIONS,
    eventsPerBatch: EVENTS_PER_BATCH,
    deferSeconds: DEFER_SECONDS,
    loadAverage: [loadBefore, os.loadavg()[0]],
    together,
    deferred,
  }) + (journeys ? renderJourneyResults(journeys) : '');
const recs = await import('./recommendations.mjs');
const recsLoad = os.loadavg()[0];
const recsResult = await withWorker('recommendations', { prepare: recs.seedCatalogue }, (url) => recs.measureRecommendations({ url, rounds: ROUNDS, duration: DURATION, connections: CONNECTIONS }));
writeFileSync(ROUTES_ONLY ? join(tmp, 'results-routes.md') : join(repoRoot, 'bench', 'results.md'), markdown);
console.log(markdown);
if (!ROUTES_ONLY) recs.writeRecommendationsSection(recsResult, recsLoad);
if (!ROUTES_ONLY) writeStatsSection(await runStatsBench({ adminToken }));
if (!ROUTES_ONLY) await (await import('./segments.mjs')).segmentsBench();
if (!ROUTES_ONLY) {
  const sim = await import('./simulator.mjs');
  sim.writeSimulatorSection(await sim.runSimulatorBench({ adminToken }));
  const now = readFileSync(RESULTS, 'utf8');
  if (keptTrials && !TRIALS.test(now)) writeFileSync(RESULTS, `${now.trimEnd()}\n\n${keptTrials}`);
}
