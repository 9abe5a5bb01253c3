/**
 * The on-site script (`public/tracker.js`, built by `npm run build:tracker`). Loaded async, it only queues
 * events and sends them in batches when the browser is idle or the page is being hidden, so it costs no layout
 * and next to no main-thread time. It speaks the contract in `worker/ingest/collect/beacon.ts`.
 *
 * Config, first found wins: `window.nightshiftConfig`, the script tag's `data-*`, its URL: `?k=<site key>` or
 * `?store=<store id>`, `&cp=1` for consent-pending mode; `data-identity-token` links a logged-in customer.
 * `nightshiftConfig.page` (printed by the plugin bridge on classic and block themes) names the product, category
 * and cart of the page: product_view, category_view, cart_updated and checkout_started come from it.
 * Page API: `nightshift.track(type, props)`, `identify(props)`, `consent(granted)`, `flush()`, `visitorId()`.
 * Calls made before the script loaded (`window.nightshift = [['identify', {...}], ...]`) are replayed.
 */
type Props = Record<string, unknown>;
type Call = [string, ...unknown[]];
/** What the plugin bridge prints for the page (class-nightshift-page-context.php), on classic and block themes alike. */
type Page = { type?: string; product?: Props & { productId: number }; category?: Props; cart?: Props };
type Config = { siteKey?: string; store?: string; consentPending?: boolean; identityToken?: string; endpoint?: string; page?: Page };
type JQueryLike = (target: unknown) => { on(events: string, handler: (...args: unknown[]) => void): void };
type Api = {
  track(type: string, props?: Props): void;
  identify(props: Props): void;
  consent(granted: boolean): void;
  flush(): void;
  visitorId(): string | null;
};
type Host = Window & {
  nightshift?: Api | Call[];
  nightshiftConfig?: Config;
  nightshiftWidgets?: Props;
  jQuery?: JQueryLike;
  requestIdleCallback?: (cb: () => void, opts: { timeout: number }) => number;
};

