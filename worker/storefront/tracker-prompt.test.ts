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
  src = '';
  async = false;
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
  const head = new FakeElement('head');
  const keydown: ((e: { key: string }) => void)[] = [];
  const requests: Promise<unknown>[] = [];
  const shown = new Promise<FakeElement>((resolve) => (head.onAppend = resolve));
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
    head,
    body: Object.assign(body, { classList: { contains: () => false } }),
    createElement: (tag: string) => new FakeElement(tag),
    querySelector: () => null,
    addEventListener: (type: string, cb: (e: { key: string }) => void) => type === 'keydown' && keydown.push(cb),
    removeEventListener: (type: string, cb: (e: { key: string }) => void) => type === 'keydown' && keydown.splice(keydown.indexOf(cb), 1),
  };
  const globals = { window, document, navigator: { sendBeacon: () => true }, location: { href: `https://${storeId}.shop.test/`, pathname: '/', protocol: 'https:' } };
  return { globals, body, head, shown, keydown, requests };
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

describe('tracker on-site widgets', () => {
  it('loads the widget bundle with the pending cart prompt, rendered in the store language, and brand colours', async () => {
    await seedPrompt('trk-prompt', 'v_trk_prompt_visitor');
    const p = page('trk-prompt', 'v_trk_prompt_visitor');
    await load(p.globals);
    const script = await p.shown;
    expect(script.tag).toBe('script');
    expect((script as unknown as { src: string }).src).toBe('https://ns.test/widgets/ui.js');
    const data = (p.globals.window as { nightshiftWidgets?: Record<string, unknown> }).nightshiftWidgets;
    expect(data).toMatchObject({ base: 'https://ns.test', site: 'pk_trk-prompt', lang: 'fr', brand: { primary: '#18181b' } });
    expect(data?.prompt).toMatchObject({ title: 'Votre panier vous attend', closeLabel: 'Fermer', lines: [{ name: 'Kamado <img src=x>', quantity: 1 }] });
    expect(String(data?.q)).toBe('?store=pk_trk-prompt&vid=v_trk_prompt_visitor');
  });

  it('loads no widget code on a page without a widget', async () => {
    await seedExecutorContext('trk-none', Date.now());
    const p = page('trk-none', 'v_trk_none_visitor');
    await load(p.globals);
    const answers = (await Promise.all(p.requests)) as Response[];
    expect(answers.map((r) => r.status)).toEqual([204]);
    await new Promise((r) => setTimeout(r, 0));
    expect(p.head.children).toHaveLength(0);
    expect((p.globals.window as { nightshiftWidgets?: unknown }).nightshiftWidgets).toBeUndefined();
  });
});
