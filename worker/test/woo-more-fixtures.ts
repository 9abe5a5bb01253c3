/// <reference types="vite/client" />
import { env } from 'cloudflare:test';
import manifest from '../../../shared/fixtures/woocommerce-more/manifest.json';
import { processWooMessage } from '../ingest/woo/woo-processor';

/** The second capture set (../shared/fixtures/woocommerce-more): real WooCommerce 10 deliveries, exact wire text. */
const wire = import.meta.glob<string>('../../../shared/fixtures/woocommerce-more/wire/*', {
  query: '?raw',
  import: 'default',
  eager: true,
});

export function moreWireText(relative: string): string {
  const text = wire[`../../../shared/fixtures/woocommerce-more/${relative}`];
  if (text === undefined) throw new Error(`fixture file ${relative} not found`);
  return text;
}

export const MORE_SECRET = moreWireText('wire/secret.txt');

/** Runs one captured delivery through the queue side, as if it arrived at `receivedAt`. */
export async function deliverMore(storeId: string, name: string, receivedAt: number): Promise<void> {
  const f = manifest.fixtures.find((x) => x.name === name);
  if (!f) throw new Error(`no fixture ${name}`);
  await processWooMessage(env, { kind: 'woo', storeId, deliveryId: f.delivery_id, topic: f.topic, receivedAt, body: { inline: moreWireText(f.raw_body) } });
}

/** The captured request of one delivery: exact body bytes and headers (minus those the runtime sets). */
export function moreDelivery(name: string): { body: string; headers: Headers } {
  const f = manifest.fixtures.find((x) => x.name === name);
  if (!f) throw new Error(`no fixture ${name}`);
  const pairs = JSON.parse(moreWireText(f.headers)) as [string, string][];
  const skip = new Set(['host', 'connection', 'content-length']);
  return { body: moreWireText(f.raw_body), headers: new Headers(pairs.filter(([k]) => !skip.has(k.toLowerCase()))) };
}
