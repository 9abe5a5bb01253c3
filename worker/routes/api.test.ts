import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';

const BASE = 'https://ns.test/api';
const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}` };
const T = 1_790_000_000_000;

function get(path: string, headers: Record<string, string> = auth) {
  return SELF.fetch(`${BASE}${path}`, { headers });
}

async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

async function seedStore(id: string) {
  await env.DB.prepare(
    `INSERT INTO stores (id, name, webhook_secret, site_key, connect_token_hash, allowed_origins, created_at, updated_at)
     VALUES (?, ?, 'secret-of-' || ?, 'pk_' || ?, 'abc', '[]', ?, ?)`,
  )
    .bind(id, `Store ${id}`, id, id, T, T)
    .run();
}

async function seedContact(store: string, id: string, email: string, createdAt = T) {
  await env.DB.prepare(
    `INSERT INTO contacts (id, store_id, email, status, created_at, updated_at) VALUES (?, ?, ?, 'active', ?, ?)`,
  )
    .bind(id, store, email, createdAt, createdAt)
    .run();
}

async function seedOrder(store: string, id: number, contactId: string, createdAt: number) {
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO orders (store_id, id, contact_id, status, total, coupon_codes, attribution, created_at, source_modified_at, updated_at)
       VALUES (?, ?, ?, 'processing', 42.5, '["summer10"]', '{}', ?, ?, ?)`,
    ).bind(store, id, contactId, createdAt, createdAt, createdAt),
    env.DB.prepare(
      `INSERT INTO order_items (store_id, order_id, line_id, product_id, name, quantity, price, total)
       VALUES (?, ?, 1, 7, 'Mug', 2, 10, 20), (?, ?, 2, 8, 'Tea', 1, 22.5, 22.5)`,
    ).bind(store, id, store, id),
  ]);
}

async function seedEvent(store: string, key: string, opts: { visitor?: string; contact?: string; at: number; type?: string }) {
  await env.DB.prepare(
    `INSERT INTO events (store_id, event_key, type, visitor_id, contact_id, properties, source, occurred_at, received_at)
     VALUES (?, ?, ?, ?, ?, '{}', 'browser', ?, ?)`,
  )
    .bind(store, key, opts.type ?? 'page_view', opts.visitor ?? null, opts.contact ?? null, opts.at, opts.at)
    .run();
}

async function seedConsent(store: string, contactId: string, granted: boolean, at: number) {
  await env.DB.prepare(
    `INSERT INTO consents (store_id, contact_id, channel, purpose, granted, source, text_version, occurred_at)
     VALUES (?, ?, 'email', 'marketing', ?, 'popup', 'v1', ?)`,
  )
    .bind(store, contactId, granted ? 1 : 0, at)
    .run();
}

describe('admin API auth and addressing', () => {
  beforeAll(() => seedStore('api-auth'));

  it.each(['/contacts?store=api-auth', '/contacts/c_x?store=api-auth', '/orders?store=api-auth', '/stores/api-auth'])(
    '%s answers 401 without the admin token, and with a wrong one',
    async (path) => {
      const none = await get(path, {});
      expect(none.status).toBe(401);
      expect(await json(none)).toMatchObject({ error: { code: 'unauthorized' } });
      expect((await get(path, { Authorization: 'Bearer nope' })).status).toBe(401);
      expect((await get(path, { Authorization: `Basic ${env.ADMIN_TOKEN}` })).status).toBe(401);
    },
  );

  it('answers 400 with a readable message when the store is missing', async () => {
    const res = await get('/contacts');
    expect(res.status).toBe(400);
    const body = await json<{ error: { code: string; message: string } }>(res);
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.message).toContain('store');
    expect((await get('/orders')).status).toBe(400);
    expect((await get('/contacts/c_x')).status).toBe(400);
  });

  it('answers 404 for an unknown store and 400 for a bad limit', async () => {
    expect((await get('/contacts?store=nowhere')).status).toBe(404);
    expect((await get('/orders?store=nowhere')).status).toBe(404);
    expect((await get('/stores/nowhere')).status).toBe(404);
    expect((await get('/contacts?store=api-auth&limit=0')).status).toBe(400);
  });
});

