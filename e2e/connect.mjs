// One-click connect against a real `wrangler dev`: the connect code from POST /api/stores, the plugin's connect
// call, the catalogue import run by the real INGEST queue against a local WooCommerce REST fake (wire format:
// Basic auth, per_page/page, X-WP-TotalPages), then a secret rotation handed to the fake plugin route.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { freePort } from './lib/local-worker.mjs';
import { assert, assertEqual, eventually } from './lib/checks.mjs';

const STORE = 'e2e-connect';
const CK = 'ck_e2e0123456789abcdef0123456789abcdef01';
const CS = 'cs_e2e0123456789abcdef0123456789abcdef01';
const FIRST_SECRET = 'e2e-plugin-secret!with#punctuation(50 characters).';

/** 150 simple products (two pages of 100), one category; the plugin's secret route checks the current secret. */
async function startWooFake() {
  const port = await freePort();
  const state = { secret: FIRST_SECRET, requests: 0 };
  const products = Array.from({ length: 150 }, (_, i) => ({
    id: 100 + i, name: `Thé ${i}`, type: 'simple', parent_id: 0, sku: `T${i}`, price: `${(5 + i / 10).toFixed(2)}`, stock_quantity: i, stock_status: 'instock',
    permalink: `http://127.0.0.1:${port}/p/${100 + i}`, images: [], categories: [{ id: 21, name: 'Thé', slug: 'the' }], variations: [],
    date_created_gmt: '2026-11-01T00:00:00', date_modified_gmt: '2026-11-01T00:00:00', meta_data: [],
  }));
  const categories = [{ id: 21, name: 'Thé', slug: 'the', parent: 0, count: 150 }];
  const server = createServer((req, res) => {
    const url = new URL(req.url, `http://127.0.0.1:${port}`);
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      state.requests++;
      const json = (status, body, headers = {}) => {
        res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (url.searchParams.get('rest_route') === '/nightshift/v1/secret') {
        const raw = Buffer.concat(chunks).toString('utf8');
        const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(req.headers['x-nightshift-signature'] ?? '');
        const expected = m && createHmac('sha256', state.secret).update(`${m[1]}.${raw}`).digest('hex');
        if (!m || expected !== m[2]) return json(401, { code: 'nightshift_bad_signature', message: 'bad signature', data: { status: 401 } });
        state.secret = JSON.parse(raw).secret;
        return json(200, { ok: true, webhooks: 11 });
      }
      if (req.headers.authorization !== `Basic ${Buffer.from(`${CK}:${CS}`).toString('base64')}`) {
        return json(401, { code: 'woocommerce_rest_authentication_error', message: 'Consumer key is invalid.', data: { status: 401 } });
      }
      const perPage = Number(url.searchParams.get('per_page') ?? 10);
      const page = Number(url.searchParams.get('page') ?? 1);
      const list = url.pathname === '/wp-json/wc/v3/products' ? products : url.pathname === '/wp-json/wc/v3/products/categories' ? categories : null;
      if (!list) return json(404, { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } });
      json(200, list.slice((page - 1) * perPage, page * perPage), { 'X-WP-Total': String(list.length), 'X-WP-TotalPages': String(Math.ceil(list.length / perPage)) });
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}/`, state, close: () => new Promise((resolve) => server.close(resolve)) };
}

export async function connectChecks({ check, worker, adminToken }) {
  const woo = await startWooFake();
  const api = (path, method, body, token = adminToken) =>
    fetch(`${worker.url}${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  try {
    let connectToken = '';
    await check('connect: POST /api/stores answers a connect code carrying the worker URL, store id and token', async () => {
      const res = await api('/api/stores', 'POST', { id: STORE, name: 'Boutique e2e', siteUrl: woo.url });
      assertEqual(res.status, 201, 'create');
      const created = await res.json();
      const code = JSON.parse(Buffer.from(created.connectCode.slice('nsc1.'.length), 'base64url').toString('utf8'));
      assertEqual(code, { u: worker.url, s: STORE, t: created.connectToken }, 'decoded code');
      connectToken = created.connectToken;
    });
    await check('connect: a worker on plain HTTP offers no wc-auth step; with REST keys, connect imports the catalogue through the queue', async () => {
      const body = { webhookSecret: FIRST_SECRET, siteUrl: woo.url, pluginVersion: '0.2.0' };
      const first = await (await api(`/api/stores/${STORE}/connect`, 'POST', body, connectToken)).json();
      assertEqual([first.wcAuth, first.wooKeys], [null, false], 'no wc-auth over http');
      assertEqual((await api(`/api/stores/${STORE}/settings`, 'PATCH', { wooConsumerKey: CK, wooConsumerSecret: CS })).status, 200, 'keys');
      const again = await (await api(`/api/stores/${STORE}/connect`, 'POST', body, connectToken)).json();
      assert(typeof again.catalogRun === 'string', `catalogue run started: ${JSON.stringify(again)}`);
      const login = await fetch(`${worker.url}/admin/login`, { method: 'POST', body: new URLSearchParams({ token: adminToken }), redirect: 'manual' });
      const cookie = login.headers.getSetCookie().find((c) => c.startsWith('ns_admin=')).split(';', 1)[0];
      await eventually(async () => {
        const html = await (await fetch(`${worker.url}/admin/stores/${STORE}/connection`, { headers: { Cookie: cookie, 'Accept-Language': 'en' } })).text();
        assert(html.includes('Done') && html.includes('150 products and variations read'), 'the connection page shows the finished import');
      }, { timeoutMs: 30_000 });
    });
    await check('connect: rotating the secret hands it to the plugin; both secrets verify webhooks during the grace period', async () => {
      const res = await api(`/api/stores/${STORE}/rotate-secret`, 'POST', { graceMinutes: 10 });
      assertEqual(res.status, 200, 'rotate');
      assert(woo.state.secret !== FIRST_SECRET, 'the plugin has a new secret');
      for (const secret of [FIRST_SECRET, woo.state.secret]) {
        const bytes = Buffer.from(JSON.stringify({ id: 100, name: 'Thé 0', type: 'simple', date_modified_gmt: '2026-11-02T00:00:00', meta_data: [] }));
        const delivery = await fetch(`${worker.url}/webhooks/woocommerce/${STORE}`, {
          method: 'POST', body: bytes,
          headers: { 'Content-Type': 'application/json', 'X-WC-Webhook-Topic': 'product.updated', 'X-WC-Webhook-Signature': createHmac('sha256', secret).update(bytes).digest('base64') },
        });
        assertEqual(delivery.status, 200, `webhook signed with ${secret === FIRST_SECRET ? 'the old' : 'the new'} secret`);
      }
    });
  } finally {
    await woo.close();
  }
}
