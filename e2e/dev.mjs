// `npm run dev`: migrate local D1, seed the demo store and its history, make sure an admin token exists, start
// the demo storefront and `wrangler dev` (PORT, default 8787; the storefront on DEMO_SHOP_PORT, default PORT+1).
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, LOCAL_SECRETS_KEY, applyMigrations, demoStoreSql, freePort, nodeBin, poll, repoRoot, wranglerJs } from './lib/local-worker.mjs';
import { configureDemoStore, seedDemoHistory } from './lib/demo-seed.mjs';
import { startDemoStorefront } from './demo/storefront.mjs';

const PORT = Number(process.env.PORT || 8787);
const base = `http://localhost:${PORT}`;

function ensureAdminToken() {
  const devVars = join(repoRoot, '.dev.vars');
  if (!existsSync(devVars)) {
    copyFileSync(join(repoRoot, '.dev.vars.example'), devVars);
    console.log('Created .dev.vars from .dev.vars.example');
  }
  const text = readFileSync(devVars, 'utf8');
  const match = /^ADMIN_TOKEN=(.*)$/m.exec(text);
  if (match?.[1]?.trim()) return match[1].trim();
  const token = 'dev-admin-token';
  writeFileSync(devVars, `${text.replace(/\n?$/, '\n')}ADMIN_TOKEN=${token}\n`);
  return token;
}

/** A .dev.vars made before secrets were sealed at rest lacks SECRETS_KEY: add the local one. */
function ensureSecretsKey() {
  const devVars = join(repoRoot, '.dev.vars');
  const text = readFileSync(devVars, 'utf8');
  if (/^SECRETS_KEY=\S/m.test(text)) return;
  writeFileSync(devVars, `${text.replace(/\n?$/, '\n')}SECRETS_KEY=${LOCAL_SECRETS_KEY}\n`);
}

/** PORT+1 unless DEMO_SHOP_PORT says otherwise; a free port when PORT+1 is taken. */
async function startShop(workerUrl) {
  const wanted = Number(process.env.DEMO_SHOP_PORT || PORT + 1);
  try {
    return await startDemoStorefront({ port: wanted, workerUrl });
  } catch (e) {
    if (process.env.DEMO_SHOP_PORT || e.code !== 'EADDRINUSE') throw e;
    return startDemoStorefront({ port: await freePort(), workerUrl });
  }
}

const shop = await startShop(base);
// The storefront first: the store's site URL is its first origin.
const origins = [shop.origin, shop.origin.replace('127.0.0.1', 'localhost'), `http://localhost:${PORT}`, `http://127.0.0.1:${PORT}`];
console.log('Applying local D1 migrations…');
await applyMigrations();
console.log('Seeding the demo store and its history…');
const seeded = await seedDemoHistory({ shop: shop.origin, workerUrl: base, before: demoStoreSql({ origins }) });
console.log(`  ${seeded.counts.contacts} contacts, ${seeded.counts.orders} orders, ${seeded.counts.messages} messages (history: ${seeded.source}) in ${(seeded.ms / 1000).toFixed(1)} s`);
const adminToken = ensureAdminToken();
ensureSecretsKey();

console.log(`
Demo store "${DEMO.storeId}" (local only; do not reuse these anywhere real)
  webhook secret   ${DEMO.webhookSecret}
  site key         ${DEMO.siteKey}
  connect token    ${DEMO.connectToken}
  allowed origins  ${origins.join(', ')}
  admin token      ${adminToken}   (from .dev.vars)

Dashboard          ${base}/admin   (sign in with the admin token)
Demo storefront    ${shop.origin}/   (product, category and cart pages with the tracker)

Try:
  curl ${base}/healthz
  curl -H 'Authorization: Bearer ${adminToken}' '${base}/api/stores/${DEMO.storeId}'
  WooCommerce delivery URL: ${base}/webhooks/woocommerce/${DEMO.storeId}
  Tracker snippet: <script async src="${base}/tracker.js?k=${DEMO.siteKey}"></script>
`);

// Links in emails (clicks, opens, unsubscribe) must reach this port, whatever wrangler.toml says.
const child = spawn(nodeBin, [wranglerJs, 'dev', '--port', String(PORT), '--var', `PUBLIC_BASE_URL:${base}`], { cwd: repoRoot, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', async (code) => {
  await shop.close();
  process.exit(code ?? 0);
});

const up = await poll(() => fetch(`${base}/healthz`).then((r) => r.ok, () => false), { timeoutMs: 120_000, intervalMs: 500 });
if (up) {
  const { enabled, liveOrders } = await configureDemoStore({ url: base, adminToken, shop: shop.origin }).catch((e) => {
    console.error(`Demo store settings and flows could not be set: ${e.message}`);
    return { enabled: [], liveOrders: 0 };
  });
  const done = [enabled.length && `flows switched on: ${enabled.join(', ')}`, liveOrders && `${liveOrders} orders delivered as signed webhooks`].filter(Boolean);
  console.log(`\nDemo ready: ${base}/admin and ${shop.origin}/${done.length ? ` (${done.join('; ')})` : ''}\n`);
}
