// The seeded emails are rendered by the product's own renderer and shipped French/English catalogue
// (worker/messaging/email/render.ts, bundled for Node with esbuild), so the outbox shows what a shopper received.
import { build } from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../lib/local-worker.mjs';

export async function loadRenderer() {
  const dir = join(repoRoot, 'e2e', '.tmp');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `demo-render-${process.pid}.mjs`);
  await build({
    entryPoints: [join(repoRoot, 'worker', 'messaging', 'email', 'render.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    packages: 'external',
    logLevel: 'error',
  });
  try {
    const { renderEmail, renderSms } = await import(pathToFileURL(outfile).href);
    return { renderEmail, renderSms };
  } finally {
    rmSync(outfile, { force: true });
  }
}
