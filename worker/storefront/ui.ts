/**
 * The widget bundle (`public/widgets/ui.js`, built with the tracker): loaded by the tracker only on pages that show
 * a widget, with `window.nightshiftWidgets` (the answer of `GET /widgets/page`) already set. Custom elements in
 * Shadow DOM so themes cannot restyle them and they cannot restyle the theme; plain text only (textContent).
 */
export {}; // a module: its types stay out of the tracker's global scope

type Brand = { primary: string; accent: string };
type Prompt = { id: string; title: string; body: string; lines: { name: string; quantity: number }[]; cta: { label: string; url: string } | null; closeLabel: string; lang: string };
type Signup = {
  id: string; kind: 'popup' | 'inlay'; title: string; body: string; submit: string; thanks: string; close: string;
  email: string; phone?: string; birthday?: string; consentEmail: string; consentSms?: string;
  delay: number; scroll: number; exit: boolean; minCart: number | null; days: number;
};
type Data = { base: string; q: string; site: string; lang: string; brand: Brand; carousel: string; prompt?: Prompt | null; signups?: Signup[]; cart?: { value?: number } };
type Nightshift = { identify(p: Record<string, unknown>): void; flush(): void };
type Host = Window & { nightshiftWidgets?: Data; nightshift?: Nightshift };

