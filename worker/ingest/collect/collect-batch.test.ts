import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { findCartOfVisitor } from '../../db/queries/carts';
import { touchVisitorsStatements } from '../../db/queries/visitors';
import { agentEvents, contactIdByEmail, seedStore } from '../../test/woo-fixtures';
import { T0, cachedSeed, cartUpdated, checkout, collect, countingDb, ids, knownContact, product, rows, runBatch, stored, twoVisitors, view } from '../../test/collect-kit';
import type { CollectMessage } from '../messages';
import { processCollectMessage } from './collect-processor';

const d = () => db(env.DB);

/** Browsing of two anonymous visitors and two visitors of one known contact, with carts, checkouts and time zones. */
async function browsing(storeId: string): Promise<CollectMessage[]> {
  await knownContact(storeId, 'known@example.com', ['v_known_aaa', 'v_known_bbb']);
  const geo = (zone: string) => ({ geoTimezone: zone });
  return [
    collect(storeId, 'v_anon_1111', 5, [view('eq_view_0001', 1), product('eq_prod_0001', 2), cartUpdated('eq_cart_0001', 3, 20)]),
    collect(storeId, 'v_known_aaa', 3, [view('eq_view_0002', 1), cartUpdated('eq_cart_0002', 2, 30)], geo('Europe/Berlin')),
    collect(storeId, 'v_anon_1111', 9, [cartUpdated('eq_cart_0003', 8, 40), cartUpdated('eq_cart_0004', 7, 10)]),
    collect(storeId, 'v_known_bbb', 4, [checkout('eq_chk_00001', 4, 30)], geo('Europe/Paris')),
    collect(storeId, 'v_known_aaa', 6, [cartUpdated('eq_cart_0005', 5, 0), view('eq_view_0003', 6)], geo('Europe/Paris')),
    collect(storeId, 'v_known_aaa', 7, [view('eq_view_0004', 7)], { ...geo('Europe/Lisbon'), trusted: true }),
    collect(storeId, 'v_anon_2222', 2, [view('eq_view_0005', 1), { id: 'eq_bad_00001', type: 'page_view' }], geo('Not/AZone')),
    collect(storeId, 'v_anon_2222', 8, [{ id: 'eq_bad_00002', type: 'nonsense', ts: T0 }]),
  ];
}

