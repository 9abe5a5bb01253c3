// A fake WooCommerce product page on its own origin, served by the e2e script. It carries the real
// tracker snippet and mimics what WooCommerce's own scripts do: jQuery `added_to_cart` on document.body after an
// AJAX add to cart, the page context the plugin bridge prints and its signed cart events (fake-plugin.mjs).
// The block-theme pages are in fake-block-theme.mjs.
import { createServer } from 'node:http';
import { DEMO } from './local-worker.mjs';
import { blockThemePages } from './fake-block-theme.mjs';
import { pluginServerSide } from './fake-plugin.mjs';
import { widgetsPage } from '../widgets.mjs';

const PRODUCT = { productId: 10, name: 'Night owl mug', price: 12.5 };

/** The REST keys the store's WooCommerce accepts (e2e/widgets.mjs gives them to the store's settings). */
export const WOO_KEYS = { consumerKey: 'ck_e2e_storefront_0123456789', consumerSecret: 'cs_e2e_storefront_9876543210' };

/**
 * `POST /wp-json/wc/v3/coupons` as WooCommerce answers it: Basic auth with the consumer key and secret, 201 with the
 * coupon (code lower-cased, as WooCommerce stores it), 400 `woocommerce_rest_coupon_code_already_exists`, errors as
 * `{ code, message, data: { status } }`. Created coupons are kept in `coupons` for the checks to read.
 */
function wooCoupons(coupons) {
  return (req, res, raw) => {
    const json = (status, body) => {
      res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify(body));
    };
    const basic = `Basic ${Buffer.from(`${WOO_KEYS.consumerKey}:${WOO_KEYS.consumerSecret}`).toString('base64')}`;
    if (req.headers.authorization !== basic) return json(401, { code: 'woocommerce_rest_authentication_error', message: 'Consumer key is invalid.', data: { status: 401 } });
    let body = null;
    try {
      body = JSON.parse(raw);
    } catch {
      /* answered below as WooCommerce does */
    }
    if (!body || typeof body.code !== 'string' || !body.code) return json(400, { code: 'rest_missing_callback_param', message: 'Missing parameter(s): code', data: { status: 400, params: ['code'] } });
    const code = body.code.toLowerCase();
    if (coupons.some((c) => c.code === code)) return json(400, { code: 'woocommerce_rest_coupon_code_already_exists', message: 'The coupon code already exists', data: { status: 400 } });
    const coupon = { id: 900 + coupons.length, code, amount: String(body.amount), discount_type: body.discount_type, date_expires_gmt: body.date_expires_gmt ?? null, usage_limit: body.usage_limit ?? null, usage_limit_per_user: body.usage_limit_per_user ?? null, email_restrictions: body.email_restrictions ?? [], individual_use: body.individual_use === true, usage_count: 0, used_by: [] };
    coupons.push(coupon);
    json(201, coupon);
  };
}

