import { env } from 'cloudflare:test';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { seedPostmarkStore } from '../test/postmark-fixtures';
import { db } from './client';
import { coalescedD1 } from './coalesced-d1';
import { allInOneTrip, jsonList, prepared } from './prepared';
import { findGuardrailSettings, updateGuardrailSettings } from './queries/guardrail-settings';
import { guardrailSettings, stores } from './schema';

/** env.DB, counting the round trips made through it. */
function counted(inner: D1Database): { binding: D1Database; trips: () => number } {
  let trips = 0;
  const binding = new Proxy(inner, {
    get(target, key) {
      if (key === 'batch') return (stmts: D1PreparedStatement[]) => (trips++, target.batch(stmts));
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { binding, trips: () => trips };
}

describe('prepared statements', () => {
  it('builds the SQL once, runs it on any binding, and maps rows as the query builder does', async () => {
    await seedPostmarkStore('prepared-a');
    await updateGuardrailSettings(db(env.DB), 'prepared-a', { sendTimeOptimization: false, smsDays: [1, 3], emailCap: 5 }, 10);
    let builds = 0;
    const settings = prepared((d) => {
      builds += 1;
      return d.select().from(guardrailSettings).where(eq(guardrailSettings.storeId, sql.placeholder('storeId'))).prepare();
    });
    const plain = db(env.DB);
    const coalesced = db(coalescedD1(env.DB));
    const built = await plain.select().from(guardrailSettings).where(eq(guardrailSettings.storeId, 'prepared-a')).all();
    expect(built[0]).toMatchObject({ sendTimeOptimization: false, smsDays: [1, 3], emailCap: 5 });
    expect(await settings(plain).all({ storeId: 'prepared-a' })).toEqual(built);
    expect(await settings(coalesced).all({ storeId: 'prepared-a' })).toEqual(built);
    expect(await settings(coalesced).all({ storeId: 'no-such-store' })).toEqual([]);
    expect(builds).toBe(1);
    // The query functions that use it answer as before.
    expect(await findGuardrailSettings(coalesced, 'prepared-a')).toMatchObject({ sendTimeOptimization: false, smsDays: [1, 3], emailCap: 5 });
  });

  it('runs several prepared selects in one round trip, each mapped, and takes lists as one JSON value', async () => {
    await seedPostmarkStore('prepared-b');
    await seedPostmarkStore('prepared-c');
    const storesIn = prepared((d) =>
      d
        .select({ id: stores.id, name: stores.name })
        .from(stores)
        .where(sql`${stores.id} IN (SELECT value FROM json_each(${sql.placeholder('ids')}))`)
        .orderBy(stores.id)
        .prepare(),
    );
    const count = prepared((d) => d.select({ n: sql<number>`count(*)` }).from(stores).where(eq(stores.id, sql.placeholder('id'))).prepare());
    const { binding, trips } = counted(env.DB);
    const d = db(binding);
    const [two, none, one] = await allInOneTrip(d, [
      [storesIn(d), { ids: jsonList(['prepared-c', 'prepared-b', 'missing']) }],
      [storesIn(d), { ids: jsonList([]) }],
      [count(d), { id: 'prepared-b' }],
    ]);
    expect(trips()).toBe(1);
    expect(two.map((s) => s.id)).toEqual(['prepared-b', 'prepared-c']);
    expect(none).toEqual([]);
    expect(one).toEqual([{ n: 1 }]);
  });
});
