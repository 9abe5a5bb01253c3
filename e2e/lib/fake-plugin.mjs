// The plugin bridge's side of a fake WooCommerce store: the page context it prints before tracker.js (the exact
// bytes PHPUnit's PageContextTest pins in plugin-bridge/tests/fixtures/page-context/), and the signed events it
// sends when the cart changes (classic AJAX or the Store API) or when the block checkout posts the email.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, nightshiftSignature, repoRoot } from './local-worker.mjs';

const CONTEXTS = join(repoRoot, 'plugin-bridge', 'tests', 'fixtures', 'page-context');

/** A tiny catalogue, so cart lines carry a name and a price as WooCommerce's would. */
export const CATALOGUE = {
  10: { name: 'Night owl mug', price: 12.5 },
  12: { name: 'Savon artisanal lavande', price: 8.9 },
  31: { name: 'Savon artisanal lavande - Lavande', price: 8.9 },
  44: { name: 'Bougie cèdre', price: 19 },
};

/** The plugin's inline script for a fixture (`product`, `category`), with the demo store's site key. */
export function pluginConfigScript(name) {
  const json = readFileSync(join(CONTEXTS, `${name}.json`), 'utf8').replace('"siteKey":"pk_demo"', `"siteKey":"${DEMO.siteKey}"`);
  return `<script id="nightshift-tracker-js-before">\nwindow.nightshiftConfig = ${json};\n</script>`;
}

/** The page context of a fixture, as the tracker reads it. */
export function pluginPageContext(name) {
  return JSON.parse(readFileSync(join(CONTEXTS, `${name}.json`), 'utf8')).page;
}

const visitorOf = (req) => /(?:^|; )ns_vid=([A-Za-z0-9_-]{8,64})/.exec(req.headers.cookie ?? '')?.[1];
const event = (type, props) => ({ id: `evt_${type}_${Date.now()}_${Math.random().toString(36).slice(2, 10)}`, type, ts: Date.now(), ...props });

async function readJson(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : {};
}

/**
 * Handles the store's own endpoints the plugin hooks into; answers false for any other request.
 * `POST /?wc-ajax=add_to_cart` (classic) and `POST /wp-json/wc/store/v1/cart/add-item` (blocks): add_to_cart +
 * cart_updated. `POST /wp-json/wc/store/v1/cart/update-customer`: identify (no consent) + checkout_started.
 */
export function pluginServerSide({ workerUrl }) {
  const carts = new Map();
  const send = async (visitorId, events) => {
    const body = JSON.stringify({ store: DEMO.storeId, visitorId, events });
    const headers = { 'Content-Type': 'application/json', 'X-Nightshift-Signature': nightshiftSignature(DEMO.webhookSecret, body) };
    const res = await fetch(`${workerUrl}/collect`, { method: 'POST', headers, body });
    if (res.status !== 204) throw new Error(`signed batch: HTTP ${res.status} ${await res.text()}`);
  };
  const snapshot = (lines) => ({
    items: lines.map((l) => ({ productId: l.productId, ...(l.variationId ? { variationId: l.variationId } : {}), name: l.name, quantity: l.quantity, price: l.price })),
    value: Math.round(lines.reduce((sum, l) => sum + l.price * l.quantity, 0) * 100) / 100,
    currency: 'EUR',
  });

  async function addItem(visitorId, { id, quantity = 1, variation_id: variationId = 0 }) {
    const lines = carts.get(visitorId) ?? [];
    const { name, price } = CATALOGUE[variationId || id];
    const line = lines.find((l) => l.productId === id && l.variationId === variationId);
    if (line) line.quantity += quantity;
    else lines.push({ productId: id, variationId, name, price, quantity });
    carts.set(visitorId, lines);
    const add = { productId: id, ...(variationId ? { variationId } : {}), quantity, price, name };
    await send(visitorId, [event('add_to_cart', add), event('cart_updated', { cart: snapshot(lines) })]);
    return snapshot(lines);
  }

  async function updateCustomer(visitorId, { billing_address: billing = {} }) {
    const lines = carts.get(visitorId) ?? [];
    const events = [event('identify', { email: billing.email, source: 'checkout' })];
    if (lines.length) events.push(event('checkout_started', { cart: snapshot(lines) }));
    await send(visitorId, events);
    return { billing_address: billing };
  }

  return async function handle(req, res) {
    const url = new URL(req.url ?? '/', 'http://x');
    const route = url.searchParams.get('wc-ajax') === 'add_to_cart' ? 'add' : { '/wp-json/wc/store/v1/cart/add-item': 'add', '/wp-json/wc/store/v1/cart/update-customer': 'customer' }[url.pathname];
    if (req.method !== 'POST' || !route) return false;
    const visitorId = visitorOf(req);
    if (!visitorId) {
      res.writeHead(400, { 'Content-Type': 'text/plain' });
      res.end('no ns_vid cookie');
      return true;
    }
    const input = await readJson(req);
    const answer = route === 'add' ? await addItem(visitorId, input) : await updateCustomer(visitorId, input);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(answer));
    return true;
  };
}
