// The demo store's customers and purchases: a slice of the CDNOW cohort (real buying rhythm, read at dev time
// from ../shared, never copied into the repository) or, without it, a small generated history of the same shape.
// Dates are shifted so the history ends the day before `endDay`; names and addresses are fictional.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../lib/local-worker.mjs';
import { mulberry32 } from '../lib/seeded-random.mjs';

export const CDNOW_PATH = join(repoRoot, '..', 'shared', 'datasets', 'cdnow', 'CDNOW_master.txt');
const DAY = 86_400_000;
const CDNOW_LAST_DAY = Date.UTC(1998, 5, 30);

/** The demo's seeded numbers: the same seed gives the same demo on every run. */
export const rng = mulberry32;

const FIRST = ['Camille', 'Léa', 'Manon', 'Chloé', 'Inès', 'Jade', 'Louise', 'Alice', 'Emma', 'Zoé', 'Sarah', 'Juliette', 'Anaïs', 'Clara', 'Margaux',
  'Lucas', 'Hugo', 'Louis', 'Gabriel', 'Arthur', 'Jules', 'Nathan', 'Paul', 'Théo', 'Raphaël', 'Antoine', 'Maxime', 'Thomas', 'Julien', 'Mathis'];
const LAST = ['Martin', 'Bernard', 'Dubois', 'Durand', 'Lefèvre', 'Moreau', 'Laurent', 'Simon', 'Michel', 'Garnier', 'Rousseau', 'Fournier', 'Girard',
  'Bonnet', 'Dupont', 'Lambert', 'Fontaine', 'Chevalier', 'Robin', 'Masson', 'Marchand', 'Duval', 'Denis', 'Lemoine', 'Gauthier', 'Perrin', 'Mercier', 'Blanc'];

const ascii = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/** A fictional person for customer number `n`: French names, an @example.com address, a phone for some. */
export function personFor(n) {
  const r = rng(n * 7919 + 17);
  const first = FIRST[Math.floor(r() * FIRST.length)];
  const last = LAST[Math.floor(r() * LAST.length)];
  const phone = r() < 0.25 ? `+3361${String(Math.floor(r() * 1e7)).padStart(7, '0')}` : null;
  const locale = r() < 0.12 ? 'en' : 'fr';
  return { first, last, email: `${ascii(first)}.${ascii(last)}.${n}@example.com`, phone, locale };
}

/** Every `step`-th CDNOW customer: purchases as { customer, day (UTC ms, shifted), cds, value }. */
function readCdnow(path, step, endDay) {
  const shift = endDay - DAY - CDNOW_LAST_DAY;
  const purchases = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const [id, date, cds, value] = line.trim().split(/\s+/);
    if (!/^\d+$/.test(id ?? '') || Number(id) % step !== 1) continue;
    const day = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8)));
    purchases.push({ customer: Number(id), day: day + shift, cds: Number(cds), value: Number(value) });
  }
  return purchases;
}

/** Without the data set: ~300 customers over 18 months, most buying once, a few regulars. */
function generated(endDay) {
  const r = rng(42);
  const purchases = [];
  const start = endDay - 546 * DAY;
  for (let customer = 1; customer <= 300; customer++) {
    let day = start + Math.floor(r() * 90) * DAY;
    const orders = r() < 0.55 ? 1 : 1 + Math.floor(r() * 6);
    for (let i = 0; i < orders && day < endDay; i++) {
      const cds = 1 + Math.floor(r() * 3);
      purchases.push({ customer, day, cds, value: Math.round(cds * (8 + r() * 12) * 100) / 100 });
      day += (15 + Math.floor(r() * 120)) * DAY;
    }
  }
  return purchases;
}

/** The purchases of the demo history and where they came from. `endDay` is a UTC midnight. */
export function loadHistory({ endDay, step = 40, path = CDNOW_PATH }) {
  if (existsSync(path)) return { source: 'cdnow', purchases: readCdnow(path, step, endDay) };
  return { source: 'generated', purchases: generated(endDay) };
}
