// `npm run e2e`: a fresh `wrangler dev` (own persist dir, own port), the demo store seeded, then
// WooCommerce deliveries over HTTP and a real Chromium on a fake storefront, all checked via the admin API.
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, applyMigrations, freePort, repoRoot, seedDemoStore, snapshotSources, startWorker } from './lib/local-worker.mjs';
import { createRunner } from './lib/checks.mjs';
import { webhookChecks } from './webhooks.mjs';
import { storefrontChecks, startStorefront } from './storefront.mjs';
import { dashboardChecks } from './dashboard.mjs';
import { journeyChecks } from './journeys.mjs';
import { consentChecks } from './consent.mjs';
import { connectChecks } from './connect.mjs';

const tmp = join(repoRoot, 'e2e', '.tmp');
const persistTo = join(tmp, `state-${process.pid}`);
mkdirSync(tmp, { recursive: true });
rmSync(persistTo, { recursive: true, force: true });

const logPath = join(tmp, `wrangler-${process.pid}.log`);
const adminToken = `e2e-${randomBytes(12).toString('hex')}`;
const [workerPort, pagePort] = [await freePort(), await freePort()];
const workerUrl = `http://127.0.0.1:${workerPort}`;
const storefront = await startStorefront({ port: pagePort, workerUrl });

const { check, summary } = createRunner();
let worker;
try {
  console.log(`e2e: migrating and seeding ${persistTo}`);
  await applyMigrations({ persistTo });
  await seedDemoStore({ persistTo, origins: [storefront.origin, ...DEMO.origins] });
  const logFile = createWriteStream(logPath);
  worker = await startWorker({
    port: workerPort,
    persistTo,
    cwd: snapshotSources(join(tmp, `src-${process.pid}`)),
    logFile,
    vars: { ADMIN_TOKEN: adminToken, PUBLIC_BASE_URL: workerUrl },
  });
  console.log(`e2e: wrangler dev on ${worker.url}, storefront on ${storefront.origin}`);

  const admin = async (path) => {
    const res = await fetch(`${worker.url}${path}`, { headers: { Authorization: `Bearer ${adminToken}` } });
    if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
    return res.json();
  };

  await check('admin API refuses a request without the token', async () => {
    const res = await fetch(`${worker.url}/api/stores/${DEMO.storeId}`);
    if (res.status !== 401) throw new Error(`expected 401, got ${res.status}`);
  });

  console.log('WooCommerce webhooks');
  await webhookChecks({ check, worker, admin });
  console.log('Storefront tracker in Chromium');
  await storefrontChecks({ check, worker, admin, storefront });
  await (await import('./theme-pages.mjs')).themePagesChecks({ check, admin, storefront });
  console.log('Admin dashboard in Chromium');
  await dashboardChecks({ check, worker, adminToken });
  await consentChecks({ check, worker, adminToken });
  console.log('One-click connect, catalogue import, secret rotation');
  await connectChecks({ check, worker, adminToken });
  await (await import('./message-editor.mjs')).messageEditorChecks({ check, worker, adminToken });
  await (await import('./settings-console.mjs')).settingsConsoleChecks({ check, worker, adminToken });
  await (await import('./contacts-console.mjs')).contactsConsoleChecks({ check, worker, adminToken });
  await (await import('./onboarding.mjs')).onboardingChecks({ check, worker, adminToken });
  await (await import('./flow-results.mjs')).flowResultsChecks({ check, worker, adminToken });
  await (await import('./widgets.mjs')).widgetsChecks({ check, worker, adminToken, storefront });
  await (await import('./flow-experiment.mjs')).flowExperimentChecks({ check, tmp });
  await (await import('./console-pages.mjs')).consolePagesChecks({ check, worker, adminToken });
  await (await import('./segments-console.mjs')).segmentsConsoleChecks({ check, worker, adminToken });
} catch (e) {
  await check('harness set-up', () => {
    throw e;
  });
} finally {
  await worker?.stop();
  await storefront.close();
  // E2E_KEEP_STATE=1 keeps local D1 for a post-mortem: `wrangler d1 execute DB --local --persist-to <dir> ...`.
  if (process.env.E2E_KEEP_STATE) console.log(`e2e: state kept in ${persistTo}`);
  else rmSync(persistTo, { recursive: true, force: true });
  rmSync(join(tmp, `src-${process.pid}`), { recursive: true, force: true });
}

console.log('Abandoned-cart journey on real timers (a worker of its own, see e2e/journeys.mjs)');
await journeyChecks({ check, tmp });
await (await import('./checkout-orders.mjs')).checkoutOrderChecks({ check, tmp });
await (await import('./dev-demo.mjs')).devDemoChecks({ check, tmp });

const { failed, line } = summary();
if (failed) console.log(`wrangler dev log: ${logPath}`);
else rmSync(logPath, { force: true });
console.log(line);
process.exit(failed === 0 ? 0 : 1);
