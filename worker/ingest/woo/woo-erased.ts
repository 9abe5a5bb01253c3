import type { Db } from '../../db/client';
import { latestErasure, type TombstoneRef } from '../../db/queries/tombstones';
import type { WooCustomer, WooOrder } from './woo-schemas';
import type { WooDelivery } from './woo-topics';

export type ErasedRefusal = { outcome: 'skipped'; note: string };

/**
 * Erasure stays erased: an order or customer delivery about an erased order, customer, email or phone, dated (by
 * its last modification in WooCommerce) before the erasure, is refused: acknowledged, logged as skipped, never
 * applied. Erasure deletes the order rows and with them the version guard, so without this a resent or late
 * `order.updated` would bring the person back. A later order (they came back) is dated after it and goes through.
 */
export async function refuseErased(d: Db, storeId: string, delivery: WooDelivery): Promise<ErasedRefusal | null> {
  const subject = delivery.kind === 'order' ? orderSubject(delivery.payload) : delivery.kind === 'customer' ? customerSubject(delivery.payload) : null;
  if (!subject) return null;
  const erasedAt = await latestErasure(d, storeId, subject.refs);
  // Without a date the delivery cannot show it is newer than the erasure.
  if (erasedAt === null || (subject.datedAt ?? 0) > erasedAt) return null;
  return { outcome: 'skipped', note: `refused: about data erased at ${new Date(erasedAt).toISOString()}` };
}

type Subject = { refs: TombstoneRef[]; datedAt: number | null };

function addresses(p: { email: string | null; phone: string | null }): TombstoneRef[] {
  return [...(p.email ? [{ kind: 'email' as const, value: p.email }] : []), ...(p.phone ? [{ kind: 'phone' as const, value: p.phone }] : [])];
}

function orderSubject(o: WooOrder): Subject {
  const refs: TombstoneRef[] = [{ kind: 'order', value: o.id }, ...addresses(o.billing)];
  if (o.customer_id > 0) refs.push({ kind: 'customer', value: o.customer_id });
  return { refs, datedAt: o.date_modified_gmt ?? o.date_created_gmt };
}

function customerSubject(c: WooCustomer): Subject {
  return {
    refs: [{ kind: 'customer', value: c.id }, { kind: 'email', value: c.email }, ...addresses(c.billing)],
    datedAt: c.date_modified_gmt ?? c.date_created_gmt,
  };
}
