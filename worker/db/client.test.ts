import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from './client';
import { coalescedD1 } from './coalesced-d1';
import { upsertStore } from './queries/stores';

describe('db()', () => {
  it('wraps each binding once, shares the schema walk between bindings, and answers relational queries on each', async () => {
    const plain = db(env.DB);
    const coalesced = db(coalescedD1(env.DB));
    expect(db(env.DB)).toBe(plain);
    // A woken ContactAgent wraps the binding in its own coalescing binding: the schema is walked once per isolate.
    expect(coalesced._.schema).toBe(plain._.schema);
    expect(Object.keys(plain._.schema ?? {})).toContain('stores');
    expect((coalesced as typeof coalesced & { $client: D1Database }).$client).not.toBe(env.DB);
    expect((plain as typeof plain & { $client: D1Database }).$client).toBe(env.DB);
    await upsertStore(plain, { id: 'db-client', name: 'Shop', siteUrl: 'https://shop.example', webhookSecret: 'whsec_db_client_01', siteKey: 'pk_db_client', timezone: 'Europe/Paris', createdAt: 1, updatedAt: 1 });
    const [a, b] = await Promise.all([plain.query.stores.findFirst({ where: (s, { eq }) => eq(s.id, 'db-client') }), coalesced.query.stores.findFirst({ where: (s, { eq }) => eq(s.id, 'db-client') })]);
    expect(a?.siteKey).toBe('pk_db_client');
    expect(b).toEqual(a);
  });
});
