import { env } from 'cloudflare:test';
import { db, type Db } from '../../../db/client';
import { findOrCreateContactByEmail } from '../../../db/queries/contacts';
import { insertEvents, type NewEvent } from '../../../db/queries/events';
import { upsertOrderVersion } from '../../../db/queries/orders';
import { upsertProductVersion } from '../../../db/queries/products';
import { upsertStore } from '../../../db/queries/stores';

export const DAY = 86_400_000;

/** A store with real rows, written through the project's own queries (the same ones ingestion uses). */
export async function segmentWorld(storeId: string) {
  const d: Db = db(env.DB);
  await upsertStore(d, { id: storeId, name: storeId, webhookSecret: 'w'.repeat(32), siteKey: `pk_${storeId}`, createdAt: 1, updatedAt: 1 });
  let nextOrder = 1;
  let nextEvent = 1;
  return {
    d,
    storeId,
    async contact(name: string, at = 1): Promise<string> {
      return (await findOrCreateContactByEmail(d, storeId, `${name}@example.test`, at)).contact.id;
    },
    async product(id: number, categoryIds: number[]): Promise<void> {
      const categories = categoryIds.map((c) => ({ id: c, name: `Cat ${c}`, slug: `cat-${c}` }));
      await upsertProductVersion(d, { storeId, id, type: 'simple', name: `Product ${id}`, categories, sourceModifiedAt: 1, updatedAt: 1 });
    },
    /** A paid order (unless `paid` is false) of `total` with one line per product id. */
    async order(contactId: string, at: number, total: number, productIds: number[] = [], opts: { paid?: boolean; refunded?: number } = {}): Promise<number> {
      const id = nextOrder++;
      const order = {
        storeId, id, contactId, status: opts.paid === false ? 'pending' : 'processing', total, refundedTotal: opts.refunded ?? 0,
        couponCodes: [], attribution: {}, createdAt: at, paidAt: opts.paid === false ? null : at, sourceModifiedAt: at, updatedAt: at,
      };
      const lines = productIds.map((productId, i) => ({ storeId, orderId: id, lineId: i + 1, productId, name: `P${productId}`, quantity: 1, price: 1, total: 1 }));
      await upsertOrderVersion(d, order, lines);
      return id;
    },
    async event(contactId: string, type: string, at: number, properties: Record<string, unknown> = {}, source: NewEvent['source'] = 'browser'): Promise<void> {
      await insertEvents(d, [{ storeId, eventKey: `e${nextEvent++}`, type, contactId, visitorId: null, properties, source, occurredAt: at, receivedAt: at }]);
    },
  };
}
export type SegmentWorld = Awaited<ReturnType<typeof segmentWorld>>;