describe('the collect batch consumer', { timeout: 30_000 }, () => {
  it('stores every event of many browsing visitors once and acknowledges every message', async () => {
    const store = 'cb-many';
    await seedStore(store);
    const messages = Array.from({ length: 90 }, (_, i) =>
      collect(store, `v_many_${String(i % 30).padStart(4, '0')}`, i, [view(`many_v_${i}`, i), product(`many_p_${i}`, i)]),
    );
    expect(await runBatch(messages)).toEqual({ acked: ids(90), retried: [] });
    const keys = await env.DB.prepare('SELECT count(DISTINCT event_key) AS k FROM events WHERE store_id = ?').bind(store).first();
    expect([await stored(store), keys]).toEqual([180, { k: 180 }]);
    const first = await env.DB.prepare(`SELECT * FROM visitors WHERE store_id = ? AND visitor_id = 'v_many_0007'`).bind(store).first();
    expect(first).toMatchObject({ first_seen_at: T0 + 7, last_seen_at: T0 + 67, contact_id: null });
  });

  it('writes exactly the rows and agent events the one-message path writes', async () => {
    const [batched, single] = ['cb-eq-batch', 'cb-eq-single'];
    await Promise.all([seedStore(batched), seedStore(single)]);
    const messages = await browsing(batched);
    const one = await browsing(single);
    expect(await runBatch(messages)).toEqual({ acked: ids(messages.length), retried: [] });
    for (const m of [...one].sort((a, b) => a.receivedAt - b.receivedAt)) await processCollectMessage(env, m);

    const [a, b] = [await rows(batched), await rows(single)];
    expect(a).toEqual(b);
    expect(a.events).toHaveLength(12);
    expect(a.carts.map((c) => [c.visitor_id, c.value, c.status])).toEqual([
      ['v_anon_1111', 40, 'active'],
      ['v_known_aaa', 0, 'emptied'],
      ['v_known_bbb', 30, 'active'],
    ]);
    expect(a.contacts).toMatchObject([{ geo_timezone: 'Europe/Paris' }]);
    // A known contact's first page view of each message goes too: the cart flow's follow-up waits for a visit.
    expect(a.agents['known@example.com']!.map((e) => e.id)).toEqual([
      'v_known_aaa:eq_view_0002',
      'v_known_aaa:eq_cart_0002',
      'v_known_bbb:eq_chk_00001',
      'v_known_aaa:eq_cart_0005',
      'v_known_aaa:eq_view_0003',
      'v_known_aaa:eq_view_0004',
    ]);
  });

  it('replays a batch without changing anything', async () => {
    const store = 'cb-replay';
    await seedStore(store);
    const messages = await browsing(store);
    await runBatch(messages);
    const before = await rows(store);
    for (const batch of [messages, [...messages].reverse()]) {
      expect(await runBatch(batch)).toEqual({ acked: ids(messages.length), retried: [] });
    }
    expect(await rows(store)).toEqual(before);
  });

  it("keeps a visitor's messages in arrival order around an identify: later events belong to the contact", async () => {
    const store = 'cb-identify';
    await seedStore(store);
    const messages = [
      collect(store, 'v_ident_0001', 30, [cartUpdated('id_cart_0001', 30, 25)]),
      collect(store, 'v_other_0001', 5, [view('id_view_other', 5)]),
      collect(
        store,
        'v_ident_0001',
        20,
        [{ id: 'id_ident_001', type: 'identify', ts: T0 + 20, email: 'ident@example.com', consent: { emailMarketing: true } }],
        { trusted: true },
      ),
      collect(store, 'v_ident_0001', 10, [view('id_view_0001', 10)]),
    ];
    expect(await runBatch(messages)).toEqual({ acked: ids(4), retried: [] });
    const contactId = await contactIdByEmail(store, 'ident@example.com');
    const { results } = await env.DB.prepare('SELECT event_key, contact_id FROM events WHERE store_id = ? ORDER BY occurred_at')
      .bind(store)
      .all();
    expect(results).toEqual([
      { event_key: 'v_other_0001:id_view_other', contact_id: null },
      { event_key: 'v_ident_0001:id_view_0001', contact_id: contactId },
      { event_key: 'v_ident_0001:id_ident_001', contact_id: contactId },
      { event_key: 'v_ident_0001:id_cart_0001', contact_id: contactId },
    ]);
    const sent = await agentEvents(store, contactId);
    expect(sent.map((e) => [e.type, e.id])).toEqual([
      ['identified', 'v_ident_0001:id_ident_001'],
      ['cart_updated', 'v_ident_0001:id_cart_0001'],
    ]);
  });

  it("hands a known contact's cart to their agent, once however often the batch comes", async () => {
    const store = 'cb-agent';
    await seedStore(store);
    const contactId = await knownContact(store, 'agent@example.com', ['v_agent_0001']);
    const messages = [
      collect(store, 'v_agent_0001', 1, [view('ag_view_0001', 1), cartUpdated('ag_cart_0001', 2, 50)]),
      collect(store, 'v_anon_agent', 1, [cartUpdated('ag_cart_0002', 2, 50)]),
    ];
    for (let i = 0; i < 2; i++) expect(await runBatch(messages)).toEqual({ acked: ids(2), retried: [] });
    const sent = await agentEvents(store, contactId);
    expect(sent).toMatchObject([
      { type: 'page_view', id: 'v_agent_0001:ag_view_0001' },
      { type: 'cart_updated', id: 'v_agent_0001:ag_cart_0001', cart: { value: 50, itemCount: 2 } },
    ]);
  });

  it('acknowledges at once messages of an unknown store and messages without a readable event', async () => {
    const store = 'cb-unknown-ok';
    await seedStore(store);
    const messages = [
      collect('cb-no-such-store', 'v_nostore_01', 1, [view('un_view_0001', 1)]),
      collect(store, 'v_unread_001', 1, [{ type: 'x' }]),
    ];
    expect(await runBatch(messages)).toEqual({ acked: ids(2), retried: [] });
    expect([await stored(store), await stored('cb-no-such-store')]).toEqual([0, 0]);
  });
});

