import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { deliveries, fixture, fixtureBytes, fixtureHeaders, post, seedStore, settled, deliver } from '../../test/woo-fixtures';

async function actionEvents(store: string) {
  const { results } = await env.DB.prepare(`SELECT event_key FROM events WHERE store_id = ? AND type = 'woo.action'`)
    .bind(store)
    .all<{ event_key: string }>();
  return results.map((r) => r.event_key);
}

describe('action.* deliveries', () => {
  it('records one event per hook and argument, however often WooCommerce resends it', async () => {
    const store = 'wh-action-resend';
    await seedStore(store);
    await deliver(store, 'order.created');
    const f = fixture('action.woocommerce_order_status_completed');
    for (const id of ['1001', '1002', '1003']) {
      // A resend from WooCommerce's webhook log: the same bytes under a new delivery id.
      const headers = fixtureHeaders(f);
      headers.set('X-WC-Webhook-Delivery-ID', id);
      expect((await post(store, fixtureBytes(f), headers)).status).toBe(200);
    }
    const rows = await settled(store, 4);
    expect(rows.filter((r) => r.topic.startsWith('action.')).map((r) => r.status)).toEqual(['processed', 'processed', 'processed']);
    expect(await actionEvents(store)).toEqual(['woo:action:woocommerce_order_status_completed:17']);
    expect(await deliveries(store)).toHaveLength(4);
  });
});
