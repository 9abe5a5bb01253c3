import type { ProductChanged } from '../../contacts/domain-events';
import type { NewCoupon } from '../../db/queries/coupons';
import type { NewProduct } from '../../db/queries/products';
import type { WooCoupon, WooProduct } from './woo-schemas';

/** Product meta set by the plugin bridge: how many days one unit lasts (drives replenishment reminders). */
export const LIFESPAN_META_KEY = 'nightshift_lifespan_days';

function versionOf(kind: string, id: number, modified: number | null, created: number | null): number {
  const version = modified ?? created;
  if (version === null) throw new Error(`${kind} ${id} carries neither date_modified_gmt nor date_created_gmt`);
  return version;
}

export function productVersion(p: WooProduct): number {
  return versionOf('product', p.id, p.date_modified_gmt, p.date_created_gmt);
}

/** Pure: a product (simple, variable or variation) → its row. `at` is when the delivery arrived. */
export function mapProduct(storeId: string, p: WooProduct, at: number, restored: boolean): NewProduct {
  return {
    storeId,
    id: p.id,
    parentId: p.parent_id > 0 ? p.parent_id : null,
    type: p.type,
    name: p.name,
    sku: p.sku,
    price: p.price,
    categories: p.categories.map(({ id, name, slug }) => ({ id, name, slug })),
    stockStatus: p.stock_status,
    stockQuantity: p.stock_quantity ?? null,
    permalink: p.permalink,
    imageUrl: p.images.find((i) => i.src)?.src ?? p.image?.src ?? null,
    lifespanDays: lifespanDays(p.meta_data),
    sourceModifiedAt: productVersion(p),
    sourceCreatedAt: p.date_created_gmt,
    updatedAt: at,
    ...(restored ? { deletedAt: null } : {}),
  };
}

/** The meta value may be a string or a number; anything that is not a positive whole number of days is ignored. */
export function lifespanDays(meta: WooProduct['meta_data']): number | null {
  const entry = meta.find((m) => m.key === LIFESPAN_META_KEY);
  if (!entry) return null;
  const raw = typeof entry.value === 'number' ? entry.value : typeof entry.value === 'string' ? entry.value.trim() : '';
  const days = Number(raw);
  return raw !== '' && Number.isInteger(days) && days > 0 ? days : null;
}

/** Pure: the store-level event for this product version; its id names the version, so replays repeat it. */
export function productChanged(storeId: string, p: WooProduct): ProductChanged {
  const version = productVersion(p);
  return {
    id: `woo:product:${p.id}:${version}`,
    storeId,
    contactId: null,
    occurredAt: version,
    type: 'product.changed',
    productId: p.id,
    parentId: p.parent_id > 0 ? p.parent_id : null,
    productType: p.type,
    price: p.price,
    stockStatus: p.stock_status,
  };
}

/** Pure: a coupon → its row. WooCommerce stores coupon codes in lower case; so do we. */
export function mapCoupon(storeId: string, c: WooCoupon, at: number, restored: boolean): NewCoupon {
  return {
    storeId,
    id: c.id,
    code: c.code.toLowerCase(),
    discountType: c.discount_type,
    amount: c.amount,
    expiresAt: c.date_expires_gmt,
    usageCount: c.usage_count ?? null,
    sourceModifiedAt: versionOf('coupon', c.id, c.date_modified_gmt, c.date_created_gmt),
    updatedAt: at,
    ...(restored ? { deletedAt: null } : {}),
  };
}
