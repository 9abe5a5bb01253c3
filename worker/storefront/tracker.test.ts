import { env, SELF } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { db } from '../db/client';
import { upsertStore } from '../db/queries/stores';
import { BeaconBatch } from '../ingest/collect/beacon';

/**
 * Runs the built `public/tracker.js` against a minimal fake page: just the browser surface it touches.
 * Real-browser behaviour (Chromium) is covered by e2e/.
 */
type Listener = () => void;
type Beacon = { url: string; body: string };
type PageOptions = {
  src?: string;
  config?: Record<string, unknown>;
  dataset?: Record<string, string>;
  doNotTrack?: string;
  early?: unknown[][];
  jquery?: boolean;
  /** `[name=...]` form fields of the page (quantity, variation_id). */
  fields?: Record<string, string>;
  /** `document.cookie` as the page starts (a returning visitor's). */
  cookie?: string;
};
type FakeElement = { getAttribute(name: string): string | null; closest(selector: string): FakeElement | null };

/** An element with attributes; `closest('[data-product_id]')` finds itself when it has one. */
function element(attrs: Record<string, string>): FakeElement {
  const el: FakeElement = {
    getAttribute: (name) => attrs[name] ?? null,
    closest: (selector) => (selector === '[data-product_id]' && 'data-product_id' in attrs ? el : null),
  };
  return el;
}

function fakePage(options: PageOptions = {}) {
  const beacons: Beacon[] = [];
  const idle: Listener[] = [];
  const windowListeners: Record<string, Listener[]> = {};
  const documentListeners: Record<string, ((e: { target: unknown }) => void)[]> = {};
  const jqueryHandlers: Record<string, ((...args: unknown[]) => void)[]> = {};
  const storage = () => {
    const map = new Map<string, string>();
    return {
      getItem: (k: string) => map.get(k) ?? null,
      setItem: (k: string, v: string) => void map.set(k, v),
      removeItem: (k: string) => void map.delete(k),
    };
  };
  let cookie = options.cookie ?? '';
  const cookieWrites: string[] = [];
  const document = {
    currentScript: { src: options.src ?? 'https://ns.test/tracker.js?store=demo&k=pk_tracker', dataset: options.dataset ?? {} },
    get cookie() {
      return cookie;
    },
    set cookie(value: string) {
      cookieWrites.push(value);
      cookie = value.includes('max-age=0') ? '' : value.split(';')[0]!;
    },
    referrer: 'https://search.example/',
    title: 'Grill — Shop',
    readyState: 'complete',
    visibilityState: 'visible',
    body: {},
    addEventListener: (type: string, cb: (e: { target: unknown }) => void) => (documentListeners[type] ??= []).push(cb),
    querySelector: (selector: string) => {
      const name = /^\[name=(\w+)\]$/.exec(selector)?.[1];
      const value = name === undefined ? undefined : options.fields?.[name];
      return value === undefined ? null : { value };
    },
  };
  const jQuery = (target: unknown) => ({
    on(events: string, handler: (...args: unknown[]) => void) {
      for (const name of events.split(' ')) (jqueryHandlers[name] ??= []).push(handler);
      return target;
    },
  });
  const window: Record<string, unknown> = {
    nightshiftConfig: options.config,
    nightshift: options.early,
    doNotTrack: undefined,
    localStorage: storage(),
    sessionStorage: storage(),
    jQuery: options.jquery ? jQuery : undefined,
    requestIdleCallback: (cb: Listener) => idle.push(cb),
    addEventListener: (type: string, cb: Listener) => (windowListeners[type] ??= []).push(cb),
  };
  const navigator = {
    doNotTrack: options.doNotTrack ?? null,
    sendBeacon: (url: string, body: string) => beacons.push({ url, body }) > 0,
  };
  return {
    globals: { window, document, navigator, location: { href: 'https://shop.example/product/grill', protocol: 'https:' } },
    beacons,
    idle: () => idle.splice(0).forEach((cb) => cb()),
    fire: (type: string) => windowListeners[type]?.forEach((cb) => cb()),
    trigger: (name: string, ...args: unknown[]) => jqueryHandlers[name]?.forEach((h) => h({}, ...args)),
    click: (target: unknown) => documentListeners.click?.forEach((cb) => cb({ target })),
    dispatch: (type: string) => documentListeners[type]?.forEach((cb) => cb({ target: document.body })),
    cookie: () => cookie,
    cookieWrites,
    localStorage: window.localStorage as { getItem(key: string): string | null },
    api: () => window.nightshift as Record<string, (...args: unknown[]) => unknown>,
  };
}

