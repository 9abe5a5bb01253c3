/// <reference types="vite/client" />
import { createExecutionContext, createMessageBatch, env, getQueueResult, SELF } from 'cloudflare:test';
import { expect, vi } from 'vitest';
import manifest from '../../../shared/fixtures/woocommerce/manifest.json';
import { contactAgentName, type ContactDomainEvent } from '../contacts/domain-events';
import { db } from '../db/client';
import { upsertStore } from '../db/queries/stores';
import worker from '../index';
import { hmacSha256, toBase64 } from '../lib/hmac';
import type { WooDeliveryMessage } from '../ingest/messages';

/**
 * The captured WooCommerce deliveries (../shared/fixtures/woocommerce), read as the exact wire text.
 * The bodies are ASCII (wp_json_encode escapes the rest), so text and bytes are one and the same.
 */
const wire = import.meta.glob<string>('../../../shared/fixtures/woocommerce/wire/*', {
  query: '?raw',
  import: 'default',
  eager: true,
});

export type Fixture = (typeof manifest.fixtures)[number];
export const fixtures: Fixture[] = manifest.fixtures;
export const pingFixture = manifest.ping;

export function wireText(relative: string): string {
  const text = wire[`../../../shared/fixtures/woocommerce/${relative}`];
  if (text === undefined) throw new Error(`fixture file ${relative} not found`);
  return text;
}

export const SECRET = wireText('wire/secret.txt');

export function fixture(name: string): Fixture {
  const found = fixtures.find((f) => f.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return found;
}

export function fixtureBytes(f: { raw_body: string }): Uint8Array {
  return new TextEncoder().encode(wireText(f.raw_body));
}

/** The captured headers, in order, minus those the runtime sets for the request it sends. */
export function fixtureHeaders(f: { headers: string }): Headers {
  const pairs = JSON.parse(wireText(f.headers)) as [string, string][];
  const skip = new Set(['host', 'connection', 'content-length']);
  return new Headers(pairs.filter(([name]) => !skip.has(name.toLowerCase())));
}

export async function seedStore(id: string): Promise<void> {
  await upsertStore(db(env.DB), { id, name: id, webhookSecret: SECRET, siteKey: `pk_${id}`, createdAt: 1, updatedAt: 1 });
}

export function post(storeId: string, body: BodyInit, headers: Headers): Promise<Response> {
  return SELF.fetch(`https://ns.test/webhooks/woocommerce/${storeId}`, { method: 'POST', body, headers });
}

/** The headers of a captured delivery, signed for another body with the fixtures' secret. */
export async function signedHeaders(body: Uint8Array, base = fixture('order.created')): Promise<Headers> {
  const headers = fixtureHeaders(base);
  headers.set('X-WC-Webhook-Signature', toBase64(await hmacSha256(SECRET, body)));
  return headers;
}

export function send(storeId: string, name: string): Promise<Response> {
  const f = fixture(name);
  return post(storeId, fixtureBytes(f), fixtureHeaders(f));
}

export type DeliveryRow = { delivery_id: string; topic: string; status: string; error: string | null; received_at: number };

export async function deliveries(storeId: string): Promise<DeliveryRow[]> {
  const { results } = await env.DB.prepare(
    'SELECT delivery_id, topic, status, error, received_at FROM webhook_deliveries WHERE store_id = ? ORDER BY received_at, delivery_id',
  )
    .bind(storeId)
    .all<DeliveryRow>();
  return results;
}

/** Waits until the real queue has delivered and the consumer finished `count` deliveries of the store. */
export async function settled(storeId: string, count: number): Promise<DeliveryRow[]> {
  return vi.waitFor(
    async () => {
      const rows = await deliveries(storeId);
      expect(rows).toHaveLength(count);
      expect(rows.filter((r) => r.status === 'queued')).toEqual([]);
      return rows;
    },
    { timeout: 20_000, interval: 50 },
  );
}

/** Sends one fixture and waits for the consumer to finish it; returns how it ended. */
export async function deliver(storeId: string, name: string): Promise<string> {
  const before = (await deliveries(storeId)).length;
  const res = await send(storeId, name);
  expect(res.status).toBe(200);
  const { delivery } = await res.json<{ delivery: string }>();
  const rows = await settled(storeId, before + 1);
  const row = rows.find((r) => r.delivery_id === delivery);
  if (!row) throw new Error(`delivery ${delivery} not logged`);
  return row.status;
}

export async function agentEvents(storeId: string, contactId: string): Promise<ContactDomainEvent[]> {
  return env.CONTACT_AGENT.getByName(contactAgentName(storeId, contactId)).listEvents();
}

export async function contactIdByEmail(storeId: string, email: string): Promise<string> {
  const row = await env.DB.prepare('SELECT id FROM contacts WHERE store_id = ? AND email = ?')
    .bind(storeId, email)
    .first<{ id: string }>();
  if (!row) throw new Error(`no contact ${email} in ${storeId}`);
  return row.id;
}

/** Runs messages through the worker's own queue handler, as the queue would deliver them. */
export async function runQueue(queue: string, bodies: unknown[], attempts = 1) {
  const batch = createMessageBatch<unknown>(
    queue,
    bodies.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

export function wooMessage(
  storeId: string,
  deliveryId: string,
  topic: string,
  body: WooDeliveryMessage['body'],
  receivedAt = 1_800_000_000_000,
): WooDeliveryMessage {
  return { kind: 'woo', storeId, deliveryId, topic, receivedAt, body };
}
