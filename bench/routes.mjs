// `npm run bench`, route part: interleaved autocannon rounds against /healthz, /collect and the webhook route of
// one running worker, then a count of what the queue consumer stored.
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { DEMO, wooSignature } from '../e2e/lib/local-worker.mjs';
import { loadWooFixtures } from '../e2e/lib/woo-fixtures.mjs';
import { collectRequest, combine, summarize } from './lib.mjs';

export const EVENTS_PER_BATCH = 2;

/**
 * autocannon notices that a fixed-count run is done only on its one-second tick, so its own duration
 * rounds up; the rate here runs from the start to the last response instead.
 */
async function load(name, connections, { requests, ...opts }) {
  const started = performance.now();
  let last = started;
  const stamp = (r) => ({ ...r, onResponse: () => void (last = performance.now()) });
  const r = await autocannon({ connections, timeout: 30, ...opts, requests: (requests ?? [{}]).map(stamp) });
  return summarize(name, { ...r, duration: (last - started) / 1000 });
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

function storeStats(url, adminToken) {
  return async () => {
    const res = await fetch(`${url}/api/stores/${DEMO.storeId}`, { headers: { Authorization: `Bearer ${adminToken}` } });
    if (!res.ok) throw new Error(`GET /api/stores/${DEMO.storeId}: HTTP ${res.status} ${await res.text()}`);
    const s = await res.json();
    const queued = s.webhooks.byStatus.queued ?? 0;
    return {
      events: s.counts.eventsBySource.browser ?? 0,
      deliveries: Object.values(s.webhooks.byTopic).reduce((a, b) => a + b, 0) - queued,
      failures: s.webhooks.failures.total,
    };
  };
}

/**
 * Waits until everything accepted is stored, or nothing has moved for `idleMs`. Reports when rows first and last
 * appeared after the load (`firstRowMs` is null when everything was stored by the first look).
 */
async function settle(stats, before, expected, idleMs) {
  const started = Date.now();
  let first = null;
  let lastChange = started;
  let last = null;
  for (;;) {
    const s = await stats();
    const now = { events: s.events - before.events, deliveries: s.deliveries - before.deliveries, failures: s.failures };
    if (last && (now.events !== last.events || now.deliveries !== last.deliveries)) {
      first ??= Date.now();
      lastChange = Date.now();
    }
    last = now;
    const done = now.events === expected.events && now.deliveries === expected.deliveries;
    if (done || Date.now() - lastChange > idleMs) return { ...now, firstRowMs: first && first - started, settledMs: lastChange - started };
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs the interleaved rounds against a started worker and counts what was stored once the queue settled. */
export async function measureRoutes({ url, adminToken, rounds, duration, requests, connections, idleMs = 20_000 }) {
  const stats = storeStats(url, adminToken);
  await autocannon({ url: `${url}/healthz`, connections: 2, duration: 2 });
  const before = await stats();
  const runs = { health: [], collect: [], webhook: [], bare: [] };
  // The bare route gets /collect's own requests (headers, body and the client's work to build them): the
  // difference between the two is then the route's work alone, not the bytes on the wire or autocannon's.
  const bareReq = { ...collectRequest(EVENTS_PER_BATCH), path: '/__bench/queue-send' };
  const collectReq = collectRequest(EVENTS_PER_BATCH);
  const webhookReqs = webhookRequests();
  const perRound = Math.ceil(requests / rounds);
  for (let round = 1; round <= rounds; round += 1) {
    runs.health.push(await load('GET /healthz', connections, { url: `${url}/healthz`, duration: duration / rounds }));
    runs.collect.push(await load('POST /collect', connections, { url, amount: perRound, requests: [collectReq] }));
    runs.webhook.push(await load('POST /webhooks/woocommerce/demo', connections, { url, amount: perRound, requests: webhookReqs }));
    runs.bare.push(await load('POST /__bench/queue-send (bench only)', connections, { url, amount: perRound, requests: [bareReq] }));
    const [h, c, w, b] = [runs.health, runs.collect, runs.webhook, runs.bare].map((r) => r.at(-1).rps.toFixed(0));
    console.log(`  round ${round}/${rounds}: /healthz ${h}, /collect ${c}, webhooks ${w}, bare queue send ${b} req/s`);
  }
  const [health, collect, webhook, bare] = [runs.health, runs.collect, runs.webhook, runs.bare].map(combine);
  const expected = { events: collect.ok * EVENTS_PER_BATCH, deliveries: webhook.ok };
  console.log(`  ${expected.events} events and ${expected.deliveries} deliveries accepted; waiting for the queue to drain…`);
  const settleStarted = Date.now();
  const stored = await settle(stats, before, expected, idleMs);
  // Rows stored per second: over the whole load and wait when the consumer runs alongside (it is fed only as fast as
  // requests arrive), over first to last row when it drains a full queue after the deferred rounds.
  const rows = stored.events + stored.deliveries;
  const loadSeconds = [health, collect, webhook, bare].reduce((a, r) => a + r.seconds, 0);
  const drain = {
    rows,
    alongsideSeconds: loadSeconds + stored.settledMs / 1000,
    queueFullSeconds: stored.firstRowMs === null ? null : (stored.settledMs - stored.firstRowMs) / 1000,
    settleStarted,
  };
  return { health, collect, webhook, bare, expected, stored, drain };
}
