import { z } from 'zod';

/**
 * WooCommerce REST v3 resources as webhooks deliver them (see ../shared/fixtures/woocommerce/README.md).
 * Only the fields Nightshift uses are checked, and each is read the way WooCommerce actually sends it:
 * money is a string or a number, optional text may be null or "", ids inside nested objects may be strings.
 */

/** "32.40", 16.2, "" or null: a number, or null when there is none. */
const Money = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v, ctx) => {
    if (v === null || v === undefined || v === '') return null;
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isFinite(n)) {
      ctx.addIssue({ code: 'custom', message: `not an amount: ${String(v)}` });
      return z.NEVER;
    }
    return n;
  });

/** WooCommerce `*_gmt` dates carry no zone designator ("2026-11-23T05:52:21"); they are UTC. */
const GmtDate = z
  .string()
  .nullable()
  .optional()
  .transform((v, ctx) => {
    if (!v) return null;
    const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`);
    if (Number.isNaN(ms)) {
      ctx.addIssue({ code: 'custom', message: `not a date: ${v}` });
      return z.NEVER;
    }
    return ms;
  });

const Text = z
  .string()
  .nullable()
  .optional()
  .transform((v) => (v ? v : null));

const WooId = z.number().int().nonnegative();
const PositiveId = z.number().int().positive();

const Meta = z.array(z.object({ key: z.string(), value: z.unknown() })).default([]);

/** A billing or shipping address, of which only the name, email, phone and country (ISO 3166-1 alpha-2) are read. */
const Person = z
  .object({ first_name: Text, last_name: Text, email: Text, phone: Text, country: Text })
  .nullable()
  .optional()
  .transform((v) => v ?? { first_name: null, last_name: null, email: null, phone: null, country: null });

export const WooLineItem = z.object({
  id: PositiveId,
  name: z.string(),
  product_id: WooId,
  variation_id: WooId.default(0),
  quantity: z.number(),
  sku: Text,
  price: Money,
  total: Money,
});
export type WooLineItem = z.infer<typeof WooLineItem>;

export const WooOrder = z.object({
  id: PositiveId,
  number: z.union([z.string(), z.number()]).nullable().optional(),
  status: z.string().min(1),
  currency: Text,
  total: Money,
  discount_total: Money,
  customer_id: WooId.default(0),
  billing: Person,
  shipping: Person,
  date_created_gmt: GmtDate,
  date_modified_gmt: GmtDate,
  date_paid_gmt: GmtDate,
  date_completed_gmt: GmtDate,
  meta_data: Meta,
  line_items: z.array(WooLineItem).default([]),
  coupon_lines: z.array(z.object({ code: z.string() })).default([]),
  refunds: z.array(z.object({ id: PositiveId, total: Money })).default([]),
});
export type WooOrder = z.infer<typeof WooOrder>;

export const WooCustomer = z.object({
  id: PositiveId,
  email: z.string().min(3),
  first_name: Text,
  last_name: Text,
  /** WordPress role: `customer` for shoppers; administrators and shop managers are staff. */
  role: z.string().max(100).optional(),
  billing: Person,
  shipping: Person,
  date_created_gmt: GmtDate,
  date_modified_gmt: GmtDate,
});
export type WooCustomer = z.infer<typeof WooCustomer>;

export const WooProduct = z.object({
  id: PositiveId,
  parent_id: WooId.default(0),
  type: z.string().default('simple'),
  name: z.string(),
  sku: Text,
  price: Money,
  categories: z.array(z.object({ id: WooId, name: z.string(), slug: z.string() })).default([]),
  stock_status: Text,
  stock_quantity: z.number().int().nullable().optional(),
  permalink: Text,
  images: z.array(z.object({ src: Text })).default([]),
  /** Variations served by the variations endpoint carry one `image` instead of `images`. */
  image: z.object({ src: Text }).nullable().optional(),
  date_created_gmt: GmtDate,
  date_modified_gmt: GmtDate,
  meta_data: Meta,
});
export type WooProduct = z.infer<typeof WooProduct>;

export const WooCoupon = z.object({
  id: PositiveId,
  code: z.string().min(1),
  amount: Money,
  discount_type: Text,
  date_expires_gmt: GmtDate,
  usage_count: z.number().int().nullable().optional(),
  date_created_gmt: GmtDate,
  date_modified_gmt: GmtDate,
});
export type WooCoupon = z.infer<typeof WooCoupon>;

/** `*.deleted` topics send only the id. */
export const WooDeleted = z.object({ id: PositiveId });
export type WooDeleted = z.infer<typeof WooDeleted>;

/** `action.*` topics send the hook name and its first argument. */
export const WooAction = z.object({ action: z.string().min(1), arg: z.unknown() });
export type WooAction = z.infer<typeof WooAction>;
