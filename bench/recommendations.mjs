// `GET /widgets/recommendations` against `/healthz` on one local worker: interleaved autocannon rounds, the
// shared kinds answered from the edge cache. `node bench/recommendations.mjs` runs it alone on a fresh worker; either
// way its figures go to bench/results.md between the markers below (writeRecommendationsSection).
import autocannon from 'autocannon';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import os from 'node:os';
import { machine, replaceMarkedSection } from './lib.mjs';
import { applyMigrations, DEMO, d1Query, freePort, repoRoot, seedDemoStore, startWorker } from '../e2e/lib/local-worker.mjs';

const TARGET = 0.5;
const START = '<!-- recommendations-bench:start -->';
const END = '<!-- recommendations-bench:end -->';

/** A few products and paid orders for the demo store, so the lists are not empty. */
export async function seedCatalogue({ persistTo }) {
  const products = Array.from({ length: 12 }, (_, i) => `('${DEMO.storeId}', ${9001 + i}, 'simple', 'Produit ${i + 1}', ${10 + i}, '[]', 'instock', 'https://shop.test/p/${9001 + i}', 'https://shop.test/img/${9001 + i}.jpg', 1, 1)`);
  await d1Query(`INSERT OR IGNORE INTO products (store_id, id, type, name, price, categories, stock_status, permalink, image_url, source_modified_at, updated_at) VALUES ${products.join(', ')}`, { persistTo });
  const now = Date.now();
  const orders = Array.from({ length: 6 }, (_, i) => `('${DEMO.storeId}', ${8001 + i}, 'completed', 1, '[]', '{}', ${now}, ${now}, 1, 1)`);
  await d1Query(`INSERT OR IGNORE INTO orders (store_id, id, status, total, coupon_codes, attribution, created_at, paid_at, source_modified_at, updated_at) VALUES ${orders.join(', ')}`, { persistTo });
  const items = Array.from({ length: 12 }, (_, i) => `('${DEMO.storeId}', ${8001 + (i % 6)}, ${i + 1}, ${9001 + i}, '', ${1 + (i % 4)}, 1, 1)`);
  await d1Query(`INSERT OR IGNORE INTO order_items (store_id, order_id, line_id, product_id, name, quantity, price, total) VALUES ${items.join(', ')}`, { persistTo });
}

async function rate(url, connections, duration) {
  const r = await autocannon({ url, connections, duration, timeout: 30 });
  return { rps: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts };
}

/** Interleaved rounds of /healthz and the new-arrivals carousel (HTML; every shared kind is served the same way); returns the rates and a markdown line. */
export async function measureRecommendations({ url, rounds = 3, duration = 10, connections = 10 }) {
  const path = `/widgets/recommendations?site=${DEMO.siteKey}&kind=new&format=html&limit=8`;
  const first = await fetch(`${url}${path}`);
  if (!first.ok) throw new Error(`GET ${path}: HTTP ${first.status} ${await first.text()}`);
  const health = [];
  const recs = [];
  for (let i = 0; i < rounds; i++) {
    health.push(await rate(`${url}/healthz`, connections, duration / rounds));
    recs.push(await rate(`${url}${path}`, connections, duration / rounds));
  }
  const mean = (runs) => runs.reduce((s, r) => s + r.rps, 0) / runs.length;
  const ratio = mean(recs) / mean(health);
  const failures = recs.reduce((s, r) => s + r.non2xx + r.errors, 0);
  const verdict = ratio >= TARGET && failures === 0 ? 'met' : '**missed**';
  const line = `- \`GET /widgets/recommendations\` (new arrivals, HTML, edge cache) ≥ ${TARGET}× \`/healthz\`: ${mean(recs).toFixed(0)} vs ${mean(health).toFixed(0)} req/s = ${ratio.toFixed(2)}×, ${failures} failures: ${verdict}`;
  return { health: mean(health), recommendations: mean(recs), ratio, failures, line, rounds, duration, connections };
}

/** The bench's section of bench/results.md, with the machine and date the figures come from. */
export function writeRecommendationsSection(result, loadBefore) {
  const m = machine();
  const section = [
    START,
    '## Recommendations (`node bench/recommendations.mjs`, or within `npm run bench`)',
    '',
    `${new Date().toISOString()}; ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB, ${m.platform}, node ${m.node}; 1-minute load ${loadBefore.toFixed(1)} → ${os.loadavg()[0].toFixed(1)} (shared machine).`,
    `One local worker (wrangler dev), 12 products and 6 paid orders seeded; ${result.rounds} interleaved autocannon rounds of ${(result.duration / result.rounds).toFixed(1)} s each per route, ${result.connections} connections.`,
    '',
    result.line,
    END,
  ].join('\n');
  replaceMarkedSection(join(repoRoot, 'bench', 'results.md'), START, END, section);
  console.log(section);
}

/** A fresh local worker for this bench alone. */
async function runAlone() {
  const persistTo = join(repoRoot, 'bench', '.tmp', `state-recs-${process.pid}`);
  mkdirSync(persistTo, { recursive: true });
  let worker;
  try {
    await applyMigrations({ persistTo });
    await seedDemoStore({ persistTo });
    await seedCatalogue({ persistTo });
    worker = await startWorker({ port: await freePort(), persistTo, observability: false });
    const loadBefore = os.loadavg()[0];
    const result = await measureRecommendations({ url: worker.url, duration: Number(process.env.BENCH_DURATION ?? 10) });
    writeRecommendationsSection(result, loadBefore);
  } finally {
    await worker?.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runAlone();
