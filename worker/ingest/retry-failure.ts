import type { Db } from '../db/client';
import { claimFailure, restoreFailure } from '../db/queries/deliveries';

/**
 * An admin sends a parked message back to the INGEST queue, as it first arrived. Applying is idempotent (the
 * delivery log, version guards, event keys), so a message that was partly applied before it failed is applied
 * once; failing again parks it again. Returns false when there is no such parked message in this store.
 */
export async function retryIngestFailure(env: Env, d: Db, storeId: string, id: number): Promise<boolean> {
  const row = await claimFailure(d, storeId, id);
  if (!row) return false;
  try {
    await env.INGEST.send(row.message, { contentType: 'json' });
  } catch (err) {
    await restoreFailure(d, row);
    throw err;
  }
  return true;
}
