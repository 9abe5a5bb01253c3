import { SELF } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { executeShowPrompt } from '../contacts/executors/show-prompt';
import { origin, seedExecutorContext } from '../contacts/executors/test/seed';
import { linkVisitorToContact, touchVisitor } from '../db/queries/visitors';

/**
 * The on-site prompt as the built `public/tracker.js` shows it, on a minimal fake DOM whose
 * `window.fetch` goes to the worker with the page's Origin. Real-browser rendering is for e2e/.
 */
class FakeElement {
  readonly attrs: Record<string, string> = {};
  readonly children: FakeElement[] = [];
  readonly style = { cssText: '' };
  parent: FakeElement | null = null;
  textContent = '';
  lang = '';
  href = '';
  onclick: (() => void) | null = null;
  constructor(readonly tag: string) {}
  setAttribute(name: string, value: string) {
    this.attrs[name] = value;
  }
  append(...nodes: FakeElement[]) {
    for (const n of nodes) {
      n.parent = this;
      this.children.push(n);
      this.onAppend?.(n);
    }
  }
  remove() {
    this.parent?.children.splice(this.parent.children.indexOf(this), 1);
    this.parent = null;
  }
  onAppend?: (n: FakeElement) => void;
  find(tag: string): FakeElement[] {
    return this.children.flatMap((c) => [...(c.tag === tag ? [c] : []), ...c.find(tag)]);
  }
}

function page(storeId: string, vid: string) {
  const body = new FakeElement('body');
  const keydown: ((e: { key: string }) => void)[] = [];
  const requests: Promise<unknown>[] = [];
  const shown = new Promise<FakeElement>((resolve) => (body.onAppend = resolve));
  const storage = new Map<string, string>([['ns_vid', vid]]);
  const store = { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v), removeItem: (k: string) => void storage.delete(k) };
  const window = {
    localStorage: store,
    sessionStorage: { getItem: () => null, setItem: () => undefined, removeItem: () => undefined },
    requestIdleCallback: () => 0,
    addEventListener: () => undefined,
    fetch: (url: string, init: RequestInit = {}) => {
      const res = SELF.fetch(url, { ...init, headers: { Origin: `https://${storeId}.shop.test` } });
      requests.push(res);
      return res;
    },
  };
  const document = {
    currentScript: { src: `https://ns.test/tracker.js?k=pk_${storeId}`, dataset: {} },
    cookie: '',
    referrer: '',
    title: 'Shop',
    readyState: 'complete',
    visibilityState: 'visible',
    body: Object.assign(body, { classList: { contains: () => false } }),
    createElement: (tag: string) => new FakeElement(tag),
    querySelector: () => null,
    addEventListener: (type: string, cb: (e: { key: string }) => void) => type === 'keydown' && keydown.push(cb),
    removeEventListener: (type: string, cb: (e: { key: string }) => void) => type === 'keydown' && keydown.splice(keydown.indexOf(cb), 1),
  };
  const globals = { window, document, navigator: { sendBeacon: () => true }, location: { href: `https://${storeId}.shop.test/`, protocol: 'https:' } };
  return { globals, body, shown, keydown, requests };
}

const saved = new Map<string, PropertyDescriptor | undefined>();
let runs = 0;
async function load(globals: Record<string, unknown>) {
  for (const [name, value] of Object.entries(globals)) {
    if (!saved.has(name)) saved.set(name, Object.getOwnPropertyDescriptor(globalThis, name));
    Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  await import(/* @vite-ignore */ `../../public/tracker.js?prompt=${++runs}`);
}
afterEach(() => {
  for (const [name, descriptor] of saved) {
    if (descriptor) Object.defineProperty(globalThis, name, descriptor);
    else Reflect.deleteProperty(globalThis, name);
  }
  saved.clear();
});

async function seedPrompt(storeId: string, vid: string) {
  const now = Date.now();
  const ctx = await seedExecutorContext(storeId, now);
  await touchVisitor(ctx.d, storeId, vid, now);
  await linkVisitorToContact(ctx.d, storeId, vid, ctx.contact.id);
  const context = { coupons: [], cart: { value: 199, itemCount: 1, lines: [{ productId: 7, quantity: 1, price: 199, name: 'Kamado <img src=x>' }], restoreUrl: `https://${storeId}.shop.test/?nightshift_cart=t` } };
  await executeShowPrompt(ctx, { ...origin('enr_t', 'onsite'), type: 'show_prompt', template: 'cart.prompt', context, expiresAt: now + 3_600_000 });
}

describe('tracker on-site prompt', () => {
  it('shows an accessible, fixed, dismissible banner; Escape closes it and dismisses it on the server', async () => {
    await seedPrompt('trk-prompt', 'v_trk_prompt_visitor');
    const p = page('trk-prompt', 'v_trk_prompt_visitor');
    await load(p.globals);
    const banner = await p.shown;
    expect(banner.attrs).toMatchObject({ role: 'dialog', 'aria-live': 'polite', 'aria-label': 'Votre panier vous attend' });
    expect(banner.lang).toBe('fr');
    expect(banner.style.cssText).toContain('position:fixed');
    expect(banner.find('li').map((li) => li.textContent)).toEqual(['1 × Kamado <img src=x>']);
    expect(banner.find('a')[0]?.href).toBe('https://trk-prompt.shop.test/?nightshift_cart=t');
    const close = banner.find('button')[0];
    expect(close?.attrs['aria-label']).toBe('Fermer');

    p.keydown.forEach((cb) => cb({ key: 'Tab' }));
    expect(p.body.children).toHaveLength(1);
    p.keydown.forEach((cb) => cb({ key: 'Escape' }));
    expect(p.body.children).toHaveLength(0);
    expect(p.keydown).toHaveLength(0);
    await Promise.all(p.requests);
    const again = await SELF.fetch('https://ns.test/widgets/prompt?store=trk-prompt&vid=v_trk_prompt_visitor', { headers: { Origin: 'https://trk-prompt.shop.test' } });
    expect(again.status).toBe(204);
  });

  it('closes with its button', async () => {
    await seedPrompt('trk-prompt-btn', 'v_trk_prompt_btn_visitor');
    const p = page('trk-prompt-btn', 'v_trk_prompt_btn_visitor');
    await load(p.globals);
    const banner = await p.shown;
    banner.find('button')[0]?.onclick?.();
    expect(p.body.children).toHaveLength(0);
    await Promise.all(p.requests);
  });
});
