/// <reference types="vite/client" />
import { env, SELF } from 'cloudflare:test';
import { expect } from 'vitest';
import { db } from '../db/client';
import { upsertStore } from '../db/queries/stores';
import { hmacSha256, toBase64 } from '../lib/hmac';
import { settled } from './woo-fixtures';

/**
 * The second set of real WooCommerce deliveries (../shared/fixtures/woocommerce-more: lifecycle topics, the email
 * change, REST cross-fires, a signed body without an id), replayed as the exact wire bytes with their headers.
 */
const wire = import.meta.glob<string>('../../../shared/fixtures/woocommerce-more/wire/*', {
  query: '?raw',
  import: 'default',
  eager: true,
});

function wireFile(name: string): string {
  const text = wire[`../../../shared/fixtures/woocommerce-more/wire/${name}`];
  if (text === undefined) throw new Error(`fixture file ${name} not found`);
  return text;
}

/** The fixtures' webhook secret (50 characters with punctuation). */
export const MORE_SECRET = wireFile('secret.txt');

export function moreBody(name: string): string {
  return wireFile(`${name}.body`);
}

export function moreHeaders(name: string): Headers {
  const pairs = JSON.parse(wireFile(`${name}.headers.json`)) as [string, string][];
  const skip = new Set(['host', 'connection', 'content-length']);
  return new Headers(pairs.filter(([header]) => !skip.has(header.toLowerCase())));
}

export async function seedMoreStore(id: string, siteUrl?: string): Promise<void> {
  await upsertStore(db(env.DB), { id, name: id, siteUrl, webhookSecret: MORE_SECRET, siteKey: `pk_${id}`, createdAt: 1, updatedAt: 1 });
}

function post(storeId: string, body: string, headers: Headers): Promise<Response> {
  return SELF.fetch(`https://ns.test/webhooks/woocommerce/${storeId}`, { method: 'POST', body, headers });
}

/**
 * Posts a body (the captured one, or another signed with the fixtures' secret under a captured delivery's
 * headers and a given topic) and waits for the consumer; returns the delivery log row.
 */
export async function deliverMore(storeId: string, name: string, alter?: { body: unknown; topic: string }) {
  const headers = moreHeaders(name);
  let body = moreBody(name);
  if (alter) {
    body = JSON.stringify(alter.body);
    headers.set('X-WC-Webhook-Topic', alter.topic);
    headers.set('X-WC-Webhook-Delivery-ID', crypto.randomUUID().replaceAll('-', ''));
    headers.set('X-WC-Webhook-Signature', toBase64(await hmacSha256(MORE_SECRET, new TextEncoder().encode(body))));
  }
  const before = (await env.DB.prepare('SELECT count(*) AS n FROM webhook_deliveries WHERE store_id = ?').bind(storeId).first<{ n: number }>())?.n ?? 0;
  const res = await post(storeId, body, headers);
  expect(res.status).toBe(200);
  const { delivery } = await res.json<{ delivery: string }>();
  const row = (await settled(storeId, before + 1)).find((r) => r.delivery_id === delivery);
  if (!row) throw new Error(`delivery ${delivery} not logged`);
  return row;
}
