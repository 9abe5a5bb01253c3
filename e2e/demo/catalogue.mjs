// The demo store's fictional French catalogue (a tea and coffee shop). Images are small SVGs drawn
// here and served by the demo storefront (e2e/demo/storefront.mjs): nothing is fetched from the internet.

export const CATEGORIES = [
  { id: 11, name: 'Thés et infusions', slug: 'thes', colour: '#2f6b3b' },
  { id: 12, name: 'Cafés', slug: 'cafes', colour: '#6b3e26' },
  { id: 13, name: 'Épicerie fine', slug: 'epicerie', colour: '#b5651d' },
  { id: 14, name: 'Art de la table', slug: 'art-de-la-table', colour: '#3b4a6b' },
  { id: 15, name: 'Coffrets cadeaux', slug: 'coffrets', colour: '#8e2b57' },
];

const P = (id, category, name, price, lifespanDays = null) => ({ id, category, name, price, lifespanDays });

/** Consumables carry a lifespan (days a bag lasts), which the replenishment flow reads. */
export const PRODUCTS = [
  P(101, 11, 'Thé vert Sencha bio 100 g', 9.5, 30),
  P(102, 11, 'Thé noir Earl Grey 100 g', 8.9, 30),
  P(103, 11, 'Rooibos vanille 100 g', 7.9, 30),
  P(104, 11, 'Infusion verveine-menthe 50 g', 6.5, 21),
  P(105, 11, 'Thé blanc Pai Mu Tan 50 g', 14, 30),
  P(106, 12, 'Café Éthiopie Moka 250 g', 11.9, 21),
  P(107, 12, 'Café Colombie Huila 250 g', 10.5, 21),
  P(108, 12, 'Espresso Maison 1 kg', 32, 60),
  P(109, 12, 'Café décaféiné 250 g', 10.9, 21),
  P(110, 13, 'Confiture abricot-lavande 220 g', 6.9),
  P(111, 13, 'Miel de châtaignier 250 g', 9.8),
  P(112, 13, 'Sablés au beurre salé', 5.5),
  P(113, 13, 'Chocolat noir 70 % 100 g', 4.9),
  P(114, 14, 'Théière en fonte 0,8 L', 49),
  P(115, 14, 'Tasse en grès émaillé', 14.5),
  P(116, 14, 'Moulin à café manuel', 39),
  P(117, 14, 'Boîte à thé en métal', 12),
  P(118, 15, 'Coffret découverte 6 thés', 29),
  P(119, 15, 'Coffret café et douceurs', 45),
  P(120, 15, 'Carte cadeau 50 €', 50),
];

export const categoryOf = (product) => CATEGORIES.find((c) => c.id === product.category);

export function slugOf(name) {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export const productUrl = (origin, p) => `${origin}/produit/${p.id}-${slugOf(p.name)}`;
export const categoryUrl = (origin, c) => `${origin}/categorie/${c.slug}`;
export const imageUrl = (origin, p) => `${origin}/img/${p.id}.svg`;

const escapeXml = (s) => s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]);

/** A 200×200 label: the category's colour, the product's initials and its name. */
export function productSvg(p) {
  const c = categoryOf(p);
  const initials = p.name
    .split(/\s+/)
    .filter((w) => /^[A-Za-zÀ-ÿ]/.test(w) && w.length > 2)
    .slice(0, 2)
    .map((w) => w[0].toUpperCase())
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" viewBox="0 0 200 200" role="img" aria-label="${escapeXml(p.name)}">
<rect width="200" height="200" rx="16" fill="${c.colour}"/><circle cx="100" cy="84" r="48" fill="#fff" fill-opacity=".18"/>
<text x="100" y="100" font-family="Georgia,serif" font-size="44" fill="#fff" text-anchor="middle">${escapeXml(initials)}</text>
<text x="100" y="170" font-family="system-ui,sans-serif" font-size="13" fill="#fff" text-anchor="middle">${escapeXml(c.name)}</text></svg>`;
}
