// Yesterday evening's orders reach the demo store the way every real order does: as signed WooCommerce
// `order.created` deliveries (the captured 10.0.2 delivery in ../shared, re-addressed and re-signed), so
// they run through ingestion and start real journeys in the ContactAgents. Same day, same deliveries.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, wooSignature } from '../lib/local-worker.mjs';
import { fixturesDir } from '../lib/woo-fixtures.mjs';
import { PRODUCTS, imageUrl } from './catalogue.mjs';
import { ORDER_IDS } from './commerce.mjs';
import { personFor } from './history.mjs';

const HOUR = 3_600_000;
/** Seeded customers (CDNOW ids ≡ 1 mod 40) and what they bought. */
const LIVE = [
  { customer: 41, products: [[106, 2], [112, 1]] },
  { customer: 81, products: [[118, 1]] },
  { customer: 121, products: [[101, 1], [115, 2]] },
];
const HOP = new Set(['host', 'content-length', 'connection', 'accept-encoding']);
const gmt = (ms) => new Date(ms).toISOString().slice(0, 19);
const money = (n) => n.toFixed(2);

function orderBody(template, live, id, at, shop) {
  const p = personFor(live.customer);
  const lines = live.products.map(([pid, quantity], i) => {
    const product = PRODUCTS.find((x) => x.id === pid);
    const total = money(product.price * quantity);
    return { ...template.line_items[0], id: id * 10 + i, name: product.name, product_id: pid, variation_id: 0, quantity, subtotal: total, total, sku: `DEMO-${pid}`, price: product.price, image: { id: String(pid), src: imageUrl(shop, product) } };
  });
  const total = money(lines.reduce((s, l) => s + Number(l.total), 0));
  const billing = { ...template.billing, first_name: p.first, last_name: p.last, email: p.email, phone: p.phone ?? '', city: 'Lyon', country: 'FR', state: '', postcode: '69002', address_1: '12 rue des Tilleuls' };
  return {
    ...template, id, number: String(id), status: 'processing', currency: 'EUR', currency_symbol: '€', total, discount_total: '0.00', customer_id: live.customer,
    billing, shipping: { ...template.shipping, first_name: p.first, last_name: p.last, city: 'Lyon', country: 'FR', state: '', postcode: '69002' },
    date_created: gmt(at), date_created_gmt: gmt(at), date_modified: gmt(at + 60_000), date_modified_gmt: gmt(at + 60_000),
    date_paid: gmt(at + 60_000), date_paid_gmt: gmt(at + 60_000), date_completed: null, date_completed_gmt: null,
    line_items: lines, coupon_lines: [], refunds: [], meta_data: [{ id: 1, key: '_wc_order_attribution_source_type', value: 'typein' }],
  };
}

/** Sends the deliveries to the worker at `url`; returns how many it accepted (none without ../shared's fixtures). */
export async function sendLiveOrders({ url, shop, endDay }) {
  const bodyPath = join(fixturesDir, 'wire', 'order.created.body');
  if (!existsSync(bodyPath)) return 0;
  const template = JSON.parse(readFileSync(bodyPath, 'utf8'));
  const captured = JSON.parse(readFileSync(join(fixturesDir, 'wire', 'order.created.headers.json'), 'utf8'));
  let accepted = 0;
  for (const [i, live] of LIVE.entries()) {
    const id = ORDER_IDS.to - LIVE.length + 1 + i;
    const body = JSON.stringify(orderBody(template, live, id, endDay - (LIVE.length - i) * 2 * HOUR, shop));
    const headers = Object.fromEntries(captured.filter(([name]) => !HOP.has(name.toLowerCase())));
    Object.assign(headers, { 'X-WC-Webhook-Signature': wooSignature(DEMO.webhookSecret, body), 'X-WC-Webhook-Delivery-ID': `demo-live-${id}`, 'X-WC-Webhook-Resource': 'order', 'X-WC-Webhook-Event': 'created', 'X-WC-Webhook-Topic': 'order.created' });
    const res = await fetch(`${url}/webhooks/woocommerce/${DEMO.storeId}`, { method: 'POST', headers, body });
    if (!res.ok) throw new Error(`live order ${id}: HTTP ${res.status} ${await res.text()}`);
    accepted++;
  }
  return accepted;
}
