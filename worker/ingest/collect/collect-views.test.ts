import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { listEventsOfVisitor } from '../../db/queries/events';
import { upsertStore } from '../../db/queries/stores';
import { BeaconBatch } from './beacon';
import { processCollectMessage } from './collect-processor';

/** The views the tracker sends from the plugin's page context (product with its categories, category pages). */
const T0 = 1_700_000_000_000;
const VIEWS = [
  { id: 'evt_product_view_1', type: 'product_view', ts: T0, productId: 12, variationId: 31, name: 'Savon', price: 8.9, categoryIds: [15, 16], url: 'https://shop.example/savon' },
  { id: 'evt_category_view1', type: 'category_view', ts: T0 + 1, categoryId: 15, name: 'Savons & bains', url: 'https://shop.example/savons' },
];

describe('product and category views', () => {
  it('are part of the beacon contract, categories included', () => {
    const parsed = BeaconBatch.parse({ siteKey: 'pk_views', visitorId: 'v_views_0001', events: VIEWS });
    expect(parsed.events).toEqual(VIEWS);
    expect(BeaconBatch.safeParse({ siteKey: 'pk_views', visitorId: 'v_views_0001', events: [{ ...VIEWS[1], categoryId: 0 }] }).success).toBe(false);
  });

  it('are stored with their properties for the visitor', async () => {
    await upsertStore(db(env.DB), { id: 'views-store', name: 'views', webhookSecret: 'whsec_views', siteKey: 'pk_views', createdAt: 1, updatedAt: 1 });
    await processCollectMessage(env, {
      kind: 'collect',
      storeId: 'views-store',
      trusted: false,
      visitorId: 'v_views_0001',
      receivedAt: T0 + 60_000,
      ipHash: 'a'.repeat(64),
      userAgent: 'Mozilla/5.0 (test)',
      events: VIEWS,
    });
    const stored = await listEventsOfVisitor(db(env.DB), 'views-store', 'v_views_0001');
    expect(stored.map((e) => [e.type, e.properties]).reverse()).toEqual([
      // An unsigned browser batch keeps no free text: names come from the catalogue (issue 10, item 1).
      ['product_view', { productId: 12, variationId: 31, price: 8.9, categoryIds: [15, 16], url: 'https://shop.example/savon' }],
      ['category_view', { categoryId: 15, url: 'https://shop.example/savons' }],
    ]);
  });
});
