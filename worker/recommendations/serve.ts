import { z } from 'zod';
import type { Db } from '../db/client';
import type { ProductFacts } from '../db/queries/order-history';
import { findVisitor } from '../db/queries/visitors';
import { arrivals, bestsellers, boughtTogether, personal, viewed } from './builders';

export const REC_KINDS = ['bought_together', 'bestsellers', 'recently_viewed', 'new', 'personal'] as const;
export type RecKind = (typeof REC_KINDS)[number];
/** Per visitor: never shared through the edge cache. */
export const PERSONAL_KINDS: ReadonlySet<RecKind> = new Set(['recently_viewed', 'personal']);

const Id = z.coerce.number().int().positive();
export const RecommendationsQuery = z
  .object({
    site: z.string().min(1).max(128),
    kind: z.enum(REC_KINDS),
    product: Id.optional(),
    category: Id.optional(),
    visitor: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'a visitor id').optional(),
    limit: z.coerce.number().int().min(1).max(24).default(8),
    format: z.enum(['json', 'html']).default('json'),
  })
  .refine((q) => q.kind !== 'bought_together' || q.product !== undefined, { message: 'bought_together needs product', path: ['product'] })
  .refine((q) => !PERSONAL_KINDS.has(q.kind) || q.visitor !== undefined, { message: 'this kind needs visitor', path: ['visitor'] });
export type RecommendationsQuery = z.infer<typeof RecommendationsQuery>;

/** The contact a visitor id was linked to; its views on other devices count too. */
async function contactOf(d: Db, storeId: string, visitorId: string | undefined): Promise<string | undefined> {
  return visitorId ? ((await findVisitor(d, storeId, visitorId))?.contactId ?? undefined) : undefined;
}

/**
 * The products a widget shows. A visitor not yet known as a contact gets the store's bestsellers
 * instead of a personal blend (nothing to personalise yet).
 */
export async function recommendationsFor(d: Db, storeId: string, q: RecommendationsQuery): Promise<ProductFacts[]> {
  switch (q.kind) {
    case 'bought_together':
      return boughtTogether(d, storeId, q.product === undefined ? [] : [q.product], q.limit);
    case 'bestsellers':
      return bestsellers(d, storeId, q.category, q.limit, { exclude: q.product === undefined ? [] : [q.product] });
    case 'new':
      return arrivals(d, storeId, q.category, q.limit);
    case 'recently_viewed': {
      const contactId = await contactOf(d, storeId, q.visitor);
      return viewed(d, storeId, { visitorId: q.visitor, contactId }, q.limit);
    }
    case 'personal': {
      const contactId = await contactOf(d, storeId, q.visitor);
      return contactId ? personal(d, storeId, contactId, q.limit) : bestsellers(d, storeId, undefined, q.limit);
    }
  }
}