describe('GET /api/contacts', () => {
  beforeAll(async () => {
    await seedStore('api-list-a');
    await seedStore('api-list-b');
    await seedContact('api-list-a', 'c_a1', 'ana@example.com', T);
    await seedContact('api-list-a', 'c_a2', 'bo@example.com', T + 1000);
    await seedContact('api-list-b', 'c_b1', 'ana@example.com', T);
  });

  it('finds a contact by email, normalizing case and spaces, within the store only', async () => {
    const res = await get(`/contacts?store=api-list-a&email=${encodeURIComponent('  ANA@Example.com ')}`);
    expect(res.status).toBe(200);
    const body = await json<{ contacts: { id: string; storeId: string }[] }>(res);
    expect(body.contacts.map((c) => c.id)).toEqual(['c_a1']);
    const other = await json<{ contacts: { id: string }[] }>(await get('/contacts?store=api-list-b&email=ana@example.com'));
    expect(other.contacts.map((c) => c.id)).toEqual(['c_b1']);
  });

  it('returns an empty list for an unknown email', async () => {
    const body = await json<{ contacts: unknown[] }>(await get('/contacts?store=api-list-a&email=nobody@example.com'));
    expect(body.contacts).toEqual([]);
  });

  it('lists the newest contacts of the store first, honouring limit', async () => {
    const body = await json<{ contacts: { id: string }[] }>(await get('/contacts?store=api-list-a'));
    expect(body.contacts.map((c) => c.id)).toEqual(['c_a2', 'c_a1']);
    const one = await json<{ contacts: { id: string }[] }>(await get('/contacts?store=api-list-a&limit=1'));
    expect(one.contacts.map((c) => c.id)).toEqual(['c_a2']);
  });
});

type Profile = {
  contact: { id: string; email: string };
  visitorIds: string[];
  consents: { inForce: { granted: boolean; occurredAt: number }[]; ledger: { granted: boolean }[] };
  orders: { id: number; items: { lineId: number; name: string }[]; couponCodes: string[] }[];
  cart: { visitorId: string; value: number; items: { productId: number }[] } | null;
  events: { eventKey: string }[];
};

describe('GET /api/contacts/:id', () => {
  const S = 'api-profile';
  beforeAll(async () => {
    await seedStore(S);
    await seedStore('api-profile-other');
    await seedContact(S, 'c_p1', 'pia@example.com');
    await seedContact('api-profile-other', 'c_o1', 'olga@example.com');
    await env.DB.prepare(
      `INSERT INTO visitors (store_id, visitor_id, contact_id, first_seen_at, last_seen_at) VALUES (?, 'v_pia_1', 'c_p1', ?, ?)`,
    )
      .bind(S, T, T)
      .run();
    await seedConsent(S, 'c_p1', true, T);
    await seedConsent(S, 'c_p1', false, T + 5000);
    await seedOrder(S, 101, 'c_p1', T + 100);
    await seedOrder(S, 102, 'c_p1', T + 200);
    await seedEvent(S, 'e1', { visitor: 'v_pia_1', at: T + 10 });
    await seedEvent(S, 'e2', { contact: 'c_p1', at: T + 20, type: 'identify' });
    await seedEvent(S, 'e3', { visitor: 'v_someone_else', at: T + 30 });
    await seedEvent('api-profile-other', 'e4', { visitor: 'v_pia_1', at: T + 40 });
    await env.DB.prepare(
      `INSERT INTO carts (store_id, visitor_id, contact_id, items, value, currency, status, snapshot_at, updated_at)
       VALUES (?, 'v_pia_1', NULL, '[{"productId":7,"quantity":2,"price":10}]', 20, 'EUR', 'active', ?, ?)`,
    )
      .bind(S, T + 50, T + 50)
      .run();
  });

  it('returns profile, consents in force with their ledger, orders with items, cart and timeline', async () => {
    const res = await get(`/contacts/c_p1?store=${S}`);
    expect(res.status).toBe(200);
    const body = await json<Profile>(res);
    expect(body.contact).toMatchObject({ id: 'c_p1', email: 'pia@example.com' });
    expect(body.visitorIds).toEqual(['v_pia_1']);
    expect(body.consents.ledger.map((c) => c.granted)).toEqual([true, false]);
    expect(body.consents.inForce).toEqual([expect.objectContaining({ granted: false, occurredAt: T + 5000 })]);
    expect(body.orders.map((o) => o.id)).toEqual([102, 101]);
    expect(body.orders[0]?.items.map((i) => i.name)).toEqual(['Mug', 'Tea']);
    expect(body.orders[0]?.couponCodes).toEqual(['summer10']);
    expect(body.cart).toMatchObject({ visitorId: 'v_pia_1', value: 20, items: [{ productId: 7 }] });
    expect(body.events.map((e) => e.eventKey)).toEqual(['e2', 'e1']);
  });

  it('limits the timeline with ?events=', async () => {
    const body = await json<Profile>(await get(`/contacts/c_p1?store=${S}&events=1`));
    expect(body.events.map((e) => e.eventKey)).toEqual(['e2']);
  });

  it('never shows a contact of another store', async () => {
    expect((await get(`/contacts/c_o1?store=${S}`)).status).toBe(404);
    expect((await get('/contacts/c_p1?store=api-profile-other')).status).toBe(404);
  });

  it('answers a contact with no history with empty collections', async () => {
    const body = await json<Profile>(await get('/contacts/c_o1?store=api-profile-other'));
    expect(body).toMatchObject({ visitorIds: [], orders: [], cart: null, events: [], consents: { inForce: [], ledger: [] } });
  });
});

