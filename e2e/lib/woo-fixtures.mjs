// The captured WooCommerce 10.0.2 deliveries in ../shared/fixtures/woocommerce, replayed byte for byte.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, wooSignature } from './local-worker.mjs';

export const fixturesDir = join(repoRoot, '..', 'shared', 'fixtures', 'woocommerce');

/** Headers that belong to the original connection, not to the delivery. */
const HOP_HEADERS = new Set(['host', 'content-length', 'connection', 'accept-encoding']);

/** The second capture set: lifecycle topics (deleted, restored), block checkout, quirks. */
export const moreFixturesDir = join(repoRoot, '..', 'shared', 'fixtures', 'woocommerce-more');

export function loadWooFixtures(dir = fixturesDir) {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`WooCommerce fixtures not found at ${dir}`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  return manifest.fixtures.map((f) => ({
    name: f.name,
    topic: f.topic,
    body: readFileSync(join(dir, f.raw_body)),
    headers: JSON.parse(readFileSync(join(dir, f.headers), 'utf8')),
    json: JSON.parse(readFileSync(join(dir, f.raw_body), 'utf8')),
  }));
}

export function loadPing() {
  return {
    body: readFileSync(join(fixturesDir, 'wire', 'ping.body')),
    headers: JSON.parse(readFileSync(join(fixturesDir, 'wire', 'ping.headers.json'), 'utf8')),
  };
}

/**
 * The fixture's own headers, with the signature recomputed under `secret` (the fixtures were signed
 * with the capture site's secret) and, optionally, a fresh delivery id.
 */
export function deliveryHeaders(fixture, secret, deliveryId) {
  const out = {};
  for (const [name, value] of fixture.headers) {
    if (HOP_HEADERS.has(name.toLowerCase())) continue;
    out[name] = value;
  }
  if ('X-WC-Webhook-Signature' in out) out['X-WC-Webhook-Signature'] = wooSignature(secret, fixture.body);
  if (deliveryId && 'X-WC-Webhook-Delivery-ID' in out) out['X-WC-Webhook-Delivery-ID'] = deliveryId;
  return out;
}

export async function deliver(url, fixture, secret, deliveryId) {
  return fetch(url, { method: 'POST', headers: deliveryHeaders(fixture, secret, deliveryId), body: fixture.body });
}
