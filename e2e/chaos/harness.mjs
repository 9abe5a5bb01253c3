// What every chaos scenario shares: one `wrangler dev` that can be killed with SIGKILL and started again on
// the same local state, a fetch that counts every request and every 5xx, and a tally per scenario.
import { randomBytes } from 'node:crypto';
import { createWriteStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, applyMigrations, d1Query, d1Read as d1ReadShared, freePort, seedDemoStore, snapshotSources, startWorker } from '../lib/local-worker.mjs';
import { middayZone, seedStores } from '../lib/journey-kit.mjs';
import { mulberry32 } from '../lib/seeded-random.mjs';

/** One row of the closing table. `other` holds failures that are neither duplicates nor losses (e.g. a resurrected erasure). */
export function createTally(name) {
  return { name, requests: 0, fivexx: 0, duplicates: 0, lost: 0, other: 0, notes: [] };
}

/**
 * fetch that counts into a tally. A network error against the worker (not the harness killing it on purpose)
 * counts as a 5xx: the shopper or WooCommerce saw a failure.
 */
export function countingFetch(tally, { expectDown = () => false } = {}) {
  return async (url, init) => {
    tally.requests += 1;
    try {
      const res = await fetch(url, init);
      if (res.status >= 500) {
        tally.fivexx += 1;
        if (tally.notes.length < 8) tally.notes.push(`${res.status} ${init?.method ?? 'GET'} ${new URL(url).pathname}: ${(await res.clone().text()).slice(0, 160)}`);
      }
      return res;
    } catch (e) {
      if (!expectDown()) {
        tally.fivexx += 1;
        if (tally.notes.length < 8) tally.notes.push(`network error ${init?.method ?? 'GET'} ${new URL(url).pathname}: ${e.message}`);
      }
      throw e;
    }
  };
}

/**
 * A worker whose process group can be SIGKILLed (`crash`) and started again on the same D1, Durable Object
 * and queue state (`restart`), as a machine failure would leave it.
 */
export async function startChaosWorker({ tmp, vars, stores = [] }) {
  const persistTo = join(tmp, `chaos-state-${process.pid}`);
  const src = join(tmp, `chaos-src-${process.pid}`);
  const logPath = join(tmp, `chaos-wrangler-${process.pid}.log`);
  rmSync(persistTo, { recursive: true, force: true });
  await applyMigrations({ persistTo });
  await seedDemoStore({ persistTo });
  await d1Query(`UPDATE stores SET timezone = '${middayZone()}' WHERE id = '${DEMO.storeId}'`, { persistTo });
  if (stores.length) await seedStores(stores, { persistTo });
  snapshotSources(src);
  const adminToken = `chaos-${randomBytes(12).toString('hex')}`;
  const port = await freePort();
  const logFile = createWriteStream(logPath, { flags: 'a' });
  // --test-scheduled: the harness fires cron triggers itself (/__scheduled), as wrangler dev does not on its own.
  const launch = () => startWorker({ port, persistTo, cwd: src, logFile, vars: { ADMIN_TOKEN: adminToken, ...vars }, extraArgs: ['--test-scheduled'] });
  let worker = await launch();
  let down = false;
  return {
    url: worker.url,
    adminToken,
    persistTo,
    logPath,
    isDown: () => down,
    /** SIGKILL to wrangler and workerd at once: no shutdown hook, no flush. */
    crash: async () => {
      down = true;
      const exited = new Promise((r) => worker.child.once('exit', r));
      try {
        process.kill(-worker.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await exited;
    },
    restart: async () => {
      worker = await launch();
      down = false;
    },
    stop: async () => worker.stop(),
    cleanup: (failed) => {
      if (!process.env.E2E_KEEP_STATE) rmSync(persistTo, { recursive: true, force: true });
      rmSync(src, { recursive: true, force: true });
      if (!failed) rmSync(logPath, { force: true });
    },
  };
}

/** Runs `fn` over `items` with at most `n` in flight. */
export async function pool(items, n, fn) {
  const out = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  });
  await Promise.all(lanes);
  return out;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls a D1 count until it stops changing for `quietMs` (the queue has drained), then returns it. */
export async function settle(read, { quietMs = 3_000, timeoutMs = 60_000, intervalMs = 500 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = JSON.stringify(await read());
  let since = Date.now();
  while (Date.now() < deadline) {
    await sleep(intervalMs);
    const now = JSON.stringify(await read());
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) break;
  }
  return JSON.parse(last);
}

/** Seeded numbers with the helpers the fuzzer needs, so a failing run can be replayed with the same CHAOS_SEED. */
export function prng(seed) {
  const next = mulberry32(seed);
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)],
    bytes: (n) => Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256))),
  };
}

export const sqlQuote = (s) => `'${String(s).replaceAll("'", "''")}'`;


/** D1 as the chaos worker holds it (a second process reading while wrangler dev writes; retried on BUSY). */
export const d1Read = (sql, persistTo) => d1ReadShared(sql, { persistTo });
