// The demo history as one SQL file for `wrangler d1 execute --local --file`: first it deletes the rows a
// previous seed wrote (seeded ids carry a `demo` marker), then inserts them again, so a re-run on the same
// day gives the same rows and a later day the same history moved forward; never twice the rows.
import { PRODUCTS, categoryOf, imageUrl, productUrl } from './catalogue.mjs';
import { DAY, ORDER_IDS, STORE, buildCarts, buildCommerce, categoriesJson, orderStatus } from './commerce.mjs';
import { buildJourneys } from './journeys.mjs';
import { messageRows } from './messages.mjs';

export const POSTAL_ADDRESS = '12 rue des Tilleuls, 69002 Lyon, France';

export const sqlValue = (v) =>
  v === null || v === undefined ? 'NULL' : typeof v === 'number' ? String(v) : typeof v === 'boolean' ? (v ? '1' : '0') : `'${String(v).replaceAll("'", "''")}'`;

/** Multi-row inserts, chunked to stay well under D1's statement size. */
export function insertSql(table, rows, { chunk = 100, verb = 'INSERT' } = {}) {
  if (rows.length === 0) return [];
  const cols = Object.keys(rows[0]);
  const out = [];
  for (let i = 0; i < rows.length; i += chunk) {
    const values = rows.slice(i, i + chunk).map((r) => `(${cols.map((c) => sqlValue(r[c])).join(', ')})`);
    out.push(`${verb} INTO ${table} (${cols.map((c) => `"${c}"`).join(', ')}) VALUES\n${values.join(',\n')};`);
  }
  return out;
}

/** Marks the seeded consent rows, so a re-run never drops a consent change made live (an unsubscribe). */
const SEED_AGENT = 'Nightshift demo seed';
const like = (pattern) => `LIKE '${pattern}' ESCAPE '\\'`;
const s = `store_id = '${STORE}'`;
const SEEDED_CONTACT = `contact_id ${like('c\\_demo\\_%')}`;
/** Seeded enrollments end in `:demo<n>`; the agents' own (live) enrollments, and what they sent, are left alone. */
const SEEDED_ENROLLMENT = like('%:demo%');
const SEEDED_MESSAGE = `message_id IN (SELECT id FROM messages WHERE ${s} AND enrollment_id ${SEEDED_ENROLLMENT})`;

export const DELETE_SEEDED = [
  `DELETE FROM order_items WHERE ${s} AND order_id BETWEEN ${ORDER_IDS.from} AND ${ORDER_IDS.to};`,
  `DELETE FROM orders WHERE ${s} AND id BETWEEN ${ORDER_IDS.from} AND ${ORDER_IDS.to};`,
  `DELETE FROM webhook_deliveries WHERE ${s} AND delivery_id LIKE 'demo-%';`,
  `DELETE FROM events WHERE ${s} AND (event_key ${like('v\\_demo\\_%')} OR event_key GLOB 'woo:order:5[0-9][0-9][0-9][0-9]:*'
    OR ((event_key LIKE 'open:%' OR event_key LIKE 'click:%') AND json_extract(properties, '$.message.enrollmentId') ${SEEDED_ENROLLMENT}));`,
  `DELETE FROM provider_events WHERE ${s} AND ${SEEDED_MESSAGE};`,
  `DELETE FROM message_clicks WHERE ${s} AND ${SEEDED_MESSAGE};`,
  `DELETE FROM messages WHERE ${s} AND enrollment_id ${SEEDED_ENROLLMENT};`,
  `DELETE FROM journey_enrollments WHERE ${s} AND id ${SEEDED_ENROLLMENT};`,
  `DELETE FROM audience_members WHERE ${s} AND idempotency_key ${SEEDED_ENROLLMENT};`,
  `DELETE FROM consents WHERE ${s} AND ${SEEDED_CONTACT} AND proof_user_agent = '${SEED_AGENT}';`,
  `DELETE FROM carts WHERE ${s} AND visitor_id ${like('v\\_demo\\_%')};`,
  `DELETE FROM visitors WHERE ${s} AND visitor_id ${like('v\\_demo\\_%')};`,
  `DELETE FROM contacts WHERE ${s} AND id ${like('c\\_demo\\_%')};`,
];

