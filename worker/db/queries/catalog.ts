import { and, count, desc, eq, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { catalogRunTasks, catalogRuns, productCategories, products, storeSettings, stores } from '../schema';
import { chunks, IDS_PER_STATEMENT, rowsPerStatement, runBatch } from './batching';
import { excluded } from './orders';
import { newerVersionColumns, type NewProduct } from './products';

export type CatalogRun = typeof catalogRuns.$inferSelect;
export type NewCategory = typeof productCategories.$inferInsert;

/** A run and its first tasks, in one transaction: a run never exists without work queued for it. */
export async function createCatalogRun(d: Db, run: typeof catalogRuns.$inferInsert, tasks: string[]): Promise<void> {
  await d.batch([d.insert(catalogRuns).values(run), d.insert(catalogRunTasks).values(tasks.map((task) => ({ runId: run.id, task })))]);
}

export async function findCatalogRun(d: Db, runId: string): Promise<CatalogRun | undefined> {
  return d.select().from(catalogRuns).where(eq(catalogRuns.id, runId)).get();
}

export async function latestCatalogRun(d: Db, storeId: string): Promise<CatalogRun | undefined> {
  return d.select().from(catalogRuns).where(eq(catalogRuns.storeId, storeId)).orderBy(desc(catalogRuns.startedAt)).limit(1).get();
}

/** Follow-up tasks; inserting one twice (a redelivered page) changes nothing. */
export async function expectCatalogTasks(d: Db, runId: string, tasks: string[]): Promise<void> {
  await runBatch(
    d,
    chunks(tasks, rowsPerStatement(2)).map((part) =>
      d.insert(catalogRunTasks).values(part.map((task) => ({ runId, task }))).onConflictDoNothing(),
    ),
  );
}

export async function isCatalogTaskDone(d: Db, runId: string, task: string): Promise<boolean> {
  const row = await d.select({ doneAt: catalogRunTasks.doneAt }).from(catalogRunTasks)
    .where(and(eq(catalogRunTasks.runId, runId), eq(catalogRunTasks.task, task))).get();
  return row?.doneAt != null;
}

/** Marks the task done and says whether it was the run's last open task. */
export async function completeCatalogTask(d: Db, runId: string, task: string, at: number, seen: number): Promise<boolean> {
  const [, , open] = await runBatch<{ open: number }[]>(d, [
    d.update(catalogRunTasks).set({ doneAt: at }).where(and(eq(catalogRunTasks.runId, runId), eq(catalogRunTasks.task, task))),
    d.update(catalogRuns).set({ productsSeen: sql`${catalogRuns.productsSeen} + ${seen}` }).where(eq(catalogRuns.id, runId)),
    d.select({ open: count() }).from(catalogRunTasks).where(and(eq(catalogRunTasks.runId, runId), isNull(catalogRunTasks.doneAt))),
  ]);
  return (open?.[0]?.open ?? 1) === 0;
}

/** Ends a running run; only the caller that actually ended it gets the row back (it runs the sweep). */
export async function endCatalogRun(d: Db, runId: string, outcome: { status: 'done' | 'failed'; error?: string }, at: number) {
  const total = d.select({ n: count() }).from(catalogRunTasks).where(eq(catalogRunTasks.runId, runId));
  return d
    .update(catalogRuns)
    .set({ status: outcome.status, error: outcome.error ?? null, finishedAt: at, tasksTotal: sql`(${total})` })
    .where(and(eq(catalogRuns.id, runId), eq(catalogRuns.status, 'running')))
    .returning()
    .get();
}

export async function setRunMissingCount(d: Db, runId: string, markedMissing: number): Promise<void> {
  await d.update(catalogRuns).set({ markedMissing }).where(eq(catalogRuns.id, runId));
}

export async function upsertCategories(d: Db, rows: NewCategory[]): Promise<void> {
  await runBatch(
    d,
    chunks(rows, rowsPerStatement(7)).map((part) =>
      d.insert(productCategories).values(part).onConflictDoUpdate({
        target: [productCategories.storeId, productCategories.id],
        set: {
          parentId: excluded(productCategories.parentId),
          name: excluded(productCategories.name),
          slug: excluded(productCategories.slug),
          productCount: excluded(productCategories.productCount),
          catalogSeenAt: excluded(productCategories.catalogSeenAt),
        },
      }),
    ),
  );
}

/**
 * Products as the REST catalogue lists them. A stored version newer than the listing (a webhook that arrived
 * after the page was read) wins; either way the product counts as seen. A deletion newer than the run's start
 * came from a webhook after the listing, so it stays.
 */
export async function upsertCatalogProducts(d: Db, storeId: string, rows: NewProduct[], run: { startedAt: number; seenAt: number }) {
  if (rows.length === 0) return;
  const values = rows.map((r) => ({ ...r, catalogSeenAt: run.seenAt, missingAt: null }));
  const writes = chunks(values, rowsPerStatement(Object.keys(values[0] ?? {}).length + 1)).map((part) =>
    d.insert(products).values(part).onConflictDoUpdate({
      target: [products.storeId, products.id],
      set: {
        ...newerVersionColumns(),
        deletedAt: sql`case when ${products.deletedAt} < ${run.startedAt} then null else ${products.deletedAt} end`,
      },
      setWhere: sql`${excluded(products.sourceModifiedAt)} >= ${products.sourceModifiedAt}`,
    }),
  );
  const seen = chunks(rows.map((r) => r.id), IDS_PER_STATEMENT).map((ids) =>
    d.update(products).set({ catalogSeenAt: run.seenAt, missingAt: null }).where(and(eq(products.storeId, storeId), inArray(products.id, ids))),
  );
  await runBatch(d, [...writes, ...seen]);
}

/**
 * After a complete run: what the catalogue did not list, and no webhook touched since the run began, is marked
 * missing (never deleted: a webhook may still prove it exists). Returns how many were marked.
 */
export async function markMissingProducts(d: Db, storeId: string, startedAt: number, at: number): Promise<number> {
  const rows = await d
    .update(products)
    .set({ missingAt: at })
    .where(
      and(
        eq(products.storeId, storeId),
        isNull(products.deletedAt),
        isNull(products.missingAt),
        or(isNull(products.catalogSeenAt), lt(products.catalogSeenAt, startedAt)),
        lt(products.updatedAt, startedAt),
      ),
    )
    .returning({ id: products.id });
  return rows.length;
}

/** Connected stores with REST keys, for the daily reconciliation. */
export async function storesWithWooKeys(d: Db): Promise<string[]> {
  const rows = await d
    .select({ id: stores.id })
    .from(stores)
    .innerJoin(storeSettings, eq(storeSettings.storeId, stores.id))
    .where(and(isNotNull(stores.connectedAt), isNotNull(storeSettings.wooConsumerKey), isNotNull(storeSettings.wooConsumerSecret)));
  return rows.map((r) => r.id);
}
