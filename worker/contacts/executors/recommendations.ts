import { purchasedProductIds } from '../../db/queries/order-history';
import { pickProducts } from '../../db/queries/product-picks';
import type { SendEmailAction } from '../../journeys/actions';
import type { ExecutorContext } from './types';

/** Emails show three recommendations (the `recommendations` partials). */
const SHOWN = 3;

/**
 * The products an email recommends: the ones its step lists, then catalogue picks for its
 * categories or fill (in stock, never something the contact bought, has in the cart or the
 * guardrails excluded), up to what the email shows.
 */
export async function recommendedProducts(ctx: ExecutorContext, action: SendEmailAction, without: number[]): Promise<number[]> {
  const listed = action.products.filter((id) => !without.includes(id)).slice(0, SHOWN);
  const fill = action.fill ?? (action.categories.length > 0 ? 'bestselling' : undefined);
  if (!fill || listed.length >= SHOWN) return listed;
  const { context } = action;
  const exclude = [
    ...listed,
    ...without,
    ...(await purchasedProductIds(ctx.d, ctx.store.id, ctx.contact.id)),
    ...(context.order?.productIds ?? []),
    ...(context.cart?.lines.map((l) => l.productId) ?? []),
  ];
  const limit = SHOWN - listed.length;
  const offset = (action.fillPage ?? 0) * limit;
  const picks = await pickProducts(ctx.d, ctx.store.id, { fill, categories: action.categories, exclude, limit, offset });
  return [...listed, ...picks.map((p) => p.id)];
}
