import { z } from 'zod';
import { db, type Db } from '../db/client';
import {
  completeCatalogTask, createCatalogRun, endCatalogRun, expectCatalogTasks, findCatalogRun, isCatalogTaskDone,
  latestCatalogRun, markMissingProducts, setRunMissingCount, upsertCatalogProducts, upsertCategories,
} from '../db/queries/catalog';
import { chunks } from '../db/queries/batching';
import { findProduct } from '../db/queries/products';
import { findStoreSettings } from '../db/queries/store-settings';
import { findStore } from '../db/queries/stores';
import { AppError } from '../errors';
import { mapProduct } from '../ingest/woo/woo-catalog';
import { WooProduct } from '../ingest/woo/woo-schemas';
import type { CatalogMessage } from '../ingest/messages';
import type { FetchLike } from '../messaging/retry';
import { wooGetPage, type WooRestCredentials } from './woo-rest-client';

/** Variable products whose variations one queue message fetches: a few subrequests per Worker invocation. */
const PRODUCTS_PER_VARIATION_TASK = 10;
/** A run still "running" after this long lost a message for good; a new run replaces it. */
export const STALE_RUN_MS = 6 * 60 * 60 * 1000;

export type CatalogSender = (messages: CatalogMessage[]) => Promise<void>;
export type CatalogDeps = { fetcher: FetchLike; send: CatalogSender };

export function queueDeps(env: Env): CatalogDeps {
  return {
    fetcher: (input, init) => fetch(input, init),
    send: async (messages) => {
      for (const part of chunks(messages, 100)) await env.INGEST.sendBatch(part.map((body) => ({ body })));
    },
  };
}

const Category = z.object({ id: z.number().int().positive(), name: z.string(), slug: z.string(), parent: z.number().int().default(0), count: z.number().int().nullable().optional() });
const CatalogProduct = WooProduct.extend({ variations: z.array(z.number().int()).default([]) });

/**
 * Starts an import (on connect, once REST keys exist) or a reconciliation: the catalogue is read page by page,
 * one queue message per page, so a store of any size stays within a Worker's limits. Returns the run in progress
 * instead when one is already running.
 */
export async function startCatalogRun(env: Env, deps: CatalogDeps, storeId: string, reason: 'connect' | 'daily' | 'manual', now: number) {
  const d = db(env.DB);
  const latest = await latestCatalogRun(d, storeId);
  if (latest?.status === 'running') {
    if (latest.startedAt > now - STALE_RUN_MS) return { runId: latest.id, started: false };
    await endCatalogRun(d, latest.id, { status: 'failed', error: 'timed out' }, now);
  }
  const runId = `cat_${crypto.randomUUID()}`;
  const tasks = ['categories:1', 'products:1'];
  await createCatalogRun(d, { id: runId, storeId, reason, status: 'running', tasksTotal: tasks.length, startedAt: now }, tasks);
  await deps.send(tasks.map((task) => ({ kind: 'catalog', storeId, runId, task })));
  return { runId, started: true };
}

/** One queue message of a run. A repeated message is a no-op; the run's last task runs the missing-product sweep. */
export async function processCatalogMessage(env: Env, deps: CatalogDeps, message: CatalogMessage, now = Date.now()): Promise<void> {
  const d = db(env.DB);
  const run = await findCatalogRun(d, message.runId);
  if (!run || run.status !== 'running' || run.storeId !== message.storeId) return;
  if (await isCatalogTaskDone(d, run.id, message.task)) return;
  const creds = await credentials(d, run.storeId);
  if (!creds) {
    await endCatalogRun(d, run.id, { status: 'failed', error: 'WooCommerce REST keys are not configured' }, now);
    return;
  }
  let outcome: TaskOutcome;
  try {
    outcome = await runTask(d, deps.fetcher, creds, { storeId: run.storeId, startedAt: run.startedAt, seenAt: now }, message.task);
  } catch (err) {
    if (err instanceof AppError) await endCatalogRun(d, run.id, { status: 'failed', error: err.message }, now);
    throw err;
  }
  if (outcome.followUps.length > 0) {
    await expectCatalogTasks(d, run.id, outcome.followUps);
    await deps.send(outcome.followUps.map((task) => ({ kind: 'catalog', storeId: run.storeId, runId: run.id, task })));
  }
  if (!(await completeCatalogTask(d, run.id, message.task, now, outcome.seen))) return;
  const ended = await endCatalogRun(d, run.id, { status: 'done' }, now);
  if (ended) await setRunMissingCount(d, run.id, await markMissingProducts(d, run.storeId, run.startedAt, now));
}

