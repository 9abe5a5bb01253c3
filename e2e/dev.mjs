// `npm run dev`: migrate local D1, seed the demo store, make sure an admin token exists, start wrangler dev on :8787.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, LOCAL_SECRETS_KEY, applyMigrations, nodeBin, repoRoot, seedDemoStore, wranglerJs } from './lib/local-worker.mjs';

const PORT = 8787;
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

console.log('Applying local D1 migrations…');
await applyMigrations();
console.log('Seeding the demo store…');
await seedDemoStore();
const adminToken = ensureAdminToken();
ensureSecretsKey();

console.log(`
Demo store "${DEMO.storeId}" (local only; do not reuse these anywhere real)
  webhook secret   ${DEMO.webhookSecret}
  site key         ${DEMO.siteKey}
  connect token    ${DEMO.connectToken}
  allowed origins  ${DEMO.origins.join(', ')}
  admin token      ${adminToken}   (from .dev.vars)

Try:
  curl ${base}/healthz
  curl -H 'Authorization: Bearer ${adminToken}' '${base}/api/stores/${DEMO.storeId}'
  WooCommerce delivery URL: ${base}/webhooks/woocommerce/${DEMO.storeId}
  Tracker snippet: <script async src="${base}/tracker.js?k=${DEMO.siteKey}"></script>
`);

const child = spawn(nodeBin, [wranglerJs, 'dev', '--port', String(PORT)], {
  cwd: repoRoot,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
