// Shared by `npm run dev`, `npm run e2e` and `npm run bench`: migrate and seed local D1,
// start `wrangler dev`, sign requests the way WooCommerce and the plugin bridge do.
import { spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const wranglerJs = join(repoRoot, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
/** The project carries its own Node (>= 22, as wrangler needs) in node_modules; prefer it to the machine's. */
const bundledNode = join(repoRoot, 'node_modules', '.bin', 'node');
export const nodeBin = existsSync(bundledNode) ? bundledNode : process.execPath;

/** The demo store's known secrets: local-only, printed by `npm run dev`, never used in production. */
/** Seals store secrets in the local workers' D1 (base64 of 32 bytes); local only, like the demo secrets. */
export const LOCAL_SECRETS_KEY = 'bG9jYWwtZGV2LXNlY3JldHMta2V5LTAxMjM0NTY3ODk=';

export const DEMO = {
  storeId: 'demo',
  name: 'Demo store',
  webhookSecret: 'whsec_demo_local_do_not_use_in_production',
  siteKey: 'pk_demo_local',
  connectToken: 'ct_demo_local_do_not_use_in_production',
  origins: ['http://localhost:8787', 'http://127.0.0.1:8787'],
};

/** Runs wrangler with the project's own Node and resolves with its output; rejects on failure. */
export function wrangler(args, { quiet = true } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(nodeBin, [wranglerJs, ...args], {
      cwd: repoRoot,
      env: { ...process.env, CI: '1', WRANGLER_SEND_METRICS: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => {
      out += b;
      if (!quiet) process.stdout.write(b);
    });
    child.stderr.on('data', (b) => {
      err += b;
      if (!quiet) process.stderr.write(b);
    });
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`wrangler ${args.slice(0, 3).join(' ')} exited ${code}\n${out}\n${err}`));
    });
  });
}

const persistArgs = (persistTo) => (persistTo ? ['--persist-to', persistTo] : []);

export async function applyMigrations({ persistTo } = {}) {
  await wrangler(['d1', 'migrations', 'apply', 'DB', '--local', ...persistArgs(persistTo)]);
}

const sqlText = (s) => (s === null || s === undefined ? 'NULL' : `'${String(s).replaceAll("'", "''")}'`);

export const sha256Hex = (text) => createHash('sha256').update(text).digest('hex');

/** Idempotent upsert of the demo store: running `npm run dev` twice leaves one row with the same secrets. */
export function demoStoreSql({ origins = DEMO.origins, now = Date.now() } = {}) {
  const cols = {
    id: DEMO.storeId,
    name: DEMO.name,
    site_url: origins[0],
    webhook_secret: DEMO.webhookSecret,
    site_key: DEMO.siteKey,
    connect_token_hash: sha256Hex(DEMO.connectToken),
    allowed_origins: JSON.stringify(origins),
    created_at: now,
    updated_at: now,
  };
  const names = Object.keys(cols);
  const updates = names.filter((n) => n !== 'id' && n !== 'created_at').map((n) => `${n} = excluded.${n}`);
  const values = names.map((n) => (typeof cols[n] === 'number' ? String(cols[n]) : sqlText(cols[n])));
  return `INSERT INTO stores (${names.join(', ')}) VALUES (${values.join(', ')}) ON CONFLICT(id) DO UPDATE SET ${updates.join(', ')};`;
}

export async function seedDemoStore({ persistTo, origins } = {}) {
  await wrangler(['d1', 'execute', 'DB', '--local', ...persistArgs(persistTo), '--command', demoStoreSql({ origins })]);
}

export async function d1Query(sql, { persistTo } = {}) {
  const out = await wrangler(['d1', 'execute', 'DB', '--local', '--json', ...persistArgs(persistTo), '--command', sql]);
  return JSON.parse(out)[0]?.results ?? [];
}

/**
 * Reads local D1 from a second process while `wrangler dev` writes to it: SQLite answers BUSY now and then
 * under load, so a read is retried.
 */
export async function d1Read(sql, { persistTo } = {}) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await d1Query(sql, { persistTo });
    } catch (e) {
      if (attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 700 * attempt));
    }
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev did not answer ${url}/healthz within ${timeoutMs} ms`);
}

const SNAPSHOT_PATHS = ['worker', 'public', 'migrations', 'wrangler.toml', 'package.json', 'tsconfig.json'];

/**
 * A private copy of the sources for one run: `wrangler dev` reloads (and drops in-flight queue messages)
 * whenever a watched file changes, so harness runs must not watch a tree someone is editing.
 */
export function snapshotSources(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const p of SNAPSHOT_PATHS) {
    if (existsSync(join(repoRoot, p))) cpSync(join(repoRoot, p), join(dir, p), { recursive: true });
  }
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/**
 * Starts `wrangler dev` in the background and resolves once /healthz answers. `observability: false` turns off
 * wrangler's local observability collector (`X_LOCAL_OBSERVABILITY`, on by default): a streaming tail that hands
 * every span of every invocation (each D1 call, fetch and queue send) to a collector worker on the same thread, for
 * the local dashboard. The deployed Worker has no such consumer; the bench measures without it.
 */
export async function startWorker({ port, persistTo, vars = {}, logFile, cwd = repoRoot, timeoutMs = 90_000, extraArgs = [], observability = true }) {
  const args = [wranglerJs, 'dev', '--port', String(port), '--ip', '127.0.0.1', '--show-interactive-dev-session=false', ...extraArgs];
  args.push(...persistArgs(persistTo));
  for (const [k, v] of Object.entries({ SECRETS_KEY: LOCAL_SECRETS_KEY, ...vars })) args.push('--var', `${k}:${v}`);
  const child = spawn(nodeBin, args, {
    cwd,
    env: { ...process.env, CI: '1', WRANGLER_SEND_METRICS: 'false', ...(observability ? {} : { X_LOCAL_OBSERVABILITY: 'false' }) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let log = '';
  const keep = (b) => {
    log += b;
    if (log.length > 200_000) log = log.slice(-100_000);
    logFile?.write(b);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        resolve();
      }
    });
  try {
    await waitForHealth(url, child, timeoutMs);
  } catch (e) {
    await stop();
    throw new Error(`${e.message}\n--- wrangler log ---\n${log.slice(-4000)}`);
  }
  return { url, child, stop, log: () => log };
}

/** WooCommerce's signature: base64(HMAC-SHA256(secret, raw body bytes)). */
export const wooSignature = (secret, body) => createHmac('sha256', secret).update(body).digest('base64');

/** The plugin bridge's signature: `t=<unix s>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. */
export function nightshiftSignature(secret, body, unixSeconds = Math.floor(Date.now() / 1000)) {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}

export async function poll(check, { timeoutMs = 30_000, intervalMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return last;
}
