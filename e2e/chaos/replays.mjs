// Every captured WooCommerce delivery (both capture sets), replayed: once in order, then ten times in a row and
// ten times at once with its own delivery id, then twice more as WooCommerce resends (new delivery ids); and,
// on a store of its own, every non-delete delivery in reverse order. Nothing may be stored twice, nothing
// accepted may be lost, and the order of arrival may not change the final state.
import { randomBytes } from 'node:crypto';
import { deliveryHeaders, fixturesDir, loadWooFixtures, moreFixturesDir } from '../lib/woo-fixtures.mjs';
import { d1Read, pool, settle, sqlQuote } from './harness.mjs';

export const REPLAY_STORES = [
  { id: 'chaos-woo', webhookSecret: `whsec_chaos_woo_${randomBytes(6).toString('hex')}`, dir: fixturesDir },
  { id: 'chaos-more', webhookSecret: `whsec_chaos_more_${randomBytes(6).toString('hex')}`, dir: moreFixturesDir },
  { id: 'chaos-ooo', webhookSecret: `whsec_chaos_ooo_${randomBytes(6).toString('hex')}`, dir: fixturesDir },
];

const TABLES = ['events', 'orders', 'order_items', 'contacts', 'products', 'coupons', 'consents', 'journey_enrollments', 'messages'];

const countsSql = (storeId) =>
  `SELECT ${TABLES.map((t) => `(SELECT count(*) FROM ${t} WHERE store_id = ${sqlQuote(storeId)}) AS ${t}`).join(', ')}`;

const deliveryStateSql = (storeId) =>
  `SELECT (SELECT count(*) FROM webhook_deliveries WHERE store_id = ${sqlQuote(storeId)}) AS logged,
          (SELECT count(*) FROM webhook_deliveries WHERE store_id = ${sqlQuote(storeId)} AND status IN ('queued', 'failed')) AS open,
          (SELECT count(*) FROM ingest_failures WHERE store_id = ${sqlQuote(storeId)}) AS parked`;

async function deliverAll(worker, fetcher, store, fixtures, { deliveryId, concurrency = 1 }) {
  const url = `${worker.url}/webhooks/woocommerce/${store.id}`;
  const statuses = await pool(fixtures, concurrency, async (f) => {
    const headers = deliveryHeaders(f, store.webhookSecret, deliveryId(f));
    const res = await fetcher(url, { method: 'POST', headers, body: f.body });
    await res.arrayBuffer();
    return res.status;
  });
  return statuses;
}

const originalId = (f) => Object.fromEntries(f.headers.map(([k, v]) => [k.toLowerCase(), v]))['x-wc-webhook-delivery-id'];

/** Applies `fixtures` once, in the order given, waiting for each to be processed (the order of arrival is the test). */
async function applyInOrder(worker, fetcher, store, fixtures, tally) {
  for (const f of fixtures) {
    const [status] = await deliverAll(worker, fetcher, store, [f], { deliveryId: originalId });
    if (status !== 200) tally.notes.push(`${store.id} ${f.name}: first delivery answered ${status}`);
  }
  return settle(() => d1Read(deliveryStateSql(store.id), worker.persistTo), { quietMs: 2_500 });
}

async function lostDeliveries(worker, store, expectedLogged, tally) {
  const state = await d1Read(deliveryStateSql(store.id), worker.persistTo).then((r) => r[0]);
  const lost = Math.max(0, expectedLogged - state.logged) + state.open + state.parked;
  if (lost) tally.notes.push(`${store.id}: ${JSON.stringify(state)} (expected ${expectedLogged} logged)`);
  return lost;
}

export async function replayScenario({ worker, fetcher, tally }) {
  const [inOrder, more, reversed] = REPLAY_STORES;
  const sets = [
    { store: inOrder, fixtures: loadWooFixtures(inOrder.dir) },
    { store: more, fixtures: loadWooFixtures(more.dir) },
  ];
  for (const { store, fixtures } of sets) {
    await applyInOrder(worker, fetcher, store, fixtures, tally);
    tally.lost += await lostDeliveries(worker, store, new Set(fixtures.map(originalId)).size, tally);
    const before = (await d1Read(countsSql(store.id), worker.persistTo))[0];
    for (let i = 0; i < 10; i++) await deliverAll(worker, fetcher, store, fixtures, { deliveryId: originalId });
    await Promise.all(Array.from({ length: 10 }, () => deliverAll(worker, fetcher, store, fixtures, { deliveryId: originalId, concurrency: fixtures.length })));
    for (let i = 0; i < 2; i++) await deliverAll(worker, fetcher, store, fixtures, { deliveryId: () => randomBytes(16).toString('hex') });
    const after = await settle(() => d1Read(countsSql(store.id), worker.persistTo).then((r) => r[0]), { quietMs: 3_000 });
    for (const t of TABLES) {
      const extra = after[t] - before[t];
      if (extra !== 0) {
        tally.duplicates += Math.abs(extra);
        tally.notes.push(`${store.id}: ${t} went from ${before[t]} to ${after[t]} after replays`);
      }
    }
    tally.lost += await lostDeliveries(worker, store, new Set(fixtures.map(originalId)).size + 2 * fixtures.length, tally);
  }

  // Reverse order on a store of its own: the final orders and products must equal the in-order store's.
  const forward = sets[0].fixtures.filter((f) => !f.topic.endsWith('.deleted'));
  await applyInOrder(worker, fetcher, reversed, [...forward].reverse(), tally);
  const stateSql = (id) =>
    `SELECT 'order ' || id AS k, status || ' ' || total || ' ' || refunded_total AS v FROM orders WHERE store_id = ${sqlQuote(id)}
     UNION ALL SELECT 'product ' || id, coalesce(price, '') || ' ' || coalesce(stock_status, '') FROM products WHERE store_id = ${sqlQuote(id)}`;
  const expected = Object.fromEntries((await d1Read(stateSql(inOrder.id), worker.persistTo)).map((r) => [r.k, r.v]));
  const actual = Object.fromEntries((await d1Read(stateSql(reversed.id), worker.persistTo)).map((r) => [r.k, r.v]));
  // The in-order store also saw deletes; compare only what both hold, and count missing rows as lost.
  for (const [k, v] of Object.entries(expected)) {
    if (!(k in actual)) {
      tally.lost += 1;
      tally.notes.push(`out of order: ${k} missing`);
    } else if (actual[k] !== v) {
      tally.lost += 1;
      tally.notes.push(`out of order: ${k} is "${actual[k]}", in order "${v}"`);
    }
  }
}