((w: Host, d: Document) => {
  const data = w.nightshiftWidgets;
  if (!data || customElements.get('ns-signup')) return;
  const { base, q, brand } = data;
  const beacon = (widget: string, metric: string) => navigator.sendBeacon(base + '/widgets/event' + q + '&w=' + encodeURIComponent(widget) + '&m=' + metric);
  const ls = (key: string, value?: string) => {
    try {
      if (value === undefined) return localStorage.getItem(key);
      localStorage.setItem(key, value);
    } catch {
      /* storage disabled: the widget may show again next page */
    }
    return null;
  };
  const css =
    `:host{all:initial;font:15px/1.45 system-ui,sans-serif;color:#1c1c1c;--p:${brand.primary};--a:${brand.accent}}*{box-sizing:border-box}` +
    'button,input{font:inherit}p{margin:.4em 0}.b{background:var(--p);color:#fff;border:0;border-radius:6px;padding:10px 16px;min-height:44px;cursor:pointer;text-decoration:none;display:inline-block}' +
    '.x{position:absolute;top:4px;right:4px;width:44px;height:44px;background:none;border:0;font-size:24px;cursor:pointer;color:inherit}' +
    '.c{position:relative;background:#fff;border-top:4px solid var(--a);border-radius:8px;padding:16px 52px 16px 16px}' +
    '@media (prefers-reduced-motion:no-preference){.m{animation:i .2s ease-out}}@keyframes i{from{opacity:0;transform:translateY(12px)}}' +
    'label{display:block;margin:.5em 0}input:not([type=checkbox]){display:block;width:100%;padding:8px;border:1px solid #767676;border-radius:4px;margin-top:2px}';
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, attrs?: Record<string, string>) => {
    const e = d.createElement(tag);
    if (text) e.textContent = text;
    for (const k in attrs) e.setAttribute(k, attrs[k] as string);
    return e;
  };
  // Constructed sheets: the shared rules are parsed once a page, not once per widget, and adopting a sheet costs
  // no <style> element to process; browsers without them (Safari before 16.4) get the <style>.
  let shared: CSSStyleSheet | undefined;
  const sheet = (text: string) => {
    const s = new CSSStyleSheet();
    s.replaceSync(text);
    return s;
  };
  const shadow = (host: HTMLElement, extra: string) => {
    const root = host.shadowRoot || host.attachShadow({ mode: 'open' });
    root.replaceChildren();
    if (root.adoptedStyleSheets) root.adoptedStyleSheets = [(shared ||= sheet(css)), sheet(extra)];
    else root.append(el('style', css + extra));
    return root;
  };
  const closer = (label: string, done: () => void) => {
    const x = el('button', '×', { type: 'button', class: 'x', 'aria-label': label });
    x.onclick = done;
    return x;
  };
  // Esc closes whichever widget was opened last; the listener leaves with it.
  const onEsc = (done: () => void) => {
    const key = (e: KeyboardEvent) => e.key === 'Escape' && done();
    d.addEventListener('keydown', key);
    return () => d.removeEventListener('keydown', key);
  };

  class CartReminder extends HTMLElement {
    show(p: Prompt) {
      const root = shadow(this, '.c{position:fixed;z-index:2147483647;left:12px;bottom:12px;max-width:min(360px,calc(100vw - 24px));box-shadow:0 4px 18px #0003;border:1px solid #ccc}ul{padding-left:1.2em}');
      const box = el('div', '', { class: 'c m', role: 'dialog', 'aria-labelledby': 't', lang: p.lang });
      const list = el('ul');
      for (const l of p.lines) list.append(el('li', l.quantity + ' × ' + l.name));
      box.append(el('strong', p.title, { id: 't' }), el('p', p.body), list);
      if (p.cta) box.append(el('a', p.cta.label, { class: 'b', href: p.cta.url }));
      const close = () => {
        off();
        this.remove();
        fetch(base + '/widgets/prompt/' + encodeURIComponent(p.id) + '/dismiss' + q, { method: 'POST', credentials: 'omit', keepalive: true }).catch(() => 0);
      };
      const off = onEsc(close);
      box.append(closer(p.closeLabel, close));
      root.append(box);
    }
  }

  class SignUp extends HTMLElement {
    show(s: Signup) {
      const popup = s.kind === 'popup';
      // Phones get a bottom banner, never a full-screen interstitial; desktops a modal <dialog>.
      const wide = matchMedia('(min-width:640px)').matches;
      const root = shadow(
        this,
        popup
          ? 'dialog{border:0;padding:0;background:none;max-width:440px;width:calc(100vw - 24px)}dialog::backdrop{background:#0006}' +
              (wide ? '' : 'dialog{position:fixed;inset:auto 0 0;margin:0 auto;width:100%;max-height:60vh;overflow:auto;box-shadow:0 -4px 18px #0003}')
          : ':host{display:block;overflow:hidden}.c{border:1px solid #ccc;height:100%}',
      );
      const box = el('div', '', { class: 'c m', lang: data!.lang });
      const form = el('form');
      const field = (label: string, attrs: Record<string, string>) => {
        const l = el('label', label);
        l.append(el('input', '', attrs));
        form.append(l);
      };
      field(s.email, { type: 'email', name: 'email', required: '', autocomplete: 'email' });
      if (s.phone) field(s.phone, { type: 'tel', name: 'phone', autocomplete: 'tel' });
      if (s.birthday) field(s.birthday, { type: 'date', name: 'birthday', autocomplete: 'bday' });
      const tick = (name: string, text: string, required: boolean) => {
        const l = el('label');
        l.append(el('input', '', { type: 'checkbox', name, ...(required ? { required: '' } : {}) }), ' ' + text);
        form.append(l);
      };
      tick('em', s.consentEmail, true);
      if (s.consentSms && s.phone) tick('sms', s.consentSms, false);
      form.append(el('button', s.submit, { class: 'b', type: 'submit' }));
      box.append(el('h2', s.title, { id: 'h', style: 'margin:0;font-size:1.25em' }), el('p', s.body), form);
      const status = el('p', '', { role: 'status' });
      box.append(status);
      let off = () => {};
      let dialog: HTMLDialogElement | null = null;
      const back = d.activeElement as HTMLElement | null;
      const done = (metric: string) => {
        ls('ns_w_' + s.id, 'x');
        beacon(s.id, metric);
      };
      const close = () => {
        off();
        if (dialog) dialog.close();
        this.remove();
        back?.focus?.();
      };
      form.onsubmit = (e) => {
        e.preventDefault();
        const v = (n: string) => (form.elements.namedItem(n) as HTMLInputElement | null)?.value || undefined;
        const sms = (form.elements.namedItem('sms') as HTMLInputElement | null)?.checked;
        w.nightshift?.identify({ email: v('email'), phone: v('phone'), birthday: v('birthday'), source: 'popup', consent: { emailMarketing: true, smsMarketing: sms || undefined, textVersion: 'widget:' + s.id } });
        w.nightshift?.flush();
        done('submit');
        form.remove();
        status.textContent = s.thanks;
      };
      if (!popup) return root.append(box);
      const x = closer(s.close, () => {
        if (!ls('ns_w_' + s.id)?.startsWith('x')) done('close');
        close();
      });
      box.append(x);
      dialog = el('dialog', '', { 'aria-labelledby': 'h' });
      dialog.append(box);
      root.append(dialog);
      dialog.oncancel = (e) => {
        e.preventDefault();
        x.click();
      };
      if (wide) dialog.showModal();
      else {
        dialog.show();
        off = onEsc(() => x.click());
      }
    }
  }

  class Carousel extends HTMLElement {
    connectedCallback() {
      const kind = this.getAttribute('kind') || 'bestsellers';
      // The fragment (recommendations/fragment.tsx) is a heading and a list of cards: one row of fixed-width cards.
      const root = shadow(
        this,
        ':host{display:block;min-height:var(--ns-h,300px)}.s{overflow-x:auto;scroll-snap-type:x mandatory;height:var(--ns-h,300px)}.s:focus-visible{outline:2px solid var(--a)}' +
          'h2{font-size:1.1em;margin:0 0 8px}ul{display:flex;gap:12px;list-style:none;margin:0;padding:0}li{flex:0 0 160px;scroll-snap-align:start}a{display:block;color:inherit}img{display:block;width:160px;height:160px;object-fit:cover}a span{display:block}',
      );
      const strip = el('div', '', { class: 's', tabindex: '0', role: 'region', 'aria-label': this.getAttribute('label') || data!.carousel });
      root.append(strip);
      const product = this.getAttribute('product');
      const url = base + '/widgets/recommendations?site=' + encodeURIComponent(data!.site) + '&kind=' + kind + (product ? '&product=' + product : '') + '&limit=' + (this.getAttribute('limit') || '8') + '&format=html';
      // The fragment is built and escaped by our own worker (c9's contract), never from page input.
      fetch(url, { credentials: 'omit' })
        .then((r) => (r.ok ? r.text() : ''))
        .then((html) => (strip.innerHTML = html))
        .catch(() => 0);
      strip.addEventListener('click', (e) => (e.target as Element).closest('a') && beacon('carousel-' + kind, 'click'));
    }
  }

  customElements.define('ns-cart-reminder', CartReminder);
  customElements.define('ns-signup', SignUp);
  customElements.define('ns-carousel', Carousel);

  if (data.prompt) {
    const r = d.createElement('ns-cart-reminder') as CartReminder;
    d.body.append(r);
    r.show(data.prompt);
  }
  const cart = data.cart?.value || 0;
  const now = Date.now();
  for (const s of data.signups || []) {
    const seen = ls('ns_w_' + s.id);
    if (seen === 'x' || (seen && now - Number(seen) < s.days * 864e5)) continue;
    // Audience rules (new visitors, subscribers, segments) were applied by the server in /widgets/page.
    if (s.minCart && cart < s.minCart) continue;
    const slot = s.kind === 'inlay' ? d.querySelector<SignUp>('ns-signup[widget="' + s.id + '"]') : null;
    if (s.kind === 'inlay' && !slot) continue;
    const open = () => {
      if (opened) return;
      opened = true;
      // After the page's next frame: its own first layout is done by then, so the one the pop-up's focus step forces
      // covers the pop-up alone; in a hidden tab it waits until the shopper can see it, and only then counts a view.
      requestAnimationFrame(() =>
        setTimeout(() => {
          ls('ns_w_' + s.id, String(Date.now()));
          beacon(s.id, 'view');
          const host = slot || d.body.appendChild(d.createElement('ns-signup') as SignUp);
          host.show(s);
        }),
      );
    };
    let opened = false;
    if (s.kind === 'inlay' || (!s.delay && !s.scroll && !s.exit)) open();
    if (s.delay) setTimeout(open, s.delay * 1e3);
    if (s.scroll)
      w.addEventListener('scroll', () => (w.scrollY + innerHeight) / d.documentElement.scrollHeight >= s.scroll / 100 && open(), { passive: true });
    if (s.exit && matchMedia('(pointer:fine)').matches) d.addEventListener('mouseout', (e) => !e.relatedTarget && e.clientY <= 0 && open());
  }
})(window as Host, document);
