// What the journey e2e checks and the journey benchmarks share: extra stores seeded in local D1, the
// admin calls that enable a flow with short waits, signed plugin-bridge beacons (identify + cart) and a
// paid WooCommerce order for a given email.
import { randomBytes } from 'node:crypto';
import { d1Query, nightshiftSignature, sha256Hex } from './local-worker.mjs';
import { deliveryHeaders, loadWooFixtures } from './woo-fixtures.mjs';

const sqlText = (s) => `'${String(s).replaceAll("'", "''")}'`;

/**
 * A fixed-offset zone where it is about midday now (as worker/test/clock.ts does for the unit tests):
 * an SMS step must not be held for the contact's night because the harness runs in the evening.
 */
export function middayZone(now = Date.now()) {
  const offset = ((12 - new Date(now).getUTCHours() + 36) % 24) - 12;
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

/** Inserts stores of their own (id, name, webhook secret), in a time zone where it is daytime. */
export async function seedStores(stores, { persistTo, now = Date.now() }) {
  const rows = stores.map((s) =>
    [
      sqlText(s.id), sqlText(s.name ?? s.id), sqlText(s.siteUrl ?? 'https://shop.example'), sqlText(s.webhookSecret),
      sqlText(`pk_${s.id}`), sqlText(sha256Hex(`ct_${s.id}`)), sqlText('[]'), sqlText(middayZone(now)), String(now), String(now),
    ].join(', '),
  );
  const sql = `INSERT INTO stores (id, name, site_url, webhook_secret, site_key, connect_token_hash, allowed_origins, timezone, created_at, updated_at) VALUES (${rows.join('), (')});`;
  await d1Query(sql, { persistTo });
}

/** Admin API calls with the Bearer token; `fetcher` lets the chaos suite count every request it makes. */
export function adminClient(baseUrl, token, fetcher = fetch) {
  const call = async (method, path, body) => {
    const res = await fetcher(`${baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 500)}`);
    return res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  };
  return {
    get: (path) => call('GET', path),
    patch: (path, body) => call('PATCH', path, body),
    post: (path, body) => call('POST', path, body ?? {}),
    del: (path) => call('DELETE', path),
  };
}

/** Turns the abandoned-cart flow on with the given settings (see worker/journeys/presets/abandoned-cart.ts). */
export async function enableAbandonedCart(admin, storeId, settings) {
  return admin.patch(`/api/flows/abandoned-cart?store=${storeId}`, { enabled: true, holdoutPercent: 0, settings });
}

/**
 * A plugin-bridge batch signed with the store secret, as the WordPress plugin sends it server to server:
 * identity with email and SMS consent (trusted, so no double opt-in), then a cart.
 */
export function cartBatch({ storeId, visitorId, email, phone, value = 42, now = Date.now() }) {
  const run = randomBytes(4).toString('hex');
  const identify = {
    id: `evt_id_${run}`, type: 'identify', ts: now, email, firstName: 'Cam', source: 'checkout',
    consent: { emailMarketing: true, ...(phone ? { smsMarketing: true } : {}), textVersion: 'checkout-2026-11' },
    ...(phone ? { phone } : {}),
  };
  const cart = {
    id: `evt_cart_${run}`, type: 'cart_updated', ts: now + 1,
    cart: { items: [{ productId: 10, quantity: 2, price: value / 2, name: 'Night owl mug' }], value, currency: 'EUR' },
  };
  return JSON.stringify({ store: storeId, visitorId, events: [identify, cart] });
}

export async function postSigned(baseUrl, secret, body) {
  const res = await fetch(`${baseUrl}/collect`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Nightshift-Signature': nightshiftSignature(secret, body) },
    body,
  });
  if (res.status !== 204) throw new Error(`POST /collect: HTTP ${res.status} ${await res.text()}`);
}

/**
 * The captured `order.updated` delivery of a paid (processing) order, made a guest order of `email`
 * under a new id, dated now, and signed with the store secret.
 */
export function paidOrderDelivery({ secret, email, orderId, now = Date.now() }) {
  const fixture = loadWooFixtures().find((f) => f.name === 'order.updated.processing');
  const stamp = new Date(now).toISOString().slice(0, 19);
  const text = fixture.body
    .toString('utf8')
    .replace(/^\{"id":\d+,/, `{"id":${orderId},`)
    .replaceAll(fixture.json.billing.email, email)
    .replace(/"customer_id":\d+/, '"customer_id":0')
    .replace(/"(date_(?:created|modified|paid)(?:_gmt)?)":"[^"]+"/g, `"$1":"${stamp}"`);
  const body = Buffer.from(text);
  const headers = deliveryHeaders({ headers: fixture.headers, body }, secret, randomBytes(16).toString('hex'));
  return { headers, body };
}
