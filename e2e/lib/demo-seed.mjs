// `npm run dev`'s living demo: the seeded history (bulk SQL through `wrangler d1 execute --local --file`,
// see e2e/demo/) and, once the worker answers, what the owner would set through the admin API: sender,
// postal address and the flows the history ran, switched on.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, repoRoot, wrangler } from './local-worker.mjs';
import { buildDemoSeed, POSTAL_ADDRESS } from '../demo/seed-sql.mjs';
import { DEMO_FLOWS } from '../demo/journeys.mjs';
import { sendLiveOrders } from '../demo/live-orders.mjs';

const DAY = 86_400_000;
/** The history ends the day before this UTC midnight: one day, one set of rows. */
export const demoEndDay = (now = Date.now()) => Math.floor(now / DAY) * DAY;

/** `before` (SQL) runs first in the same file: the demo store row, saving a second wrangler start. */
export async function seedDemoHistory({ persistTo, shop, workerUrl, before = '', now = Date.now() }) {
  const started = Date.now();
  const seed = await buildDemoSeed({ endDay: demoEndDay(now), shop, workerUrl });
  const dir = join(repoRoot, 'e2e', '.tmp');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `demo-seed-${process.pid}.sql`);
  writeFileSync(file, `${before}\n${seed.sql}`);
  try {
    await wrangler(['d1', 'execute', 'DB', '--local', '--yes', ...(persistTo ? ['--persist-to', persistTo] : []), '--file', file]);
  } finally {
    rmSync(file, { force: true });
  }
  return { ...seed, sql: undefined, ms: Date.now() - started };
}

async function adminFetch(url, adminToken, path, init = {}) {
  const res = await fetch(`${url}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json', ...init.headers },
  });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * Through the product's own paths: the admin API sets the sender and postal address promotional email needs
 * and switches the history's flows on (only those still off, so a re-run writes no new flow version); signed
 * WooCommerce deliveries bring the latest orders.
 */
export async function configureDemoStore({ url, adminToken, shop, now = Date.now() }) {
  const api = (path, init) => adminFetch(url, adminToken, path, init);
  await api(`/api/stores/${DEMO.storeId}/settings`, {
    method: 'PATCH',
    body: JSON.stringify({ fromEmail: 'bonjour@example.com', fromName: 'Demo store', replyTo: 'service-client@example.com', postalAddress: POSTAL_ADDRESS }),
  });
  const { flows } = await api(`/api/flows?store=${DEMO.storeId}`);
  const off = flows.filter((f) => DEMO_FLOWS.includes(f.id) && !f.enabled);
  for (const f of off) {
    await api(`/api/flows/${encodeURIComponent(f.id)}?store=${DEMO.storeId}`, { method: 'PATCH', body: JSON.stringify({ enabled: true }) });
  }
  // After the flows are on, so yesterday evening's orders start real post-purchase and win-back journeys.
  const liveOrders = await sendLiveOrders({ url, shop, endDay: demoEndDay(now) });
  return { enabled: off.map((f) => f.id), liveOrders };
}
