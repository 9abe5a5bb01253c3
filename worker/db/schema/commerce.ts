import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const products = sqliteTable(
  'products',
  {
    storeId: text('store_id').notNull(),
    id: integer('id').notNull(),
    parentId: integer('parent_id'),
    type: text('type').notNull(),
    name: text('name').notNull(),
    sku: text('sku'),
    price: real('price'),
    categories: text('categories', { mode: 'json' }).$type<{ id: number; name: string; slug: string }[]>().notNull(),
    stockStatus: text('stock_status'),
    permalink: text('permalink'),
    imageUrl: text('image_url'),
    /** From product meta `nightshift_lifespan_days`: drives replenishment reminders. */
    lifespanDays: integer('lifespan_days'),
    sourceModifiedAt: integer('source_modified_at').notNull(),
    deletedAt: integer('deleted_at'),
    updatedAt: integer('updated_at').notNull(),
    stockQuantity: integer('stock_quantity'),
    /** When the catalogue import (REST) last listed this product or variation. */
    catalogSeenAt: integer('catalog_seen_at'),
    /** Set by a reconciliation that did not find the product and no webhook vouched for it since. */
    missingAt: integer('missing_at'),
    /** WooCommerce's date_created_gmt: new arrivals. */
    sourceCreatedAt: integer('source_created_at'),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.id] }), index('products_parent').on(t.storeId, t.parentId)],
);

export const orders = sqliteTable(
  'orders',
  {
    storeId: text('store_id').notNull(),
    id: integer('id').notNull(),
    number: text('number'),
    contactId: text('contact_id'),
    wooCustomerId: integer('woo_customer_id'),
    status: text('status').notNull(),
    currency: text('currency'),
    total: real('total').notNull(),
    discountTotal: real('discount_total'),
    refundedTotal: real('refunded_total').notNull().default(0),
    couponCodes: text('coupon_codes', { mode: 'json' }).$type<string[]>().notNull(),
    attribution: text('attribution', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    createdAt: integer('created_at').notNull(),
    paidAt: integer('paid_at'),
    completedAt: integer('completed_at'),
    refundedAt: integer('refunded_at'),
    cancelledAt: integer('cancelled_at'),
    deletedAt: integer('deleted_at'),
    sourceModifiedAt: integer('source_modified_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.id] }), index('orders_contact').on(t.storeId, t.contactId, t.createdAt)],
);

export const orderItems = sqliteTable(
  'order_items',
  {
    storeId: text('store_id').notNull(),
    orderId: integer('order_id').notNull(),
    lineId: integer('line_id').notNull(),
    productId: integer('product_id').notNull(),
    variationId: integer('variation_id'),
    name: text('name').notNull(),
    sku: text('sku'),
    quantity: integer('quantity').notNull(),
    price: real('price').notNull(),
    total: real('total').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.storeId, t.orderId, t.lineId] }),
    index('order_items_product').on(t.storeId, t.productId),
  ],
);

export const coupons = sqliteTable(
  'coupons',
  {
    storeId: text('store_id').notNull(),
    id: integer('id').notNull(),
    code: text('code').notNull(),
    discountType: text('discount_type'),
    amount: real('amount'),
    expiresAt: integer('expires_at'),
    usageCount: integer('usage_count'),
    sourceModifiedAt: integer('source_modified_at').notNull(),
    deletedAt: integer('deleted_at'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.id] }), index('coupons_code').on(t.storeId, t.code)],
);
