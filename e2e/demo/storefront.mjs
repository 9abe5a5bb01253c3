// The demo storefront `npm run dev` serves next to the worker: home, category, product and cart pages of the
// fictional catalogue, carrying the real tracker snippet and the page context the plugin bridge prints, so
// views, carts and sign-ups reach the demo store and its on-site prompt shows here. Local only: no internet.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { DEMO } from '../lib/local-worker.mjs';
import { CATEGORIES, PRODUCTS, categoryOf, categoryUrl, imageUrl, productSvg, productUrl } from './catalogue.mjs';

const esc = (s) => String(s).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]);
const euros = (n) => new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(n);
/** Inline JSON in a <script>: `<` escaped so no value can close the tag. */
const json = (v) => JSON.stringify(v).replace(/</g, '\\u003c');

const CSS = `body{font:16px/1.45 system-ui,sans-serif;margin:0;color:#222;background:#faf7f2}header,main,footer{max-width:60rem;margin:auto;padding:1rem}
header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;justify-content:space-between}header a{color:#222;text-decoration:none}nav{display:flex;flex-wrap:wrap;gap:.75rem}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:1rem}.card{background:#fff;border-radius:10px;padding:.75rem;box-shadow:0 1px 3px #0002}
.card img,.hero img{width:100%;height:auto;border-radius:8px}.hero{display:grid;grid-template-columns:minmax(0,16rem) 1fr;gap:1.5rem}@media(max-width:40rem){.hero{grid-template-columns:1fr}}
button{font:inherit;padding:.5rem 1rem;background:#2f6b3b;color:#fff;border:0;border-radius:6px;cursor:pointer}input{font:inherit;padding:.4rem;max-width:100%}
table{width:100%;border-collapse:collapse}td,th{padding:.4rem;border-bottom:1px solid #ddd;text-align:left}.muted{color:#666;font-size:.9rem}`;

function cartOf(session, shop) {
  const items = [...session.cart].map(([id, quantity]) => {
    const p = PRODUCTS.find((x) => x.id === id);
    return { productId: p.id, name: p.name, quantity, price: p.price, image: imageUrl(shop, p), url: productUrl(shop, p) };
  });
  return { items, value: Math.round(items.reduce((s, i) => s + i.price * i.quantity, 0) * 100) / 100, currency: 'EUR' };
}

function layout({ title, page, body, shop, workerUrl, session }) {
  const count = [...session.cart.values()].reduce((a, b) => a + b, 0);
  const config = { siteKey: DEMO.siteKey, page: { ...page, cart: cartOf(session, shop) } };
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} – Demo store</title><style>${CSS}</style>
<script>window.nightshiftConfig = ${json(config)};</script>
<script async src="${esc(workerUrl)}/tracker.js?k=${esc(DEMO.siteKey)}"></script></head><body>
<header><a href="/"><strong>Demo store</strong> · thés, cafés et douceurs</a><nav>${CATEGORIES.map((c) => `<a href="${esc(categoryUrl('', c))}">${esc(c.name)}</a>`).join('')}<a href="/panier" id="cart-link">Panier (${count})</a></nav></header>
<main>${body}</main>
<footer class="muted">Boutique de démonstration locale de Nightshift : aucun paiement, aucune commande réelle.</footer>
<script>
document.addEventListener('submit', function (e) {
  if (e.target.id !== 'signup') return;
  e.preventDefault();
  var consent = document.getElementById('consent').checked;
  window.nightshift.identify({ email: document.getElementById('email').value, source: 'popup', consent: { emailMarketing: consent, textVersion: 'popup-2026-01' } });
  window.nightshift.flush();
  document.getElementById('signup-status').textContent = consent ? 'Merci ! Confirmez votre inscription depuis l’e-mail que nous venons d’envoyer.' : 'Merci !';
});
</script></body></html>`;
}

const card = (p) => `<div class="card"><a href="${esc(productUrl('', p))}"><img src="${esc(imageUrl('', p))}" alt="" width="200" height="200"><br>${esc(p.name)}</a><p>${euros(p.price)}</p></div>`;
const signup = `<form id="signup" class="card"><p><strong>-10 % sur votre première commande</strong></p>
<label>E-mail <input type="email" id="email" placeholder="vous@example.com" required></label>
<p><label><input type="checkbox" id="consent"> Je veux recevoir les offres par e-mail (désinscription à tout moment)</label></p>
<button type="submit">S’inscrire</button><p id="signup-status" role="status"></p></form>`;

function route(url, session, shop) {
  const path = decodeURIComponent(url.pathname);
  if (path === '/') {
    return { title: 'Accueil', page: { type: 'home' }, body: `<h1>Bienvenue</h1><div class="grid">${PRODUCTS.slice(0, 8).map(card).join('')}</div><h2>Restons en contact</h2>${signup}` };
  }
  const cat = /^\/categorie\/([a-z-]+)$/.exec(path);
  const category = cat && CATEGORIES.find((c) => c.slug === cat[1]);
  if (category) {
    const body = `<h1>${esc(category.name)}</h1><div class="grid">${PRODUCTS.filter((p) => p.category === category.id).map(card).join('')}</div>`;
    return { title: category.name, page: { type: 'category', category: { categoryId: category.id, name: category.name } }, body };
  }
  const prod = /^\/produit\/(\d+)-/.exec(path);
  const p = prod && PRODUCTS.find((x) => x.id === Number(prod[1]));
  if (p) {
    const body = `<div class="hero"><img src="${esc(imageUrl('', p))}" alt="" width="200" height="200"><div><h1>${esc(p.name)}</h1>