function productRows(shop, now) {
  return PRODUCTS.map((p) => ({
    store_id: STORE, id: p.id, parent_id: null, type: 'simple', name: p.name, sku: `DEMO-${p.id}`, price: p.price,
    categories: JSON.stringify(categoriesJson(p)), stock_status: 'instock', permalink: productUrl(shop, p), image_url: imageUrl(shop, p),
    lifespan_days: p.lifespanDays, source_modified_at: now, deleted_at: null, updated_at: now,
  }));
}

function contactRows(model) {
  return model.contacts.map((c) => ({
    id: c.id, store_id: STORE, email: c.person.email, phone: c.person.phone, first_name: c.person.first, last_name: c.person.last,
    locale: c.person.locale, timezone: 'Europe/Paris', status: c.unsubscribedAt ? 'unsubscribed' : 'active',
    woo_customer_id: c.lead ? null : c.n, source_modified_at: c.createdAt, created_at: c.createdAt, updated_at: c.unsubscribedAt ?? c.createdAt,
  }));
}

function consentRows(model) {
  const row = (c, channel, granted, source, at) => ({
    store_id: STORE, contact_id: c.id, channel, purpose: 'marketing', granted: granted ? 1 : 0, source,
    text_version: source === 'unsubscribe' ? null : `${source}-2026-01`, occurred_at: at, proof_user_agent: SEED_AGENT,
  });
  return model.contacts.flatMap((c) => [
    ...(c.consentAt ? [row(c, 'email', true, c.lead ? 'popup' : 'checkout', c.consentAt)] : []),
    ...(c.unsubscribedAt ? [row(c, 'email', false, 'unsubscribe', c.unsubscribedAt)] : []),
    ...(c.smsConsent ? [row(c, 'sms', true, 'checkout', c.createdAt)] : []),
  ]);
}

const orderLine = (l) => ({ productId: l.product.id, variationId: null, quantity: l.quantity, price: l.product.price, name: l.product.name, categoryIds: [categoryOf(l.product).id] });

function orderRows(model, endDay) {
  const orders = [];
  const items = [];
  const events = [];
  const deliveries = [];
  for (const o of model.orders) {
    const status = orderStatus(o, endDay);
    const paidAt = o.createdAt + 60_000;
    const completedAt = status === 'processing' ? null : Math.min(o.createdAt + 2 * DAY, endDay - 60_000);
    const modified = o.refunded ? completedAt + DAY : (completedAt ?? paidAt);
    orders.push({
      store_id: STORE, id: o.id, number: String(o.id), contact_id: o.contact.id, woo_customer_id: o.contact.n, status, currency: 'EUR',
      total: o.total, discount_total: 0, refunded_total: o.refunded ? o.total : 0, coupon_codes: '[]', attribution: '{}',
      created_at: o.createdAt, paid_at: paidAt, completed_at: completedAt, refunded_at: o.refunded ? modified : null,
      cancelled_at: null, deleted_at: null, source_modified_at: modified, updated_at: modified,
    });
    o.lines.forEach((l, i) => items.push({ store_id: STORE, order_id: o.id, line_id: o.id * 10 + i, product_id: l.product.id, variation_id: null, name: l.product.name, sku: `DEMO-${l.product.id}`, quantity: l.quantity, price: l.product.price, total: l.total }));
    const facts = { orderId: o.id, number: String(o.id), total: o.total, currency: 'EUR', couponCodes: [], lines: o.lines.map(orderLine) };
    const ev = (what, at, extra = {}) => ({ store_id: STORE, event_key: `woo:order:${o.id}:${what}`, type: `order.${what}`, visitor_id: null, contact_id: o.contact.id, properties: JSON.stringify({ ...facts, ...extra }), source: 'woocommerce', occurred_at: at, received_at: at + 2000 });
    events.push(ev('placed', o.createdAt, { status }), ev('paid', paidAt));
    if (completedAt) events.push(ev('completed', completedAt));
    const first = o.lines[0].product;
    events.push({ store_id: STORE, event_key: `${o.contact.visitorId}:pv-${o.id}`, type: 'product_view', visitor_id: o.contact.visitorId, contact_id: o.contact.id, properties: JSON.stringify({ productId: first.id, name: first.name, price: first.price, categoryIds: [first.category] }), source: 'browser', occurred_at: o.createdAt - 12 * 60_000, received_at: o.createdAt - 12 * 60_000 + 500 });
    if (o.createdAt >= model.installedAt) {
      deliveries.push({ store_id: STORE, delivery_id: `demo-${o.id}-created`, webhook_id: '1', topic: 'order.created', resource_id: String(o.id), status: 'processed', error: null, received_at: o.createdAt + 2000, processed_at: o.createdAt + 2500 });
      if (completedAt) deliveries.push({ store_id: STORE, delivery_id: `demo-${o.id}-updated`, webhook_id: '2', topic: 'order.updated', resource_id: String(o.id), status: 'processed', error: null, received_at: completedAt + 2000, processed_at: completedAt + 2500 });
    }
  }
  return { orders, items, events, deliveries };
}