function page(snippetSrc) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${PRODUCT.name} – Demo store</title>
<style>
  body { font: 16px/1.4 system-ui, sans-serif; margin: 2rem auto; max-width: 40rem; color: #222; }
  .product { display: flex; gap: 1.5rem; align-items: center; border: 1px solid #ddd; padding: 1rem; border-radius: 8px; }
  .img { width: 120px; height: 120px; background: #2b2d42; color: #fff; display: grid; place-items: center; border-radius: 8px; font-size: 3rem; }
  button { font: inherit; padding: .5rem 1rem; background: #7b2cbf; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
  form { margin-top: 1.5rem; border: 1px dashed #aaa; padding: 1rem; border-radius: 8px; }
  input[type=email] { font: inherit; padding: .4rem; width: 16rem; }
  #status { margin-top: 1rem; color: #2a7; min-height: 1.4em; }
</style>
<script>
  // Just enough of jQuery for WooCommerce-style events (no network: the real jQuery is not available here).
  (function () {
    var handlers = {};
    window.jQuery = function () {
      return { on: function (events, fn) { events.split(' ').forEach(function (e) { (handlers[e] = handlers[e] || []).push(fn); }); } };
    };
    window.wcTrigger = function (event, args) {
      (handlers[event] || []).forEach(function (fn) { fn.apply(null, [{ type: event }].concat(args || [])); });
    };
  })();
</script>
<script>window.nightshiftConfig = ${JSON.stringify({ page: { type: 'product', product: PRODUCT } })};</script>
<script async src="${snippetSrc}"></script>
</head>
<body class="single-product woocommerce">
  <h1>Demo store</h1>
  <div class="product">
    <div class="img">☕</div>
    <div>
      <h2>${PRODUCT.name}</h2>
      <p>€${PRODUCT.price.toFixed(2)}</p>
      <button id="add" data-product_id="${PRODUCT.productId}" data-quantity="2">Add 2 to cart</button>
      <p>Cart: <span id="cart-count">0</span> item(s)</p>
    </div>
  </div>
  <form id="signup">
    <p>Get 10% off your first order</p>
    <input type="email" id="email" placeholder="you@example.com" required>
    <label><input type="checkbox" id="consent"> Email me offers (you can unsubscribe any time)</label>
    <button type="submit">Subscribe</button>
  </form>
  <div id="status"></div>
<script>
  var inCart = 0;
  document.getElementById('add').addEventListener('click', function (e) {
    var button = e.currentTarget;
    var quantity = Number(button.getAttribute('data-quantity'));
    // WooCommerce's classic AJAX add to cart; the plugin's woocommerce_add_to_cart hook sends the signed cart.
    fetch('/?wc-ajax=add_to_cart', { method: 'POST', body: JSON.stringify({ id: ${PRODUCT.productId}, quantity: quantity }) }).then(function () {
      inCart += quantity;
      document.getElementById('cart-count').textContent = String(inCart);
      window.wcTrigger('added_to_cart', [{}, 'hash', [button]]);
      document.getElementById('status').textContent = 'Added to cart';
    });
  });
  document.getElementById('signup').addEventListener('submit', function (e) {
    e.preventDefault();
    var consent = document.getElementById('consent').checked;
    window.nightshift.identify({
      email: document.getElementById('email').value,
      source: 'popup',
      consent: { emailMarketing: consent, textVersion: 'popup-2026-11' },
    });
    window.nightshift.flush();
    document.getElementById('status').textContent = consent ? 'Thanks for subscribing!' : 'Thanks!';
  });
</script>
</body>
</html>`;
}

export function startStorefront({ port, workerUrl }) {
  // Two snippets: the site key form a hand-written tag uses, and the store-id form the plugin's trackerUrl uses.
  const pages = {
    '/product': page(`${workerUrl}/tracker.js?k=${DEMO.siteKey}`),
    '/product-plugin-snippet': page(`${workerUrl}/tracker.js?store=${DEMO.storeId}`),
    ...blockThemePages(workerUrl),
    '/widgets': widgetsPage(workerUrl),
    // The same page without Nightshift: e2e/lib/widget-measure.mjs shows it first, as a theme's own pages would.
    '/widgets-warm-up': widgetsPage(workerUrl).replace(/<script async src="[^"]+"><\/script>/, ''),
  };
  const plugin = pluginServerSide({ workerUrl });
  const coupons = [];
  const createCoupon = wooCoupons(coupons);
  const server = createServer(async (req, res) => {
    if (req.method === 'POST' && req.url === '/wp-json/wc/v3/coupons') {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      return createCoupon(req, res, Buffer.concat(chunks).toString('utf8'));
    }
    const handled = await plugin(req, res).catch((e) => {
      res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end(String(e));
      return true;
    });
    if (handled) return;
    const html = pages[new URL(req.url ?? '/', 'http://x').pathname];
    if (html) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(html);
      return;
    }
    if (req.url === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () =>
      resolve({
        origin: `http://127.0.0.1:${port}`,
        productUrl: `http://127.0.0.1:${port}/product`,
        pluginSnippetUrl: `http://127.0.0.1:${port}/product-plugin-snippet`,
        blockProductUrl: `http://127.0.0.1:${port}/block/product`,
        blockCategoryUrl: `http://127.0.0.1:${port}/block/category`,
        product: PRODUCT,
        coupons,
        close: () => new Promise((r) => server.close(() => r())),
      }),
    );
  });
}
