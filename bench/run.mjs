// `npm run bench`: load GET /healthz, POST /collect and POST /webhooks/woocommerce/demo on a fresh local
// worker with autocannon, wait for the queue to drain, count what was stored, write bench/results.md.
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { DEMO, applyMigrations, freePort, repoRoot, seedDemoStore, snapshotSources, startWorker, wooSignature } from '../e2e/lib/local-worker.mjs';
import { loadWooFixtures } from '../e2e/lib/woo-fixtures.mjs';
import { collectRequest, combine, drain, machine, renderResults, summarize } from './lib.mjs';
import { prepareJourneyBench, renderJourneyResults } from './journeys.mjs';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
/** /collect and the webhook route run a fixed number of requests, so every accepted one is known and counted. */
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const EVENTS_PER_BATCH = 2;
/** `BENCH_ONLY=routes` skips the journey sections and writes bench/.tmp/results-routes.md, leaving results.md alone. */
const ROUTES_ONLY = process.env.BENCH_ONLY === 'routes';

const tmp = join(repoRoot, 'bench', '.tmp');
const persistTo = join(tmp, `state-${process.pid}`);
mkdirSync(tmp, { recursive: true });
rmSync(persistTo, { recursive: true, force: true });

const adminToken = `bench-${randomBytes(12).toString('hex')}`;
const port = await freePort();

/**
 * autocannon notices that a fixed-count run is done only on its one-second tick, so its own duration
 * rounds up; the rate here runs from the start to the last response instead.
 */
async function load(name, { requests, ...opts }) {
  const started = performance.now();
  let last = started;
  const stamp = (r) => ({ ...r, onResponse: () => void (last = performance.now()) });
  const r = await autocannon({ connections: CONNECTIONS, timeout: 30, ...opts, requests: (requests ?? [{}]).map(stamp) });
  return summarize(name, { ...r, duration: (last - started) / 1000 });
}

async function admin(url, path) {
  const res = await fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${adminToken}` } });
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

/** Webhook bodies rotate through the orders, customers and products the fixtures hold; each delivery id is new. */
function webhookRequests() {
  const fixtures = loadWooFixtures().filter((f) => /^(order|customer|product)\./.test(f.topic) && !f.name.endsWith('deleted'));
  return fixtures.map((f) => {
    const headers = { 'Content-Type': 'application/json', 'X-WC-Webhook-Signature': wooSignature(DEMO.webhookSecret, f.body) };
    for (const [k, v] of f.headers) if (/^x-wc-webhook-(topic|resource|event|id|source)$/i.test(k)) headers[k] = v;
    return {
      method: 'POST',
      path: `/webhooks/woocommerce/${DEMO.storeId}`,
      body: f.body,
      setupRequest: (req) => ({ ...req, headers: { ...headers, 'X-WC-Webhook-Delivery-ID': randomBytes(16).toString('hex') } }),
    };
  });
}

let worker;
let journeys;
try {
  console.log('bench: migrating and seeding a fresh local D1');
  await applyMigrations({ persistTo });
  await seedDemoStore({ persistTo });
  journeys = ROUTES_ONLY ? undefined : await prepareJourneyBench({ persistTo });
  worker = await startWorker({
    port,
    persistTo,
    cwd: snapshotSources(join(tmp, `src-${process.pid}`)),
    vars: { ADMIN_TOKEN: adminToken, ...journeys?.vars },
    logFile: createWriteStream(join(tmp, `wrangler-${process.pid}.log`)),
  });
  const url = worker.url;
  console.log(`bench: ${ROUNDS} rounds of /healthz ${DURATION / ROUNDS}s, /collect and webhooks ${Math.ceil(REQUESTS / ROUNDS)} requests each, ${CONNECTIONS} connections, ${url}`);
  const loadBefore = os.loadavg()[0];

  await autocannon({ url: `${url}/healthz`, connections: 2, duration: 2 });
  // Rounds interleave the routes so that background load on a shared machine hits them alike.
  const browserEvents = async () => (await admin(url, `/api/stores/${DEMO.storeId}`)).counts.eventsBySource.browser ?? 0;
  const before = await browserEvents();
  const runs = { health: [], collect: [], webhook: [] };
  const collectReq = collectRequest(EVENTS_PER_BATCH);
  const webhookReqs = webhookRequests();
  for (let round = 1; round <= ROUNDS; round += 1) {
    runs.health.push(await load('GET /healthz', { url: `${url}/healthz`, duration: DURATION / ROUNDS }));
    runs.collect.push(await load('POST /collect', { url, amount: Math.ceil(REQUESTS / ROUNDS), requests: [collectReq] }));
    runs.webhook.push(await load('POST /webhooks/woocommerce/demo', { url, amount: Math.ceil(REQUESTS / ROUNDS), requests: webhookReqs }));
    const [h, c, w] = [runs.health, runs.collect, runs.webhook].map((r) => r.at(-1).rps.toFixed(0));
    console.log(`  round ${round}/${ROUNDS}: /healthz ${h}, /collect ${c}, webhooks ${w} req/s`);
  }
  const [health, collect, webhook] = [runs.health, runs.collect, runs.webhook].map(combine);
  const eventsAccepted = collect.ok * EVENTS_PER_BATCH;
  console.log(`  ${eventsAccepted} events and ${webhook.ok} deliveries accepted; waiting for the queue to drain…`);
  const eventsStored = (await drain(async () => (await browserEvents()) - before, eventsAccepted)).value;
  const delivered = await drain(async () => {
    const s = await admin(url, `/api/stores/${DEMO.storeId}`);
    return s.webhooks.byStatus.queued ? -1 : Object.values(s.webhooks.byTopic).reduce((a, b) => a + b, 0);
  }, webhook.ok);
  const failures = (await admin(url, `/api/stores/${DEMO.storeId}`)).webhooks.failures.total;

  const markdown = renderResults({
    machine: machine(),
    date: new Date().toISOString(),
    duration: DURATION,
    requests: REQUESTS,
    rounds: ROUNDS,
    connections: CONNECTIONS,
    loadAverage: [loadBefore, os.loadavg()[0]],
    health,
    collect,
    webhook,
    eventsAccepted,
    eventsPerBatch: EVENTS_PER_BATCH,
    eventsStored,
    deliveriesAccepted: webhook.ok,
    deliveriesStored: delivered.value,
    ingestFailures: failures,
  }) + (journeys ? renderJourneyResults(await journeys.run({ url, adminToken })) : '');
  writeFileSync(ROUTES_ONLY ? join(tmp, 'results-routes.md') : join(repoRoot, 'bench', 'results.md'), markdown);
  console.log(markdown);
} finally {
  await worker?.stop();
  await journeys?.close();
  rmSync(persistTo, { recursive: true, force: true });
  rmSync(join(tmp, `src-${process.pid}`), { recursive: true, force: true });
}