function visitRows(model, carts) {
  const visitors = new Map();
  const seen = (visitorId, contactId, at) => {
    const v = visitors.get(visitorId) ?? { store_id: STORE, visitor_id: visitorId, contact_id: contactId, first_seen_at: at, last_seen_at: at };
    v.first_seen_at = Math.min(v.first_seen_at, at);
    v.last_seen_at = Math.max(v.last_seen_at, at);
    visitors.set(visitorId, v);
  };
  for (const c of model.contacts) seen(c.visitorId, c.id, c.createdAt - 15 * 60_000);
  for (const o of model.orders) seen(o.contact.visitorId, o.contact.id, o.createdAt);
  const latest = new Map();
  const events = [];
  for (const cart of carts) {
    seen(cart.visitorId, cart.contact?.id ?? null, cart.at);
    const value = model.cartOf(cart.lines);
    events.push({ store_id: STORE, event_key: `${cart.visitorId}:cart-${cart.at}`, type: 'cart_updated', visitor_id: cart.visitorId, contact_id: cart.contact?.id ?? null, properties: JSON.stringify({ cart: value }), source: 'browser', occurred_at: cart.at, received_at: cart.at + 500 });
    if ((latest.get(cart.visitorId)?.at ?? 0) < cart.at) latest.set(cart.visitorId, cart);
  }
  for (const c of model.leads) {
    events.push({ store_id: STORE, event_key: `${c.visitorId}:signup`, type: 'identify', visitor_id: c.visitorId, contact_id: c.id, properties: JSON.stringify({ source: 'popup', consent: { emailMarketing: true, textVersion: 'popup-2026-01' } }), source: 'browser', occurred_at: c.createdAt, received_at: c.createdAt + 500 });
  }
  const cartRows = [...latest.values()].map((cart) => {
    const value = model.cartOf(cart.lines);
    return { store_id: STORE, visitor_id: cart.visitorId, contact_id: cart.contact?.id ?? null, items: JSON.stringify(value.items), value: value.value, currency: 'EUR', status: cart.order ? 'converted' : 'active', snapshot_at: cart.at, updated_at: cart.order ? cart.order.createdAt : cart.at };
  });
  return { visitors: [...visitors.values()], carts: cartRows, events };
}

/** Every row of the demo history; `endDay` (a UTC midnight) anchors it, so one day always gives the same rows. */
export async function buildDemoSeed({ endDay, shop, workerUrl, step = 40, cdnowPath }) {
  const model = buildCommerce({ endDay, shop, step, cdnowPath });
  const carts = buildCarts(model, endDay);
  const journeys = buildJourneys(model, carts, { endDay, shop });
  const commerce = orderRows(model, endDay);
  const visits = visitRows(model, carts);
  const engagement = await messageRows(journeys, { shop, workerUrl, address: POSTAL_ADDRESS });
  const tables = {
    products: productRows(shop, endDay - 200 * DAY),
    contacts: contactRows(model),
    consents: consentRows(model),
    visitors: visits.visitors,
    carts: visits.carts,
    orders: commerce.orders,
    order_items: commerce.items,
    webhook_deliveries: commerce.deliveries,
    events: [...commerce.events, ...visits.events, ...engagement.events],
    journey_enrollments: engagement.enrollments,
    messages: engagement.messages,
    provider_events: engagement.providerEvents,
    message_clicks: engagement.clicks,
    audience_members: engagement.audience,
  };
  const statements = [...DELETE_SEEDED];
  for (const [table, rows] of Object.entries(tables)) {
    const verb = table === 'products' ? 'INSERT OR REPLACE' : table === 'audience_members' ? 'INSERT OR IGNORE' : 'INSERT';
    statements.push(...insertSql(table, rows, { chunk: table === 'messages' ? 1 : 100, verb }));
  }
  const counts = Object.fromEntries(Object.entries(tables).map(([t, rows]) => [t, rows.length]));
  return { sql: statements.join('\n'), counts, source: model.source, installedAt: model.installedAt };
}
