import { describe, expect, it } from 'vitest';
import { countsSnapshot } from '../db/queries/rec-counts';
import { deliverMore, moreBody, seedMoreStore } from '../test/woo-more-wire';
import { d } from './test/rec-store';

const order = JSON.parse(moreBody('order.restored')) as { line_items: Record<string, unknown>[] } & Record<string, unknown>;

/** The captured order, paid now, with a second line (product 14) next to its candle (product 13). */
function paidOrder(status: string, modified: string): Record<string, unknown> {
  const candle = order.line_items[0]!;
  return {
    ...order,
    status,
    date_modified_gmt: modified,
    date_paid_gmt: new Date(Date.now() - 3_600_000).toISOString().slice(0, 19),
    line_items: [candle, { ...candle, id: 18, product_id: 14, name: 'Bougie cèdre', sku: 'BOUGIE-CEDRE' }],
  };
}

describe('order webhooks keep the co-purchase counts up to date', { timeout: 60_000 }, () => {
  it('a paid order counts its pair, its cancellation takes it back, its deletion leaves nothing', async () => {
    const store = 'rec-hook';
    await seedMoreStore(store);
    const at = (n: number) => `2026-12-02T04:0${n}:00`;
    expect(await deliverMore(store, 'order.restored', { body: paidOrder('processing', at(1)), topic: 'order.created' })).toMatchObject({ status: 'processed' });
    expect(JSON.parse((await countsSnapshot(d(), store)).pairs)).toEqual([
      { product_id: 13, other_id: 14, orders: 1 },
      { product_id: 14, other_id: 13, orders: 1 },
    ]);
    expect(await deliverMore(store, 'order.restored', { body: paidOrder('cancelled', at(2)), topic: 'order.updated' })).toMatchObject({ status: 'processed' });
    expect(await countsSnapshot(d(), store)).toEqual({ items: '[]', pairs: '[]' });
    expect(await deliverMore(store, 'order.restored', { body: paidOrder('processing', at(3)), topic: 'order.updated' })).toMatchObject({ status: 'processed' });
    expect(JSON.parse((await countsSnapshot(d(), store)).items)).toHaveLength(2);
    expect(await deliverMore(store, 'order.deleted.trash-rest')).toMatchObject({ status: 'processed' });
    expect(await countsSnapshot(d(), store)).toEqual({ items: '[]', pairs: '[]' });
  });
});
