import type { BatchItem } from 'drizzle-orm/batch';
import type { SQL } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import type { Db } from '../client';

/** D1 binds at most 100 parameters per statement. */
const D1_MAX_PARAMETERS = 100;

/** How many rows of `columns` bound values one statement can carry. */
export function rowsPerStatement(columns: number): number {
  return Math.floor(D1_MAX_PARAMETERS / columns);
}

/** Room for an `in (...)` list next to a few other parameters (store id, status…). */
export const IDS_PER_STATEMENT = 90;

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Runs the statements in one D1 round trip (one transaction) and returns each statement's result in order; no
 * statements, no round trip. drizzle types a batch by its tuple, which a list built at run time does not have.
 */
export async function runBatch<R = unknown>(d: Db, statements: BatchItem<'sqlite'>[]): Promise<R[]> {
  const [first, ...rest] = statements;
  if (!first) return [];
  return (await d.batch([first, ...rest])) as R[];
}

const dialect = new SQLiteAsyncDialect();

/** Hand-written statements (drizzle `sql`) in one D1 round trip; each statement's rows in order. */
export async function runSqlBatch<R>(d: Db, statements: SQL[]): Promise<R[][]> {
  if (statements.length === 0) return [];
  // drizzle's D1 instance carries its binding as $client at run time; its declared type leaves it out.
  const client = (d as Db & { $client: D1Database }).$client;
  const prepared = statements.map((s) => {
    const q = dialect.sqlToQuery(s);
    return client.prepare(q.sql).bind(...q.params);
  });
  return (await client.batch<R>(prepared)).map((r: D1Result<R>) => r.results);
}
