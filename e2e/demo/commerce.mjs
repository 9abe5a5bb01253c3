// Contacts, consents, orders, order lines, visits and carts of the demo history (plain rows, keyed like the product's).
import { PRODUCTS, categoryOf, imageUrl, productUrl } from './catalogue.mjs';
import { loadHistory, personFor, rng } from './history.mjs';

export const DAY = 86_400_000;
const HOUR = 3_600_000;
const MIN = 60_000;
export const STORE = 'demo';
/** Seeded rows carry these markers so a re-run replaces exactly them (see seed-sql.mjs). */
export const ORDER_IDS = { from: 50_000, to: 59_999 };
const pad = (n) => String(n).padStart(5, '0');

function pickLines(r, cds, value) {
  const quantity = Math.max(1, Math.min(cds, 8));
  const perItem = value / Math.max(cds, 1);
  const near = [...PRODUCTS].sort((a, b) => Math.abs(a.price - perItem) - Math.abs(b.price - perItem)).slice(0, 6);
  const lines = new Map();
  for (let i = 0; i < quantity; i++) {
    const p = lines.size >= 3 ? [...lines.keys()][Math.floor(r() * lines.size)] : near[Math.floor(r() * near.length)];
    lines.set(p, (lines.get(p) ?? 0) + 1);
  }
  return [...lines].map(([p, q]) => ({ product: p, quantity: q, total: Math.round(p.price * q * 100) / 100 }));
}

const cartOf = (lines, shop) => ({
  items: lines.map(({ product: p, quantity }) => ({ productId: p.id, name: p.name, quantity, price: p.price, image: imageUrl(shop, p), url: productUrl(shop, p) })),
  value: Math.round(lines.reduce((s, l) => s + l.total, 0) * 100) / 100,
  currency: 'EUR',
});

function newContact(id, n, person, createdAt, r) {
  return { id, n, person, createdAt, visitorId: `v_demo_${id.slice(7)}`, orders: [], consentAt: null, unsubscribedAt: null, smsConsent: person.phone !== null && r() < 0.5 };
}

/** Customers (with their orders) from the purchase history, then newsletter sign-ups without an order. */
export function buildCommerce({ endDay, shop, step, cdnowPath }) {
  const { source, purchases } = loadHistory({ endDay, step, path: cdnowPath });
  const installedAt = endDay - 90 * DAY;
  const contacts = new Map();
  const orders = [];
  purchases.sort((a, b) => a.day - b.day || a.customer - b.customer);
  for (const [i, p] of purchases.entries()) {
    const r = rng(p.customer * 100_003 + i);
    const id = `c_demo_${pad(p.customer)}`;
    const createdAt = p.day + (7 + Math.floor(r() * 13)) * HOUR + Math.floor(r() * 60) * MIN;
    if (!contacts.has(id)) contacts.set(id, newContact(id, p.customer, personFor(p.customer), createdAt, r));
    const contact = contacts.get(id);
    const lines = pickLines(r, p.cds, p.value);
    const order = { id: ORDER_IDS.from + i, contact, createdAt, lines, total: cartOf(lines, shop).value, refunded: r() < 0.02 };
    contact.orders.push(order);
    orders.push(order);
  }
  for (const c of contacts.values()) {
    const r = rng(c.n * 31 + 7);
    if (r() < 0.65) c.consentAt = c.createdAt;
    if (c.consentAt && r() < 0.04) c.unsubscribedAt = Math.min(c.consentAt + (20 + Math.floor(r() * 200)) * DAY, endDay - 40 * DAY);
    if (c.unsubscribedAt !== null && c.unsubscribedAt <= c.consentAt) c.unsubscribedAt = null;
  }
  const leads = [];
  for (let i = 1; i <= 90; i++) {
    const r = rng(900_000 + i);
    const createdAt = installedAt + Math.floor(r() * (endDay - 7 * DAY - installedAt));
    const c = newContact(`c_demo_l${pad(i).slice(1)}`, 30_000 + i, personFor(30_000 + i), createdAt, r);
    c.consentAt = createdAt;
    c.lead = true;
    contacts.set(c.id, c);
    leads.push(c);
  }
  return { source, installedAt, contacts: [...contacts.values()], orders, leads, cartOf: (lines) => cartOf(lines, shop) };
}

/** Abandoned carts: some ended in an order (the reminder worked or not), some are still waiting, some are anonymous. */
export function buildCarts(model, endDay) {
  const carts = [];
  for (const o of model.orders) {
    const r = rng(o.id * 13);
    if (o.createdAt < model.installedAt || o.total >= 100 || r() >= 0.3) continue;
    const at = o.createdAt - (2 + Math.floor(r() * 30)) * HOUR;
    carts.push({ contact: o.contact, visitorId: o.contact.visitorId, at, lines: o.lines, order: o });
  }
  const waiting = model.contacts.filter((c) => c.consentAt && !c.unsubscribedAt && rng(c.n * 17)() < 0.08);
  for (const c of waiting) {
    const r = rng(c.n * 19);
    const at = endDay - (2 + Math.floor(r() * 18)) * DAY + Math.floor(r() * 12) * HOUR;
    if (c.orders.some((o) => o.createdAt > at) || at < c.createdAt) continue;
    const product = PRODUCTS[Math.floor(r() * PRODUCTS.length)];
    if (product.price >= 100) continue;
    carts.push({ contact: c, visitorId: c.visitorId, at, lines: [{ product, quantity: 1, total: product.price }], order: null });
  }
  for (let i = 1; i <= 15; i++) {
    const r = rng(70_000 + i);
    const product = PRODUCTS[Math.floor(r() * PRODUCTS.length)];
    const at = endDay - Math.floor(r() * 10 * DAY);
    carts.push({ contact: null, visitorId: `v_demo_anon${pad(i)}`, at, lines: [{ product, quantity: 1 + Math.floor(r() * 2), total: product.price }], order: null });
  }
  return carts;
}

export const orderStatus = (o, endDay) => (o.refunded ? 'refunded' : o.createdAt > endDay - 3 * DAY ? 'processing' : 'completed');
export const categoriesJson = (p) => {
  const c = categoryOf(p);
  return [{ id: c.id, name: c.name, slug: c.slug }];
};
