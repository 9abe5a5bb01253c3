import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { countingD1 } from '../messaging/test/counting-d1';
import { coalescedD1 } from './coalesced-d1';

beforeAll(async () => {
  await env.DB.batch([
    env.DB.prepare('CREATE TABLE IF NOT EXISTS coalesce_a (id TEXT PRIMARY KEY, n INTEGER NOT NULL)'),
    env.DB.prepare('CREATE TABLE IF NOT EXISTS coalesce_b (id TEXT PRIMARY KEY, a_id TEXT NOT NULL)'),
    env.DB.prepare("INSERT OR IGNORE INTO coalesce_a (id, n) VALUES ('a1', 1), ('a2', 2)"),
    env.DB.prepare("INSERT OR IGNORE INTO coalesce_b (id, a_id) VALUES ('b1', 'a1')"),
  ]);
});

describe('the coalescing D1 binding', () => {
  it('sends statements issued together as one batch, each caller getting what it would have alone', async () => {
    const log: string[] = [];
    const d1 = coalescedD1(countingD1(env.DB, log));
    const [all, raw, first, column] = await Promise.all([
      d1.prepare('SELECT id, n FROM coalesce_a ORDER BY id').all(),
      d1.prepare('SELECT id, n FROM coalesce_a WHERE id = ?').bind('a2').raw(),
      d1.prepare('SELECT id, n FROM coalesce_a WHERE id = ?').bind('a1').first(),
      d1.prepare('SELECT n FROM coalesce_a WHERE id = ?').bind('a2').first('n'),
    ]);
    expect(log).toEqual(['BATCH(4)']);
    expect(all.results).toEqual([{ id: 'a1', n: 1 }, { id: 'a2', n: 2 }]);
    expect(raw).toEqual([['a2', 2]]);
    expect(first).toEqual({ id: 'a1', n: 1 });
    expect(column).toBe(2);
  });

  it('runs a select whose columns share a name on its own, so raw() keeps both', async () => {
    const log: string[] = [];
    const d1 = coalescedD1(countingD1(env.DB, log));
    const sql = 'select "coalesce_a"."id", "coalesce_b"."id" from "coalesce_a" inner join "coalesce_b" on "coalesce_b"."a_id" = "coalesce_a"."id"';
    const [joined, other] = await Promise.all([d1.prepare(sql).raw(), d1.prepare('SELECT n FROM coalesce_a WHERE id = ?').bind('a1').raw()]);
    expect(joined).toEqual([['a1', 'b1']]);
    expect(other).toEqual([[1]]);
  });

  it('a statement that fails reaches only its own caller; the others still get their results', async () => {
    const d1 = coalescedD1(env.DB);
    const results = await Promise.allSettled([
      d1.prepare("INSERT INTO coalesce_a (id, n) VALUES ('a1', 9)").run(),
      d1.prepare("INSERT OR REPLACE INTO coalesce_a (id, n) VALUES ('a3', 3)").run(),
      d1.prepare('SELECT n FROM coalesce_a WHERE id = ?').bind('a2').first('n'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect((results[2] as PromiseFulfilledResult<unknown>).value).toBe(2);
    expect(await env.DB.prepare("SELECT n FROM coalesce_a WHERE id = 'a3'").first('n')).toBe(3);
    expect(await env.DB.prepare("SELECT n FROM coalesce_a WHERE id = 'a1'").first('n')).toBe(1);
  });

  it('batches a select whose subquery columns are aliased, and runs one with a bare subquery column on its own', async () => {
    const log: string[] = [];
    const d1 = coalescedD1(countingD1(env.DB, log));
    const aliased = `select "id", (select count(*) from coalesce_b b where b.a_id = a.id) as "links", 'x, from y' as "text" from coalesce_a a where id = ?`;
    const bare = 'select (select count(*) from coalesce_b) from coalesce_a where id = ?';
    const [withAlias, again, withoutAlias] = await Promise.all([
      d1.prepare(aliased).bind('a1').raw(),
      d1.prepare('SELECT n FROM coalesce_a WHERE id = ?').bind('a2').raw(),
      d1.prepare(bare).bind('a1').raw(),
    ]);
    expect(withAlias).toEqual([['a1', 1, 'x, from y']]);
    expect(again).toEqual([[2]]);
    expect(withoutAlias).toEqual([[1]]);
    // The aliased select rode in the batch; the bare one ran alone, through raw() on the binding itself.
    expect(log.filter((l) => l.startsWith('BATCH'))).toEqual(['BATCH(2)']);
  });
});
