// Signed WooCommerce deliveries for the widgets e2e: a small catalogue bought together with the demo product (so
// the carousel shows real `GET /widgets/recommendations` answers), and the order a widget shopper places with the
// coupon from the sign-up email. Bodies are the captured fixtures with a few fields changed, signed like WooCommerce.
import { randomUUID } from 'node:crypto';
import { DEMO } from './local-worker.mjs';
import { deliver, loadWooFixtures } from './woo-fixtures.mjs';

/** Products bought with the demo page's product (10) in two paid orders each: the minimum support of "bought together". */
export const COMPANIONS = [
  { id: 501, name: 'Tasse Chouette bleue', price: '14.00' },
  { id: 502, name: 'Théière en fonte', price: '39.00' },
  { id: 503, name: 'Sous-tasse en liège', price: '6.50' },
  { id: 504, name: 'Boîte à thé', price: '11.00' },
  { id: 505, name: 'Infuseur inox', price: '8.00' },
  { id: 506, name: 'Torchon lin', price: '12.00' },
];
export const ANCHOR_PRODUCT = 10;

const gmt = (ms) => new Date(ms).toISOString().slice(0, 19);
const fixture = (name) => {
  const f = loadWooFixtures().find((x) => x.name === name);
  if (!f) throw new Error(`fixture ${name} missing`);
  return f;
};

async function send(worker, base, json) {
  const body = Buffer.from(JSON.stringify(json));
  const res = await deliver(`${worker.url}/webhooks/woocommerce/${DEMO.storeId}`, { headers: base.headers, body }, DEMO.webhookSecret, randomUUID());
  if (res.status < 200 || res.status >= 300) throw new Error(`${base.name} ${json.id}: HTTP ${res.status} ${await res.text()}`);
}

export async function deliverCatalogue(worker) {
  const product = fixture('product.created');
  const now = Date.now();
  for (const p of COMPANIONS) {
    const slug = p.name.toLowerCase().normalize('NFD').replace(/[^a-z]+/g, '-');
    await send(worker, product, { ...product.json, id: p.id, name: p.name, slug, sku: `E2E-${p.id}`, permalink: `https://shop.example.com/product/${slug}/`, price: p.price, regular_price: p.price, images: [], date_modified_gmt: gmt(now) });
  }
}

/** A paid order as WooCommerce's order.created delivery carries it (processing, date_paid set). */
export function paidOrder({ id, email, lines, couponCodes = [], at = Date.now() }) {
  const base = fixture('order.created').json;
  const lineOf = (l, i) => ({ ...base.line_items[0], id: id * 10 + i, product_id: l.productId, variation_id: 0, name: l.name, quantity: 1, subtotal: l.price, total: l.price, price: Number(l.price), sku: '' });
  const total = lines.reduce((s, l) => s + Number(l.price), 0).toFixed(2);
  return {
    ...base,
    id,
    number: String(id),
    order_key: `wc_order_e2e${id}`,
    status: 'processing',
    customer_id: 0,
    billing: { ...base.billing, email },
    line_items: lines.map(lineOf),
    coupon_lines: couponCodes.map((code, i) => ({ ...base.coupon_lines[0], id: id * 10 + 9 - i, code, discount: '0' })),
    total,
    discount_total: '0.00',
    date_created_gmt: gmt(at),
    date_modified_gmt: gmt(at),
    date_paid_gmt: gmt(at),
    date_paid: gmt(at),
    date_created: gmt(at),
    date_modified: gmt(at),
  };
}

/** Two paid orders per companion, each with product 10, from guest shoppers. */
export async function deliverOrderHistory(worker) {
  const order = fixture('order.created');
  const anchor = { productId: ANCHOR_PRODUCT, name: 'Classic Logo T-Shirt', price: '18.00' };
  let id = 7100;
  for (const p of COMPANIONS)
    for (const n of [1, 2]) {
      id += 1;
      await send(worker, order, paidOrder({ id, email: `e2e.recs.${p.id}.${n}@example.com`, lines: [anchor, { productId: p.id, name: p.name, price: p.price }] }));
    }
}

export async function deliverOrder(worker, spec) {
  await send(worker, fixture('order.created'), paidOrder(spec));
}