async function credentials(d: Db, storeId: string): Promise<WooRestCredentials | undefined> {
  const [store, settings] = await Promise.all([findStore(d, storeId), findStoreSettings(d, storeId)]);
  if (!store?.siteUrl || !settings?.wooConsumerKey || !settings.wooConsumerSecret) return undefined;
  return { siteUrl: store.siteUrl, consumerKey: settings.wooConsumerKey, consumerSecret: settings.wooConsumerSecret };
}

type TaskOutcome = { followUps: string[]; seen: number };
type RunWindow = { storeId: string; startedAt: number; seenAt: number };

async function runTask(d: Db, fetcher: FetchLike, creds: WooRestCredentials, run: RunWindow, task: string): Promise<TaskOutcome> {
  const [kind = '', arg = ''] = task.split(':');
  const page = Number(arg);
  switch (kind) {
    case 'categories':
      return categoriesPage(d, fetcher, creds, run, page);
    case 'products':
      return productsPage(d, fetcher, creds, run, page);
    case 'variations':
      return variations(d, fetcher, creds, run, arg.split(',').map(Number));
    default:
      throw new AppError(400, 'bad_request', `unknown catalogue task ${task}`);
  }
}

/** Page 1 learns the page count and queues the other pages. */
function otherPages(kind: string, page: number, totalPages: number): string[] {
  if (page !== 1) return [];
  return Array.from({ length: totalPages - 1 }, (_, i) => `${kind}:${i + 2}`);
}

async function categoriesPage(d: Db, fetcher: FetchLike, creds: WooRestCredentials, run: RunWindow, page: number): Promise<TaskOutcome> {
  const { items, totalPages } = await wooGetPage(fetcher, creds, '/products/categories', page);
  const rows = items.map((raw) => Category.parse(raw)).map((c) => ({
    storeId: run.storeId, id: c.id, parentId: c.parent > 0 ? c.parent : null, name: c.name, slug: c.slug,
    productCount: c.count ?? null, catalogSeenAt: run.seenAt,
  }));
  await upsertCategories(d, rows);
  return { followUps: otherPages('categories', page, totalPages), seen: 0 };
}

async function productsPage(d: Db, fetcher: FetchLike, creds: WooRestCredentials, run: RunWindow, page: number): Promise<TaskOutcome> {
  const { items, totalPages } = await wooGetPage(fetcher, creds, '/products', page);
  const parsed = items.map((raw) => CatalogProduct.parse(raw));
  await upsertCatalogProducts(d, run.storeId, parsed.map((p) => mapProduct(run.storeId, p, run.seenAt, false)), run);
  const variable = parsed.filter((p) => p.variations.length > 0).map((p) => p.id);
  const variationTasks = chunks(variable, PRODUCTS_PER_VARIATION_TASK).map((ids) => `variations:${ids.join(',')}`);
  return { followUps: [...otherPages('products', page, totalPages), ...variationTasks], seen: parsed.length };
}

/** The variations endpoint may leave out the parent, the type and the name; the parent's row supplies them. */
async function variations(d: Db, fetcher: FetchLike, creds: WooRestCredentials, run: RunWindow, productIds: number[]): Promise<TaskOutcome> {
  let seen = 0;
  for (const productId of productIds) {
    const parent = await findProduct(d, run.storeId, productId);
    for (let page = 1, total = 1; page <= total; page++) {
      const result = await wooGetPage(fetcher, creds, `/products/${productId}/variations`, page);
      total = result.totalPages;
      const rows = result.items.map((raw) =>
        WooProduct.parse({ type: 'variation', name: parent?.name ?? '', categories: parent?.categories ?? [], ...(raw as object), parent_id: productId }),
      );
      await upsertCatalogProducts(d, run.storeId, rows.map((p) => mapProduct(run.storeId, p, run.seenAt, false)), run);
      seen += rows.length;
    }
  }
  return { followUps: [], seen };
}
