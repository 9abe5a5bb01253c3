import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { contactIdByEmail, deliveries, deliver, fixture, fixtureBytes, fixtureHeaders, post, seedStore, settled, signedHeaders } from '../../test/woo-fixtures';

const AUTH = { Authorization: `Bearer ${env.ADMIN_TOKEN}` };

async function count(sql: string, ...binds: unknown[]): Promise<number> {
  return (await env.DB.prepare(sql).bind(...binds).first<{ n: number }>())?.n ?? 0;
}

/** A fixture sent again with the exact captured bytes, as WooCommerce's log resends it: a new delivery id. */
async function resend(store: string, name: string, deliveryId: string): Promise<void> {
  const f = fixture(name);
  const headers = fixtureHeaders(f);
  headers.set('X-WC-Webhook-Delivery-ID', deliveryId);
  expect((await post(store, fixtureBytes(f), headers)).status).toBe(200);
}

describe('erasure stays erased', () => {
  it('refuses stale order and customer deliveries about an erased person (real fixture bytes)', async () => {
    const store = 'erase-tomb';
    await seedStore(store);
    await deliver(store, 'customer.created');
    await deliver(store, 'order.created');
    const jane = await contactIdByEmail(store, 'jane.doe@example.com');
    const res = await SELF.fetch(`http://x/api/contacts/${jane}?store=${store}`, { method: 'DELETE', headers: AUTH });
    expect(res.status).toBe(200);

    const before = (await deliveries(store)).length;
    await resend(store, 'order.updated.completed', '9001');
    await resend(store, 'order.created', '9002');
    await resend(store, 'customer.updated', '9003');
    await resend(store, 'customer.created', '9004');
    const rows = (await settled(store, before + 4)).slice(before);
    expect(rows.map((r) => r.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
    expect(rows.every((r) => r.error?.startsWith('refused: about data erased at'))).toBe(true);

    expect(await count('SELECT count(*) AS n FROM contacts WHERE store_id = ?', store)).toBe(0);
    expect(await count('SELECT count(*) AS n FROM orders WHERE store_id = ?', store)).toBe(0);
    expect(await count('SELECT count(*) AS n FROM order_items WHERE store_id = ?', store)).toBe(0);
    // Tombstones are hashes only: nothing in them spells the person.
    const { results } = await env.DB.prepare('SELECT hash, kind FROM erasure_suppressions WHERE store_id = ? ORDER BY kind').bind(store).all<{ hash: string; kind: string }>();
    expect(results.map((r) => r.kind)).toEqual(expect.arrayContaining(['customer', 'email', 'order']));
    for (const r of results) expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lets through an order about someone else, and one dated after the erasure', async () => {
    const store = 'erase-tomb-later';
    await seedStore(store);
    await deliver(store, 'order.created');
    const jane = await contactIdByEmail(store, 'jane.doe@example.com');
    expect((await SELF.fetch(`http://x/api/contacts/${jane}?store=${store}`, { method: 'DELETE', headers: AUTH })).status).toBe(200);
    // Liam's guest order shares nothing with Jane.
    expect(await deliver(store, 'order.created.guest')).toBe('processed');
    // Jane comes back: the same order modified in WooCommerce after the erasure is a new fact.
    const order = JSON.parse(new TextDecoder().decode(fixtureBytes(fixture('order.updated.completed')))) as { date_modified_gmt: string };
    order.date_modified_gmt = new Date(Date.now() + 60_000).toISOString().slice(0, 19);
    const body = new TextEncoder().encode(JSON.stringify(order));
    const before = (await deliveries(store)).length;
    expect((await post(store, body, await signedHeaders(body, fixture('order.updated.completed')))).status).toBe(200);
    expect((await settled(store, before + 1)).at(-1)?.status).toBe('processed');
    expect(await contactIdByEmail(store, 'jane.doe@example.com')).toBeTruthy();
  });
});
