import { fillPlaceholders } from 'drizzle-orm';
import { db, type Db } from './client';

/**
 * Statements drizzle builds once per isolate, then runs on whichever binding the caller holds.
 *
 * Building a query's SQL (drizzle's `_prepare`: walking the builder, `is()` checks, joining chunks) cost more CPU than
 * anything else of ours in a send run: every woken ContactAgent wraps the binding in its own coalescing binding (one
 * D1 round trip per wake), so drizzle's own `.prepare()`, bound to one binding, was never reused, and a thousand
 * reminders built the same twenty statements a thousand times each. Here the statement is prepared once on a
 * binding that never runs anything, and each use copies it onto the caller's binding: the SQL, its placeholders
 * and drizzle's row mapping are shared; only `binding.prepare(sql)` is per use. Values go in by placeholder
 * (`sql.placeholder('storeId')`); a list goes in as one JSON placeholder read with `json_each`, so the SQL stays one
 * text whatever the list's length.
 */
type Query = { getQuery(): { sql: string } };

/** Never runs a statement: the template only needs `prepare(sql)` to hand back something to hold. */
const unbound = {
  prepare: () => ({}),
  batch: () => Promise.reject(new Error('a prepared template ran on its placeholder binding')),
} as unknown as D1Database;
let template: Db | undefined;

/** drizzle's D1 instance carries its binding as $client at run time; its declared type leaves it out. */
function clientOf(d: Db): D1Database {
  return (d as Db & { $client: D1Database }).$client;
}

/** `build` runs once, on the first use; every use gets the built statement on its own binding. */
export function prepared<Q extends Query>(build: (d: Db) => Q): (d: Db) => Q {
  let built: Q | undefined;
  return (d) => {
    built ??= build((template ??= db(unbound)));
    // A shallow copy holds the same SQL, parameters and mapping; `stmt` is the one field bound to a binding.
    const copy = Object.create(Object.getPrototypeOf(built) as object) as Q;
    return Object.assign(copy, built, { stmt: clientOf(d).prepare(built.getQuery().sql) });
  };
}

/** A list as one placeholder value: the statement reads it with `json_each(?)`. */
export function jsonList(values: readonly (string | number)[]): string {
  return JSON.stringify(values);
}

/** What drizzle's D1 prepared query holds at run time (its declared type marks these internal). */
type Internal = { stmt: D1PreparedStatement; getQuery(): { params: unknown[] }; mapResult(result: unknown, isFromBatch: boolean): unknown };
type Selecting<R> = Query & { all(values?: Record<string, unknown>): Promise<R[]> };
type Rows<T> = { -readonly [K in keyof T]: T[K] extends readonly [Selecting<infer R>, Record<string, unknown>] ? R[] : never };

/** Prepared selects with their values, in one D1 round trip (one `batch()`), each mapped as `all()` maps it. */
export async function allInOneTrip<const T extends readonly (readonly [Selecting<unknown>, Record<string, unknown>])[]>(d: Db, items: T): Promise<Rows<T>> {
  const runs = items.map(([query, values]) => [query as unknown as Internal, values] as const);
  const stmts = runs.map(([q, values]) => q.stmt.bind(...fillPlaceholders(q.getQuery().params, values)));
  const results = await clientOf(d).batch(stmts);
  return results.map((result, i) => runs[i]![0].mapResult(result, true)) as Rows<T>;
}
