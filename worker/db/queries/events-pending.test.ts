import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../client';
import { findPendingCustomerVisitors, insertEvents, pendingCustomerIdentifies, type NewEvent } from './events';

const STORE = 'events-pending';

function event(key: string, type: string, contactId: string | null, properties: Record<string, unknown>): NewEvent {
  return { storeId: STORE, eventKey: key, type, visitorId: `v_${key}`, contactId, properties, source: 'browser', occurredAt: 1, receivedAt: 1 };
}

describe('findPendingCustomerVisitors', () => {
  it('finds only identifies still waiting for that customer', async () => {
    await insertEvents(db(env.DB), [
      event('a', 'identify', null, { pendingWooCustomerId: 7 }),
      event('b', 'identify', null, { pendingWooCustomerId: 8 }),
      event('c', 'identify', 'c_1', { pendingWooCustomerId: 7 }),
      event('d', 'page_view', null, { pendingWooCustomerId: 7 }),
    ]);
    expect(await findPendingCustomerVisitors(db(env.DB), STORE, 7)).toEqual(['v_a']);
  });

  it('reads the partial index, not every anonymous event of the store', async () => {
    const { sql, params } = pendingCustomerIdentifies(db(env.DB), STORE, 7).toSQL();
    const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .bind(...params)
      .all<{ detail: string }>();
    expect(plan.results.map((r) => r.detail).join('\n')).toContain('USING INDEX events_pending_identify');
  });
});
