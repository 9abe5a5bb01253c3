import type { StoreSettings } from '../../db/queries/store-settings';
import { findIssuedCoupon } from '../../db/queries/issued-coupons';
import { findProducts, type ProductFacts } from '../../db/queries/order-history';
import type { MessageParamValues } from '../../journeys/actions';
import type { EnrollmentContext } from '../../journeys/state';
import { money, type SmsTemplateData } from '../../messaging/email/render';
import { localizeShippedText, resolveLocale, type Locale } from '../../messaging/templates';
import type { ExecutorContext } from './types';
import { storeMergeFields } from '../../messaging/email/brand';

type Product = { name: string; url: string; image_url?: string; price?: number };

/**
 * `{ 'path.title': 'x' }` → `{ path: { title: 'x' } }`: flows set merge fields by dotted path.
 * Texts the presets ship in English come out in the message's language.
 */
export function nestParams(params: MessageParamValues, locale: Locale = 'en'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const local = (v: unknown) => (typeof v === 'string' ? localizeShippedText(v, locale) : v);
  for (const [path, raw] of Object.entries(params)) {
    const value = Array.isArray(raw) ? raw.map(local) : local(raw);
    const keys = path.split('.');
    let node = out;
    for (const key of keys.slice(0, -1)) {
      const next = node[key];
      node = (node[key] = typeof next === 'object' && next !== null ? next : {}) as Record<string, unknown>;
    }
    node[keys.at(-1)!] = value;
  }
  return out;
}

/**
 * The newest coupon of the enrollment that WooCommerce has created (issue_coupon runs before the
 * email that shows it); a coupon still pending is left out rather than promised.
 */
async function couponOf(ctx: ExecutorContext, keys: string[], locale: string) {
  for (const key of [...keys].reverse()) {
    const c = await findIssuedCoupon(ctx.d, ctx.store.id, key);
    if (!c) continue;
    const value = Number(c.amount);
    const amount = c.discountType === 'percent' ? `${value}${resolveLocale(locale) === 'fr' ? '\u00a0' : ''}%` : money(value, ctx.store.currency, locale);
    return { code: c.code, amount, expires: new Date(c.expiresAt).toLocaleDateString(locale, { timeZone: ctx.contact.timezone ?? ctx.store.timezone }) };
  }
  return undefined;
}

export function storeUrl(ctx: ExecutorContext): string | null {
  return ctx.store.siteUrl ? ctx.store.siteUrl.replace(/\/+$/, '') : null;
}

function productOf(p: ProductFacts, fallbackUrl: string): Product {
  return {
    name: p.name,
    url: p.permalink ?? fallbackUrl,
    ...(p.imageUrl ? { image_url: p.imageUrl } : {}),
    ...(p.price !== null ? { price: p.price } : {}),
  };
}

/** The main product of the enrollment's order (its dearest line the catalogue knows), for "your …" copy. */
function orderedProduct(context: EnrollmentContext, catalogue: Map<number, ProductFacts>, site: string): Product | undefined {
  const lines = [...(context.order?.items ?? [])].sort((a, b) => (b.price ?? 0) * b.quantity - (a.price ?? 0) * a.quantity);
  const known = lines.map((l) => catalogue.get(l.productId)).find((p) => p !== undefined);
  return known ? productOf(known, site) : undefined;
}

/**
 * The merge fields shared by email and SMS: store, contact, cart, re-order product and flow
 * params. Null when the store has no site URL (every message links to the store).
 */
export async function messageData(
  ctx: ExecutorContext,
  context: EnrollmentContext,
  params: MessageParamValues,
  settings: StoreSettings | undefined,
  recommend: number[] = [],
): Promise<(SmsTemplateData & { recommendations: Product[] }) | null> {
  const site = storeUrl(ctx);
  if (!site) return null;
  const ordered = context.item ? [] : (context.order?.items.map((i) => i.productId) ?? []);
  const ids = [...(context.cart?.lines.map((l) => l.productId) ?? []), ...(context.item ? [context.item.productId] : []), ...ordered, ...recommend];
  const catalogue = new Map((await findProducts(ctx.d, ctx.store.id, ids)).map((p) => [p.id, p]));
  const cart = context.cart && {
    lines: context.cart.lines.map((l) => {
      const p = catalogue.get(l.productId);
      // The catalogue (signed webhooks) first: a cart line's own name may be a browser's free text.
      const price = p?.price ?? l.price;
      return { name: p?.name ?? l.name ?? `#${l.productId}`, quantity: l.quantity, price, ...(p?.imageUrl ? { image_url: p.imageUrl } : {}) };
    }),
    total: context.cart.value,
    restore_url: context.cart.restoreUrl ?? site,
  };
  const itemProduct = context.item ? catalogue.get(context.item.productId) : undefined;
  const product = context.item && {
    ...(itemProduct ? productOf(itemProduct, site) : { name: `#${context.item.productId}`, url: site }),
    ...(context.reorderPath ? { reorder_url: `${site}${context.reorderPath}` } : {}),
    quantity: context.item.quantity,
  };
  const locale = ctx.contact.locale ?? ctx.store.locale;
  const coupon = await couponOf(ctx, context.coupons, locale);
  const bought = product ?? orderedProduct(context, catalogue, site);
  return {
    ...nestParams(params, resolveLocale(locale)),
    ...(coupon ? { coupon } : {}),
    store: storeMergeFields(ctx.store, settings, site),
    contact: { first_name: ctx.contact.firstName },
    ...(cart ? { cart } : {}),
    ...(bought ? { product: bought } : {}),
    recommendations: recommend.flatMap((id) => {
      const p = catalogue.get(id);
      return p ? [productOf(p, site)] : [];
    }),
  };
}