const saved = new Map<string, PropertyDescriptor | undefined>();
let runs = 0;

async function load(page: ReturnType<typeof fakePage>) {
  for (const [name, value] of Object.entries(page.globals)) {
    if (!saved.has(name)) saved.set(name, Object.getOwnPropertyDescriptor(globalThis, name));
    Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  // A fresh module id per run, so the script executes again.
  const path = `../../public/tracker.js?run=${++runs}`;
  await import(/* @vite-ignore */ path);
}

afterEach(() => {
  for (const [name, descriptor] of saved) {
    if (descriptor) Object.defineProperty(globalThis, name, descriptor);
    else Reflect.deleteProperty(globalThis, name);
  }
  saved.clear();
});

/** What class-nightshift-page-context.php prints (plugin-bridge/tests/fixtures/page-context/); the cart only on cart and checkout pages. */
const PRODUCT_PAGE = {
  type: 'product',
  product: { productId: 12, variationId: 31, name: 'Savon artisanal lavande', price: 8.9, categoryIds: [15, 16] },
};
const CART = { items: [{ productId: 12, name: 'Savon artisanal lavande', quantity: 2, price: 8.9, url: 'https://shop.example/?p=12' }], value: 17.8, currency: 'EUR' };

const bodies = (page: ReturnType<typeof fakePage>) => page.beacons.map((b) => BeaconBatch.parse(JSON.parse(b.body)));

describe('public/tracker.js', () => {
  // The test pool's SELF goes straight to the worker, skipping the asset router, so ask the assets binding.
  it('is served by static assets, cached briefly, and stays under 2.5 KB gzipped', async () => {
    const res = await env.ASSETS.fetch('https://ns.test/tracker.js?store=demo');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toContain('javascript');
    expect(res.headers.get('Cache-Control')).toContain('max-age=300');
    const gzipped = await new Response(res.body!.pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
    expect(gzipped.byteLength).toBeLessThanOrEqual(2560);
  });

  it('sends the page and product views the plugin prints in nightshiftConfig.page in one beacon when idle', async () => {
    const page = fakePage({ config: { page: PRODUCT_PAGE } });
    await load(page);
    expect(page.beacons).toHaveLength(0);
    page.idle();
    expect(page.beacons).toHaveLength(1);
    expect(page.beacons[0]?.url).toBe('https://ns.test/collect?k=pk_tracker');
    const [batch] = bodies(page);
    expect(batch?.siteKey).toBe('pk_tracker');
    expect(batch?.events.map((e) => e.type)).toEqual(['page_view', 'product_view']);
    expect(batch?.events[1]).toMatchObject({ productId: 12, variationId: 31, price: 8.9, categoryIds: [15, 16], url: 'https://shop.example/product/grill' });
    expect(page.cookie()).toBe(`ns_vid=${batch?.visitorId}`);
  });

  it('writes the visitor cookie once a page, and not at all for a returning visitor whose cookie holds the id', async () => {
    const first = fakePage({ config: { page: PRODUCT_PAGE } });
    await load(first);
    first.idle();
    first.api().track?.('page_view', { url: 'https://shop.example/shop' });
    first.idle();
    const [one, two] = bodies(first);
    expect(two?.visitorId).toBe(one?.visitorId);
    expect(first.cookieWrites).toHaveLength(1);
    expect(first.localStorage.getItem('ns_vid')).toBe(one?.visitorId);

    const back = fakePage({ config: { page: PRODUCT_PAGE }, cookie: `ns_vid=${one?.visitorId}` });
    await load(back);
    back.idle();
    expect(bodies(back)[0]?.visitorId).toBe(one?.visitorId);
    expect(back.cookieWrites).toEqual([]);
    expect(back.localStorage.getItem('ns_vid')).toBeNull();
  });

  it('sends a category view on a category page, and the cart and checkout_started on the checkout page', async () => {
    const category = fakePage({ config: { page: { type: 'category', category: { categoryId: 15, name: 'Savons' } } } });
    await load(category);
    category.idle();
    expect(bodies(category)[0]?.events.map((e) => e.type)).toEqual(['page_view', 'category_view']);
    expect(bodies(category)[0]?.events[1]).toMatchObject({ categoryId: 15, name: 'Savons' });

    const checkout = fakePage({ config: { page: { type: 'checkout', cart: CART } } });
    await load(checkout);
    checkout.idle();
    const events = bodies(checkout)[0]?.events ?? [];
    expect(events.map((e) => e.type)).toEqual(['page_view', 'cart_updated', 'checkout_started']);
    expect(events[1]).toMatchObject({ cart: CART });
    expect(events[2]).toMatchObject({ cart: CART });
  });

  it('catches block-theme add to cart (wc-blocks_added_to_cart): the clicked product button, else the page product and its quantity', async () => {
    const page = fakePage({ config: { page: PRODUCT_PAGE }, fields: { quantity: '3', variation_id: '31' } });
    await load(page);
    page.click(element({ 'data-product_id': '44', class: 'wc-block-components-product-button__button' }));
    page.dispatch('wc-blocks_added_to_cart');
    page.click(element({ class: 'single_add_to_cart_button' }));
    await new Promise((r) => setTimeout(r, 100)); // two real adds, further apart than one re-dispatched add
    page.dispatch('wc-blocks_added_to_cart');
    page.fire('pagehide');
    const adds = bodies(page).flatMap((b) => b.events).filter((e) => e.type === 'add_to_cart');
    expect(adds).toMatchObject([
      { productId: 44, quantity: 1 },
      { productId: 12, variationId: 31, quantity: 3 },
    ]);
  });

  it('counts a classic jQuery added_to_cart once, even when WooCommerce Blocks re-dispatches it natively', async () => {
    const page = fakePage({ jquery: true });
    await load(page);
    page.trigger('added_to_cart', {}, 'hash', [element({ 'data-product_id': '7', 'data-quantity': '2' })]);
    page.dispatch('wc-blocks_added_to_cart');
    page.api().identify?.({ email: 'ann@example.com', consent: { emailMarketing: true }, source: 'popup' });
    page.fire('pagehide');
    const events = bodies(page).flatMap((b) => b.events);
    expect(events.map((e) => e.type)).toEqual(['page_view', 'add_to_cart', 'identify']);
    expect(events[1]).toMatchObject({ productId: 7, quantity: 2 });
  });

  it('replays calls queued before it loaded', async () => {
    const page = fakePage({ early: [['track', 'checkout_started', {}]] });
    await load(page);
    page.idle();
    expect(bodies(page)[0]?.events.map((e) => e.type)).toEqual(['page_view', 'checkout_started']);
  });

  it('sends nothing and stores no id under Do-Not-Track', async () => {
    const page = fakePage({ doNotTrack: '1' });
    await load(page);
    page.api().track?.('page_view', { url: 'https://shop.example/' });
    page.idle();
    page.fire('pagehide');
    expect(page.beacons).toHaveLength(0);
    expect(page.cookie()).toBe('');
  });

  it('holds events while consent is pending and sends them once consent is given', async () => {
    const page = fakePage({ dataset: { consentPending: '1' } });
    await load(page);
    page.idle();
    page.fire('pagehide');
    expect(page.beacons).toHaveLength(0);
    expect(page.cookie()).toBe('');
    page.api().consent?.(true);
    page.idle();
    expect(bodies(page)[0]?.events.map((e) => e.type)).toEqual(['page_view']);
    expect(bodies(page)[0]?.consent).toBe(true);
  });

  it('drops held events when consent is refused', async () => {
    const page = fakePage({ config: { consentPending: true } });
    await load(page);
    page.api().consent?.(false);
    page.api().track?.('page_view', { url: 'https://shop.example/' });
    page.idle();
    page.fire('pagehide');
    expect(page.beacons).toHaveLength(0);
  });

  it('produces beacons that POST /collect accepts, whether the snippet names the site key or the store', async () => {
    await upsertStore(db(env.DB), {
      id: 'tracker-store',
      name: 'tracker',
      webhookSecret: 'whsec_tracker_test',
      siteKey: 'pk_tracker',
      allowedOrigins: ['https://shop.example'],
      createdAt: 1,
      updatedAt: 1,
    });
    for (const src of ['https://ns.test/tracker.js?k=pk_tracker', 'https://ns.test/tracker.js?store=tracker-store']) {
      const page = fakePage({ src, config: { page: { ...PRODUCT_PAGE, category: { categoryId: 15, name: 'Savons' }, cart: CART } } });
      await load(page);
      page.idle();
      const beacon = page.beacons[0]!;
      const res = await SELF.fetch(beacon.url, {
        method: 'POST',
        body: beacon.body,
        headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: 'https://shop.example' },
      });
      expect(res.status, src).toBe(204);
    }
  });
});
