import { orderSince, productsBoughtSince } from '../../db/queries/send-history';
import { skip, type Blocked, type Guard } from './types';

const DAY_MS = 86_400_000;

/** Enrollments these events start are about a purchase not made yet. */
const PRE_PURCHASE_TRIGGERS = new Set(['cart_updated', 'checkout_started', 'product_view']);

/**
 * An order placed (paid or awaiting payment) since a cart or browse enrollment began ends its sends at
 * once. step() already exits on `order.placed`; this catches an order the journey has not heard of yet (queue lag, an
 * order paid on another device) and a deferred send waking up after the purchase.
 */
export async function checkPurchasedSince(g: Guard): Promise<Blocked | null> {
  const { req } = g;
  if (req.enteredAt === null || !req.trigger || !PRE_PURCHASE_TRIGGERS.has(req.trigger)) return null;
  return (await orderSince(g.ctx.d, g.ctx.store.id, g.ctx.contact.id, req.enteredAt)) ? skip('purchased') : null;
}

/**
 * No promotion for a product bought in the last `repromotionDays`: the send is skipped when all
 * it promotes was bought, otherwise the bought ones are named so the executor leaves them out.
 */
export async function recentlyBought(g: Guard): Promise<{ blocked: Blocked | null; without: number[] }> {
  const { req, ctx } = g;
  if (req.products.length === 0 || g.settings.repromotionDays === 0) return { blocked: null, without: [] };
  const bought = await productsBoughtSince(ctx.d, ctx.store.id, ctx.contact.id, ctx.now - g.settings.repromotionDays * DAY_MS);
  const without = req.products.filter((id) => bought.has(id));
  return { blocked: without.length === req.products.length ? skip('recently_purchased') : null, without };
}
