import { CATALOGS, LOCALES, type LocaleStrings } from '../messaging/templates';
import { liquidVariables } from '../messaging/email/render';
import type { MessageStep } from './steps';

const STRING_KEYS: (keyof LocaleStrings)[] = Object.keys(CATALOGS.en.strings) as (keyof LocaleStrings)[];

/** Every merge field the renderer knows (render.ts TemplateData), by path; arrays also answer `size`, `first`, `last`. */
const KNOWN = new Set([
  'locale',
  'store', 'store.name', 'store.address', 'store.url', 'store.currency', 'store.logo_url', 'store.primary_color', 'store.accent_color',
  'contact', 'contact.first_name', 'contact.properties', 'contact.tags', 'contact.segments',
  'links', 'links.unsubscribe', 'links.preferences',
  'cart', 'cart.lines', 'cart.total', 'cart.restore_url',
  'recommendations', 'choices',
  'coupon', 'coupon.code', 'coupon.amount', 'coupon.expires',
  'product', 'product.name', 'product.url', 'product.image_url', 'product.price', 'product.reorder_url', 'product.quantity',
  'vip', 'vip.perks', 'milestone', 'milestone.orders', 'path', 'path.title', 'path.body', 'selection', 'selection.label',
  't', ...STRING_KEYS.map((k) => `t.${k}`),
]);
const ARRAYS = new Set(['cart.lines', 'recommendations', 'choices', 'vip.perks', 'contact.tags']);

/** What every message step can read; the rest comes with the flow (a cart, a product, a flow's params). */
const ALWAYS = new Set(['locale', 'store', 'contact', 'links', 't', 'recommendations', 'choices', 'coupon']);

/** Merge fields that hold a URL of ours or the store's: the only variables a link may start with. */
export const LINK_VARIABLES = new Set(['store.url', 'store.logo_url', 'cart.restore_url', 'product.url', 'product.image_url', 'product.reorder_url', 'links.unsubscribe', 'links.preferences']);
/** Loop variables over products, cart lines and choices (`p.url`, `line.image_url`, `choice.url`). */
export const LOOP_LINK_FIELDS = new Set(['url', 'image_url']);

function known(path: string): boolean {
  if (KNOWN.has(path)) return true;
  // Any property the contact may carry: a missing one is simply empty, like an unset merge field.
  if (/^contact\.properties\.[a-z_][a-z0-9_]*$/.test(path)) return true;
  const cut = path.lastIndexOf('.');
  return cut > 0 && ARRAYS.has(path.slice(0, cut)) && ['size', 'first', 'last'].includes(path.slice(cut + 1));
}

/** The roots a step provides: the common ones, those its shipped wording reads, and its flow params. */
export function stepRoots(step: MessageStep): Set<string> {
  const roots = new Set([...ALWAYS, ...Object.keys(step.params)]);
  for (const lang of LOCALES) {
    const catalog = CATALOGS[lang];
    const sources = step.channel === 'sms' ? [catalog.sms[step.templateId]] : Object.values(catalog.templates[step.templateId]);
    for (const source of sources) for (const path of liquidVariables(source, 'text')) roots.add(String(path[0]));
  }
  return roots;
}

/** The variables of `source` that the step cannot fill, as dotted paths (`contact.last_name`). */
export function unknownVariables(source: string, kind: 'html' | 'text', roots: Set<string>): string[] {
  const unknown = new Set<string>();
  for (const segments of liquidVariables(source, kind)) {
    const path = segments.filter((s) => typeof s === 'string').join('.');
    if (!roots.has(String(segments[0])) || !known(path)) unknown.add(path);
  }
  return [...unknown];
}
