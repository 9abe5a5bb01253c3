import { purchasedProductIds } from '../../db/queries/order-history';
import { pickProducts } from '../../db/queries/product-picks';
import type { SendEmailAction } from '../../journeys/actions';
import { emailBlend } from '../../recommendations/email-blend';
import type { ExecutorContext } from './types';

/** Emails show three recommendations (the `recommendations` partials). */
const SHOWN = 3;

/**
 * A best-seller fill with no categories, or only the order's own (a cross-sell step left
 * unconfigured), comes from the recommendation builders; categories the owner chose keep the
 * catalogue pick within them.
 */
function blends(action: SendEmailAction, fill: string): boolean {
  const orderCategories = new Set(action.context.order?.categoryIds ?? []);
  return fill === 'bestselling' && action.categories.every((id) => orderCategories.has(id));
}

/**
 * The products an email recommends: the ones its step lists, then the personal blend, the order's
 * bought-together and the bestsellers (or catalogue picks for its categories, or while the store has
 * no recommendation lists yet): in stock, never something the contact bought, has in the cart or
 * the guardrails excluded, up to what the email shows.
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
  if (blends(action, fill)) {
    const seeds = context.order?.productIds ?? [];
    const blended = await emailBlend(ctx.d, ctx.store.id, ctx.contact.id, seeds, { exclude, limit, offset });
    if (blended.length >= limit) return [...listed, ...blended];
  }
  const picks = await pickProducts(ctx.d, ctx.store.id, { fill, categories: action.categories, exclude, limit, offset });
  return [...listed, ...picks.map((p) => p.id)];
}
