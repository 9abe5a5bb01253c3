import { db } from '../db/client';
import { latestCatalogRun, storesWithWooKeys } from '../db/queries/catalog';
import type { ScheduledJob } from '../scheduled';
import { queueDeps, startCatalogRun, type CatalogDeps } from './catalog-import';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Daily reconciliation: every connected store with REST keys whose last run began a day ago or more gets a new
 * run. The cron ticks every 15 minutes, so each store is reconciled about a day after its previous run.
 */
export async function reconcileCatalogs(env: Env, now: number, deps: CatalogDeps = queueDeps(env)): Promise<string[]> {
  const d = db(env.DB);
  const started: string[] = [];
  for (const storeId of await storesWithWooKeys(d)) {
    const latest = await latestCatalogRun(d, storeId);
    if (latest && latest.startedAt > now - DAY_MS) continue;
    const run = await startCatalogRun(env, deps, storeId, latest ? 'daily' : 'connect', now);
    if (run.started) started.push(storeId);
  }
  return started;
}

export const catalogReconcileJob: ScheduledJob = { name: 'catalog:reconcile', run: async (env, now) => void (await reconcileCatalogs(env, now)) };