describe('round trips of the collect batch consumer', { timeout: 30_000 }, () => {
  it('spends two D1 round trips on any number of browsing messages (the one-message path spends two each)', async () => {
    const store = 'cb-trips';
    await cachedSeed(store);
    const browse = (n: number, tag: string) =>
      Array.from({ length: n }, (_, i) => {
        const id = (kind: string) => `${tag}_${kind}_${String(i).padStart(4, '0')}`;
        return collect(store, id('visitor'), i, [view(id('view'), i), product(id('product'), i)]);
      });
    for (const n of [3, 100]) {
      const { env: counted, counter } = countingDb(env.DB);
      expect(await runBatch(browse(n, `b${n}`), counted)).toEqual({ acked: ids(n), retried: [] });
      expect(counter.trips, `${n} messages`).toBe(2);
    }
    const { env: counted, counter } = countingDb(env.DB);
    for (const m of browse(5, 'single')) await processCollectMessage(counted, m);
    expect(counter.trips).toBe(10);
    expect(await stored(store)).toBe(216);
  });

  it('falls back to one message at a time when a shared round trip fails', async () => {
    const store = 'cb-fallback';
    await cachedSeed(store);
    const { env: failing } = countingDb(env.DB, { batches: 1 });
    expect(await runBatch(twoVisitors(store, 'fall'), failing)).toEqual({ acked: ids(2), retried: [] });
    expect(await stored(store)).toBe(2);
  });

  it('acknowledges nothing whose rows were not written', async () => {
    const store = 'cb-down';
    await cachedSeed(store);
    const { env: down } = countingDb(env.DB, { batches: 100 });
    expect(await runBatch(twoVisitors(store, 'down'), down)).toEqual({ acked: [], retried: ids(2) });
    expect(await stored(store)).toBe(0);
  });

  it('redoes alone the visitor whose cart could not be saved, and acknowledges it only once the cart is saved', async () => {
    const store = 'cb-cart-fails';
    await cachedSeed(store);
    const messages = [
      collect(store, 'v_cartfail_1', 1, [cartUpdated('cf_cart_0001', 1, 20)]),
      collect(store, 'v_cartfail_2', 2, [view('cf_view_0002', 2)]),
    ];
    const carts = { matching: /^insert into "carts"/, times: 1 };
    expect(await runBatch(messages, countingDb(env.DB, { statements: carts }).env)).toEqual({ acked: ids(2), retried: [] });
    expect(await findCartOfVisitor(d(), store, 'v_cartfail_1')).toMatchObject({ value: 20, status: 'active' });

    const down = { ...carts, times: 100 };
    const again = [collect(store, 'v_cartfail_3', 3, [cartUpdated('cf_cart_0003', 3, 30)]), messages[1]!];
    expect(await runBatch(again, countingDb(env.DB, { statements: down }).env)).toEqual({ acked: ['m1'], retried: ['m0'] });
    expect(await findCartOfVisitor(d(), store, 'v_cartfail_3')).toBeUndefined();
  });

  it('binds at most 100 parameters per statement when touching visitors', () => {
    const seen = Array.from({ length: 130 }, (_, i) => ({ storeId: 's', visitorId: `v${i}`, firstSeenAt: i, lastSeenAt: i }));
    const statements = touchVisitorsStatements(d(), [...seen, ...seen]);
    expect(statements).toHaveLength(6);
    for (const s of statements) expect(s.toSQL().params.length).toBeLessThanOrEqual(100);
  });
});
