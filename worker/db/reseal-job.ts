import type { ScheduledJob } from '../scheduled';
import { db } from './client';
import { listStoreIds } from './queries/privacy';
import { resealStoreSecrets } from './queries/secret-columns';

/**
 * Every cron tick: seals store secrets still in clear (rows from before encryption) and reseals those sealed under
 * SECRETS_KEY_PREVIOUS after a rotation. Cheap when there is nothing to do (one read per table and store).
 */
export async function resealSecrets(env: Env): Promise<void> {
  const d = db(env.DB);
  let total = 0;
  const failed: string[] = [];
  for (const storeId of await listStoreIds(d)) {
    try {
      total += await resealStoreSecrets(d, storeId);
    } catch (err) {
      // A value that opens under neither key stays as it is (fails closed on read); the other stores go on.
      failed.push(`${storeId}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (total > 0) console.log(`resealed ${total} store secrets under SECRETS_KEY`);
  if (failed.length > 0) throw new Error(`could not reseal the secrets of ${failed.length} stores: ${failed.join('; ')}`);
}

export const resealSecretsJob: ScheduledJob = { name: 'reseal-secrets', run: (env) => resealSecrets(env) };
