import { describe, expect, it } from 'vitest';
import { updateGuardrailSettings } from '../../db/queries/guardrail-settings';
import { upsertOrderVersion } from '../../db/queries/orders';
import type { ContactFacts } from '../../journeys/events';
import { abandonedCart } from '../../journeys/presets/abandoned-cart';
import { JourneySimulator } from '../../journeys/simulate';
import { DEFAULT_SMS_WINDOW } from '../../journeys/time';
import { checkSend } from './index';
import { DAY, HOUR, request, send, T0, world, type World } from './test/world';

async function paidOrder(w: World, id: number, paidAt: number, productIds: number[]) {
  const order = {
    storeId: w.store.id, id, contactId: w.contact.id, status: 'processing', total: 30, couponCodes: [], attribution: {},
    createdAt: paidAt, paidAt, sourceModifiedAt: paidAt, updatedAt: paidAt,
  };
  const items = productIds.map((productId, i) => ({ storeId: w.store.id, orderId: id, lineId: i + 1, productId, name: `P${productId}`, quantity: 1, price: 10, total: 10 }));
  await upsertOrderVersion(w.d, order, items);
}

const facts: ContactFacts = {
  id: 'c1', timezone: 'Europe/Paris', reachable: { email: true, sms: true }, tags: [], properties: {},
  stats: { ordersCount: 0, totalSpent: 0 }, purchasedProductIds: [], smsWindow: DEFAULT_SMS_WINDOW,
};

describe('paid order exclusion', () => {
  it('a paid order ends the cart journey in step(): its reminder never comes', () => {
    const sim = new JourneySimulator([{ ...abandonedCart, enabled: true, holdoutPercent: 0 }], facts, T0);
    const cart = { value: 40, itemCount: 1, lines: [{ productId: 10, quantity: 1, price: 40 }] };
    sim.emit({ type: 'cart_updated', cart });
    sim.emit({ type: 'order.paid', order: { id: 1, total: 40, items: [], productIds: [10], categoryIds: [] } }, T0 + 10 * 60_000);
    expect(sim.advanceTo(T0 + 3 * DAY).filter((a) => a.type === 'send_email' || a.type === 'send_sms')).toEqual([]);
  });

  it('skips a cart or browse send when an order was paid since the enrollment began, even a reminder', async () => {
    const w = await world('st_exc_paid');
    const cartSend = request({ trigger: 'cart_updated', enteredAt: T0 - HOUR, transactional: true, flowId: 'abandoned-cart' });
    await paidOrder(w, 7, T0 - 2 * HOUR, [99]);
    expect((await checkSend(w.ctx(T0), cartSend)).action).toBe('send');
    await paidOrder(w, 8, T0 - 30 * 60_000, [99]);
    expect(await checkSend(w.ctx(T0), cartSend)).toEqual({ action: 'skip', reason: 'purchased' });
    expect(await checkSend(w.ctx(T0), request({ trigger: 'product_view', enteredAt: T0 - HOUR }))).toEqual({ action: 'skip', reason: 'purchased' });
    expect((await checkSend(w.ctx(T0), request({ trigger: 'order.paid', enteredAt: T0 - HOUR }))).action).toBe('send');
  });
});

describe('re-promotion', () => {
  it('does not promote a product bought in the last N days; leaves out the bought ones of several', async () => {
    const w = await world('st_exc_products');
    await paidOrder(w, 1, T0 - 10 * DAY, [5]);
    await paidOrder(w, 2, T0 - 40 * DAY, [6]);
    expect(await checkSend(w.ctx(T0), request({ products: [5] }))).toEqual({ action: 'skip', reason: 'recently_purchased' });
    expect(await checkSend(w.ctx(T0), request({ products: [5, 6] }))).toEqual({ action: 'send', withoutProducts: [5] });
    await updateGuardrailSettings(w.d, w.store.id, { repromotionDays: 5 }, T0);
    expect(await checkSend(w.ctx(T0), request({ products: [5] }))).toEqual({ action: 'send', withoutProducts: [] });
  });
});

describe('one flow per day', () => {
  it('holds a second flow until the next morning, unless one of them is transactional-like', async () => {
    const w = await world('st_exc_day');
    expect((await send(w, request({ flowId: 'welcome' }), T0)).action).toBe('send');
    const tomorrow8 = Date.UTC(2026, 10, 25, 7, 0);
    expect(await checkSend(w.ctx(T0 + HOUR), request({ flowId: 'win-back' }))).toEqual({ action: 'defer', until: tomorrow8, reason: 'same_day_other_flow' });
    expect(await checkSend(w.ctx(T0 + HOUR), request({ flowId: 'win-back', onCap: 'skip' }))).toEqual({ action: 'skip', reason: 'same_day_other_flow' });
    expect((await checkSend(w.ctx(T0 + HOUR), request({ flowId: 'welcome' }))).action).toBe('send');
    expect((await checkSend(w.ctx(T0 + HOUR), request({ flowId: 'abandoned-cart', transactional: true }))).action).toBe('send');
    expect((await checkSend(w.ctx(tomorrow8), request({ flowId: 'win-back' }))).action).toBe('send');
  });

  it('lets a flow follow a transactional-like reminder the same day; the rule can be turned off', async () => {
    const w = await world('st_exc_day_tx');
    await send(w, request({ flowId: 'abandoned-cart', transactional: true }), T0);
    expect((await checkSend(w.ctx(T0 + HOUR), request({ flowId: 'welcome' }))).action).toBe('send');
    await send(w, request({ flowId: 'welcome' }), T0 + HOUR);
    await updateGuardrailSettings(w.d, w.store.id, { oneFlowPerDay: false }, T0);
    expect((await checkSend(w.ctx(T0 + 2 * HOUR), request({ flowId: 'win-back' }))).action).toBe('send');
  });
});