<p class="muted"><a href="${esc(categoryUrl('', categoryOf(p)))}">${esc(categoryOf(p).name)}</a></p><p>${euros(p.price)}</p>
<form method="post" action="/panier/ajouter"><input type="hidden" name="product" value="${p.id}"><label>Quantité <input type="number" name="quantity" value="1" min="1" max="20"></label> <button type="submit" id="add">Ajouter au panier</button></form></div></div>`;
    const product = { productId: p.id, name: p.name, price: p.price, categoryIds: [p.category], image: imageUrl(shop, p) };
    return { title: p.name, page: { type: 'product', product }, body };
  }
  if (path === '/panier') {
    const cart = cartOf(session, shop);
    const rows = cart.items.map((i) => `<tr><td>${esc(i.name)}</td><td>${i.quantity}</td><td>${euros(i.price * i.quantity)}</td></tr>`).join('');
    const body = `<h1>Votre panier</h1>${cart.items.length ? `<table><thead><tr><th>Article</th><th>Qté</th><th>Total</th></tr></thead><tbody>${rows}</tbody></table><p>Total : <strong>${euros(cart.value)}</strong></p>
<form method="post" action="/panier/vider"><button type="submit">Vider le panier</button></form>` : '<p>Votre panier est vide.</p>'}<h2>Recevoir un rappel</h2>${signup}`;
    return { title: 'Panier', page: { type: 'cart' }, body };
  }
  return null;
}

async function formOf(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

/** Starts the storefront on 127.0.0.1:`port`; `shop` is the origin written in seeded links (localhost or 127.0.0.1). */
export function startDemoStorefront({ port, workerUrl, host = '127.0.0.1' }) {
  const sessions = new Map();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? `${host}:${port}`}`);
    const shop = url.origin;
    const sid = /(?:^|;\s*)demo_sid=([a-f0-9]{32})/.exec(req.headers.cookie ?? '')?.[1] ?? randomBytes(16).toString('hex');
    if (!sessions.has(sid)) sessions.set(sid, { cart: new Map() });
    const session = sessions.get(sid);
    const headers = { 'Set-Cookie': `demo_sid=${sid}; Path=/; HttpOnly; SameSite=Lax`, 'Cache-Control': 'no-store' };
    const svg = /^\/img\/(\d+)\.svg$/.exec(url.pathname);
    const product = svg && PRODUCTS.find((p) => p.id === Number(svg[1]));
    if (product) {
      res.writeHead(200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'public, max-age=3600' });
      return res.end(productSvg(product));
    }
    if (req.method === 'POST' && url.pathname === '/panier/ajouter') {
      const form = await formOf(req);
      const id = Number(form.get('product'));
      const quantity = Math.min(Math.max(parseInt(form.get('quantity') ?? '1', 10) || 1, 1), 20);
      if (PRODUCTS.some((p) => p.id === id)) session.cart.set(id, Math.min((session.cart.get(id) ?? 0) + quantity, 99));
      res.writeHead(303, { ...headers, Location: '/panier' });
      return res.end();
    }
    if (req.method === 'POST' && url.pathname === '/panier/vider') {
      session.cart.clear();
      res.writeHead(303, { ...headers, Location: '/panier' });
      return res.end();
    }
    const page = req.method === 'GET' ? route(url, session, shop) : null;
    if (!page) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      return res.end('Page introuvable');
    }
    res.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8' });
    res.end(layout({ ...page, shop, workerUrl, session }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve({ origin: `http://${host}:${port}`, close: () => new Promise((r) => server.close(() => r())) }));
  });
}