((w: Host, d: Document, n: Navigator) => {
  const script = d.currentScript as HTMLScriptElement | null;
  const data = script ? script.dataset : {};
  const src = new URL(script ? script.src : '/tracker.js', location.href);
  const cfg: Config = w.nightshiftConfig || {};
  const param = (name: string) => src.searchParams.get(name) || undefined;
  const siteKey = cfg.siteKey || data.siteKey || param('k');
  const store = siteKey ? undefined : cfg.store || data.store || param('store');
  const endpoint = cfg.endpoint || src.origin + '/collect?' + (siteKey ? 'k=' : 'store=') + encodeURIComponent(siteKey || store || '');
  const dnt = n.doNotTrack === '1' || (w as { doNotTrack?: string }).doNotTrack === '1';
  const kv = (area: 'localStorage' | 'sessionStorage', key: string, value?: string | null) => {
    try {
      const storage = w[area];
      if (value === undefined) return storage.getItem(key);
      if (value === null) storage.removeItem(key);
      else storage.setItem(key, value);
    } catch {
      /* storage can be disabled: the id then lives for this page only */
    }
    return null;
  };
  const ls = (key: string, value?: string | null) => kv('localStorage', key, value);
  let granted = ls('ns_consent') === '1';
  const pending = (cfg.consentPending || data.consentPending === '1' || param('cp') === '1') && !granted;
  let state: 0 | 1 | 2 = dnt || !(siteKey || store) ? 2 : pending ? 0 : 1; // 0 waiting for consent, 1 on, 2 off
  const held: Props[] = [];
  let queue: Props[] = [];
  let scheduled = false;
  let vid: string | null = null;
  let jar: string | null | undefined; // the id the cookie holds: written again only when it differs

  const rand = (len: number) => {
    const bytes = crypto.getRandomValues(new Uint8Array(len));
    let s = '';
    for (const b of bytes) s += (b % 36).toString(36);
    return s;
  };
  const cookie = () => (/(?:^|; )ns_vid=([A-Za-z0-9_-]{8,64})/.exec(d.cookie) || [])[1];
  // Cookie and storage are read once a page and written only when the id changed: each access is a call out of
  // the script (and a cookie write an IPC), paid on every page. Storage is only the fallback when the cookie went.
  const visitor = () => {
    if (!vid) vid = (jar = cookie()) || ls('ns_vid') || 'v_' + rand(22);
    if (jar !== vid) {
      d.cookie = 'ns_vid=' + vid + ';path=/;max-age=34560000;samesite=lax' + (location.protocol === 'https:' ? ';secure' : '');
      ls('ns_vid', vid);
      jar = vid;
    }
    return vid;
  };

  const send = (body: string) => {
    const ok = n.sendBeacon && n.sendBeacon(endpoint, body);
    if (!ok) fetch(endpoint, { method: 'POST', body, keepalive: true, credentials: 'omit', headers: { 'Content-Type': 'text/plain' } }).catch(() => 0);
  };
  const flush = () => {
    scheduled = false;
    if (state !== 1 || !queue.length) return;
    const id = visitor();
    while (queue.length) send(JSON.stringify({ siteKey, store, visitorId: id, consent: granted || undefined, events: queue.splice(0, 20) }));
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    if (w.requestIdleCallback) w.requestIdleCallback(flush, { timeout: 2000 });
    else setTimeout(flush, 500);
  };
  const track = (type: string, props?: Props) => {
    if (state === 2) return;
    const event = { ...props, id: rand(20), type, ts: Date.now() };
    if (state === 0) held.push(event);
    else {
      queue.push(event);
      schedule();
    }
  };

  // Widget code is a separate bundle, fetched only when the server has a widget for this page (or the theme placed
  // one): most pages cost one small request and no script.
  const widgets = () => {
    if (state !== 1 || !w.fetch) return;
    const site = siteKey || store || '';
    const q = '?store=' + encodeURIComponent(site) + '&vid=' + visitor();
    const placed = d.querySelector('ns-carousel,ns-signup') ? '&placed=1' : '';
    const where = '&path=' + encodeURIComponent(location.pathname) + (page.product ? '&product=' + page.product.productId : '') + placed;
    w.fetch(src.origin + '/widgets/page' + q + where, { credentials: 'omit' })
      .then((r) => (r.status === 200 ? r.json() : null))
      .then((answer: Props | null) => {
        if (!answer) return;
        w.nightshiftWidgets = { ...answer, base: src.origin, q, site, cart: page.cart };
        const s = d.createElement('script');
        s.src = src.origin + '/widgets/ui.js';
        s.async = true;
        d.head.append(s);
      })
      .catch(() => 0);
  };

  const api: Api = {
    track,
    identify: (props) => track('identify', props),
    consent(yes) {
      if (state === 2 && !yes) return;
      ls('ns_consent', yes ? '1' : null);
      if (!yes) {
        state = 2;
        held.length = queue.length = 0;
        d.cookie = 'ns_vid=;path=/;max-age=0';
        ls('ns_vid', null);
        jar = null;
        return;
      }
      if (dnt || !(siteKey || store)) return;
      granted = true;
      state = 1;
      queue = queue.concat(held.splice(0));
      schedule();
    },
    flush,
    visitorId: () => (state === 1 ? visitor() : null),
  };

  const early = Array.isArray(w.nightshift) ? w.nightshift : [];
  w.nightshift = api;

  const page: Page = cfg.page || {};
  const views = () => {
    const url = location.href.slice(0, 2048);
    track('page_view', { url, referrer: d.referrer.slice(0, 2048) || undefined, title: d.title.slice(0, 500) });
    if (page.product) track('product_view', { url, ...page.product });
    if (page.category) track('category_view', { url, ...page.category });
    const cart = page.cart;
    const text = JSON.stringify(cart);
    // Each page load would otherwise resend the same cart; the plugin's signed events carry every change anyway.
    if (cart && kv('sessionStorage', 'ns_cart') !== text) {
      kv('sessionStorage', 'ns_cart', text);
      track('cart_updated', { cart });
    }
    if (page.type === 'checkout') track('checkout_started', { cart });
  };

  // Block themes add to cart through the Store API and say only `wc-blocks_added_to_cart` (no product): the
  // product is the last clicked `data-product_id` button, else this product page's, with its quantity field.
  let clicked: Element | null | undefined;
  let addedAt = 0;
  const int = (s?: string | null) => parseInt(s || '') | 0;
  const field = (name: string) => (d.querySelector('[name=' + name + ']') as HTMLInputElement | null)?.value;
  const added = (button?: Element) => {
    const el = button || clicked;
    clicked = null;
    // WooCommerce Blocks re-dispatch jQuery's added_to_cart as wc-blocks_added_to_cart: one add, one event.
    if (Date.now() - addedAt < 99) return;
    addedAt = Date.now();
    const productId = el ? int(el.getAttribute('data-product_id')) : page.product?.productId;
    const quantity = int(el ? el.getAttribute('data-quantity') : field('quantity'));
    const variationId = el ? 0 : int(field('variation_id'));
    if (productId && productId > 0) track('add_to_cart', { productId, variationId: variationId > 0 ? variationId : undefined, quantity: quantity > 0 ? Math.min(quantity, 1e4) : 1 });
  };

  const start = () => {
    views();
    widgets();
    const token = cfg.identityToken || data.identityToken;
    if (token && kv('sessionStorage', 'ns_idt') !== token) {
      kv('sessionStorage', 'ns_idt', token);
      track('identify', { identityToken: token, source: 'account' });
    }
    d.addEventListener('click', (e) => (clicked = (e.target as Element).closest?.('[data-product_id]')), true);
    d.addEventListener('wc-blocks_added_to_cart', () => added()); // dispatched on body, bubbling
    // Classic themes' AJAX buttons (and the plugin's signed events record removals and every other cart change).
    w.jQuery?.(d.body).on('added_to_cart', (_e, _f, _h, b) => added((b as ArrayLike<Element> | undefined)?.[0]));
    for (const [method, ...args] of early) {
      const fn = (api as unknown as Record<string, (...a: unknown[]) => void>)[method];
      if (fn) fn(...args);
    }
  };

  const hide = () => flush();
  w.addEventListener('pagehide', hide);
  d.addEventListener('visibilitychange', () => d.visibilityState === 'hidden' && hide());
  if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', start);
  else start();
})(window as Host, document, navigator);
