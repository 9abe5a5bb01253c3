import { and, desc, eq, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { carts, type CartItem } from '../schema';

export type Cart = typeof carts.$inferSelect;

export type CartSnapshot = {
  storeId: string;
  visitorId: string;
  contactId: string | null;
  items: CartItem[];
  value: number;
  currency: string | null;
  snapshotAt: number;
  now: number;
};

/**
 * Keeps the latest snapshot per visitor. Beacons arrive out of order (retries, several tabs), so a snapshot
 * older than or as old as the stored one changes nothing; a known contact is never unlinked.
 */
export async function saveCartSnapshot(d: Db, s: CartSnapshot): Promise<void> {
  const status = s.items.length === 0 ? 'emptied' : 'active';
  await d
    .insert(carts)
    .values({
      storeId: s.storeId,
      visitorId: s.visitorId,
      contactId: s.contactId,
      items: s.items,
      value: s.value,
      currency: s.currency,
      status,
      snapshotAt: s.snapshotAt,
      updatedAt: s.now,
    })
    .onConflictDoUpdate({
      target: [carts.storeId, carts.visitorId],
      set: {
        contactId: sql`coalesce(excluded.contact_id, ${carts.contactId})`,
        items: sql`excluded.items`,
        value: sql`excluded.value`,
        currency: sql`excluded.currency`,
        // Emptying the cart after its order (WooCommerce does so once the order is placed) keeps it converted.
        status: sql`case when excluded.status = 'emptied' and ${carts.status} = 'converted' then 'converted' else excluded.status end`,
        orderId: sql`case when excluded.status = 'emptied' then ${carts.orderId} else null end`,
        snapshotAt: sql`excluded.snapshot_at`,
        updatedAt: sql`excluded.updated_at`,
      },
      setWhere: sql`excluded.snapshot_at > ${carts.snapshotAt}`,
    });
}

export async function findCartOfVisitor(d: Db, storeId: string, visitorId: string): Promise<Cart | undefined> {
  return d
    .select()
    .from(carts)
    .where(and(eq(carts.storeId, storeId), eq(carts.visitorId, visitorId)))
    .get();
}

/** The contact's cart is the newest snapshot across all the visitor ids linked to them. */
export async function findLatestCartOfContact(d: Db, storeId: string, contactId: string): Promise<Cart | undefined> {
  return d
    .select()
    .from(carts)
    .where(and(eq(carts.storeId, storeId), eq(carts.contactId, contactId)))
    .orderBy(desc(carts.snapshotAt))
    .get();
}

/** Carries an anonymous visitor's cart over to the contact who just identified. */
export async function attachCartToContact(d: Db, storeId: string, visitorId: string, contactId: string): Promise<void> {
  await d
    .update(carts)
    .set({ contactId })
    .where(and(eq(carts.storeId, storeId), eq(carts.visitorId, visitorId), isNull(carts.contactId)));
}

/**
 * An order was placed: the visitor's cart and the contact's carts last seen before it become `converted`. The
 * snapshot time moves up to the order's, so a snapshot taken before the order and arriving late cannot make the
 * cart active again; a cart changed after the order is a new cart and stays as it is.
 */
export async function markCartsConverted(
  d: Db,
  c: { storeId: string; visitorId: string | null; contactId: string | null; orderId: number; at: number; now: number },
): Promise<void> {
  const owners = [
    ...(c.visitorId ? [eq(carts.visitorId, c.visitorId)] : []),
    ...(c.contactId ? [eq(carts.contactId, c.contactId)] : []),
  ];
  if (owners.length === 0) return;
  const owner = or(...owners);
  await d
    .update(carts)
    .set({ status: 'converted', orderId: c.orderId, snapshotAt: sql`max(${carts.snapshotAt}, ${c.at})`, updatedAt: c.now })
    .where(and(eq(carts.storeId, c.storeId), owner, lte(carts.snapshotAt, c.at)));
}