describe('GET /api/orders', () => {
  const S = 'api-orders';
  beforeAll(async () => {
    await seedStore(S);
    await seedStore('api-orders-other');
    await seedContact(S, 'c_q1', 'q1@example.com');
    await seedContact(S, 'c_q2', 'q2@example.com');
    await seedOrder(S, 201, 'c_q1', T + 1);
    await seedOrder(S, 202, 'c_q2', T + 2);
    await seedOrder('api-orders-other', 203, 'c_q1', T + 3);
  });

  it('lists the store orders newest first, and filters by contact', async () => {
    const all = await json<{ orders: { id: number }[] }>(await get(`/orders?store=${S}`));
    expect(all.orders.map((o) => o.id)).toEqual([202, 201]);
    const mine = await json<{ orders: { id: number; items: unknown[] }[] }>(await get(`/orders?store=${S}&contact=c_q1`));
    expect(mine.orders.map((o) => o.id)).toEqual([201]);
    expect(mine.orders[0]?.items).toHaveLength(2);
  });

  it('answers 404 for a contact that is not in the store', async () => {
    expect((await get(`/orders?store=${S}&contact=c_missing`)).status).toBe(404);
    expect((await get('/orders?store=api-orders-other&contact=c_q1')).status).toBe(404);
  });
});

type Health = {
  store: Record<string, unknown>;
  webhooks: {
    lastDelivery: { deliveryId: string; topic: string } | null;
    byStatus: Record<string, number>;
    byTopic: Record<string, number>;
    failures: { total: number; recent: { kind: string }[] };
    failedDeliveries: { deliveryId: string }[];
  };
  counts: { events: number; eventsBySource: Record<string, number>; orders: number; contacts: number };
};

describe('GET /api/stores/:store', () => {
  const S = 'api-health';
  beforeAll(async () => {
    await seedStore(S);
    await seedStore('api-health-other');
    const delivery = env.DB.prepare(
      `INSERT INTO webhook_deliveries (store_id, delivery_id, topic, status, error, received_at) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    await env.DB.batch([
      delivery.bind(S, 'd1', 'order.created', 'processed', null, T + 1),
      delivery.bind(S, 'd2', 'order.updated', 'processed', null, T + 2),
      delivery.bind(S, 'd3', 'order.updated', 'failed', 'bad payload', T + 3),
      delivery.bind('api-health-other', 'd4', 'customer.created', 'queued', null, T + 9),
    ]);
    await env.DB.prepare(`INSERT INTO ingest_failures (store_id, kind, message, failed_at) VALUES (?, 'woo', '{}', ?)`)
      .bind(S, T + 4)
      .run();
    await seedContact(S, 'c_h1', 'h1@example.com');
    await seedEvent(S, 'h-e1', { contact: 'c_h1', at: T });
  });

  it('reports the last delivery, counts by status and topic, and failures', async () => {
    const res = await get(`/stores/${S}`);
    expect(res.status).toBe(200);
    const body = await json<Health>(res);
    expect(body.webhooks.lastDelivery).toMatchObject({ deliveryId: 'd3', topic: 'order.updated' });
    expect(body.webhooks.byStatus).toEqual({ processed: 2, failed: 1 });
    expect(body.webhooks.byTopic).toEqual({ 'order.created': 1, 'order.updated': 2 });
    expect(body.webhooks.failures.total).toBe(1);
    expect(body.webhooks.failures.recent.map((f) => f.kind)).toEqual(['woo']);
    expect(body.webhooks.failedDeliveries.map((f) => f.deliveryId)).toEqual(['d3']);
    expect(body.counts).toEqual({ events: 1, eventsBySource: { browser: 1 }, orders: 0, contacts: 1 });
  });

  it('never reveals the webhook secret or the connect token hash', async () => {
    const body = await json<Health>(await get(`/stores/${S}`));
    expect(body.store).toMatchObject({ id: S, siteKey: `pk_${S}`, connectTokenIssued: true });
    expect(body.store).not.toHaveProperty('webhookSecret');
    expect(body.store).not.toHaveProperty('connectTokenHash');
    expect(JSON.stringify(body)).not.toContain(`secret-of-${S}`);
  });

  it('answers an idle store with empty health', async () => {
    await seedStore('api-health-idle');
    const body = await json<Health>(await get('/stores/api-health-idle'));
    expect(body.webhooks).toEqual({ lastDelivery: null, byStatus: {}, byTopic: {}, failures: { total: 0, recent: [] }, failedDeliveries: [], rejectedLast7Days: { count: 0, lastAt: null } });
  });
});
