import { COPY, LANGS, type Lang } from '../copy';
import { allFlowTexts } from '../flow-copy';

/**
 * The dashboard catalogue as flat lists of strings, for the checks that a page in one language
 * shows no text of the other (the workerd page tests and the e2e console crawl, which compiles
 * this file with esbuild). Functions in the catalogue are skipped: what they produce varies.
 */
function collect(value: unknown, out: Set<string>): void {
  if (typeof value === 'string') {
    const text = value.trim();
    if (text) out.add(text);
  } else if (Array.isArray(value)) {
    for (const v of value) collect(v, out);
  } else if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) collect(v, out);
  }
}

/** Raw stored values (status, channel and stream names) that a page should never print as they are. */
function rawValues(): Set<string> {
  const out = new Set<string>();
  for (const group of Object.values(COPY.en.values)) {
    if (typeof group === 'object') for (const key of Object.keys(group)) out.add(key);
  }
  return out;
}

export function catalogueStrings(lang: Lang): string[] {
  const out = new Set<string>();
  collect(COPY[lang], out);
  collect(allFlowTexts(lang), out);
  return [...out];
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * Texts of a page in `lang` that belong to the other language only: a string of the other
 * catalogue that this one does not also hold, or a raw stored value this catalogue never shows.
 */
export function untranslatedTexts(texts: readonly string[], lang: Lang): string[] {
  const own = new Set(catalogueStrings(lang).map(norm));
  const other = LANGS.find((l) => l !== lang) ?? lang;
  const foreign = new Set([...catalogueStrings(other), ...rawValues()].map(norm).filter((s) => !own.has(s)));
  const found = new Set<string>();
  for (const text of texts) {
    const whole = norm(text);
    // A text node often joins several pieces ("Version 2", "Commande · création"): each piece is judged too.
    const pieces = [whole, ...whole.split(/ · | : |: |\n/).map((p) => p.trim())];
    for (const piece of pieces) if (piece && foreign.has(piece)) found.add(text.trim());
  }
  return [...found];
}
