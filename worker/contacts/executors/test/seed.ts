import { env } from 'cloudflare:test';
import { db } from '../../../db/client';
import { findOrCreateContactByEmail, type Contact } from '../../../db/queries/contacts';
import { findStore, upsertStore, type NewStore } from '../../../db/queries/stores';
import type { ActionOrigin } from '../../../journeys/actions';
import type { ExecutorContext } from '../types';

/** A store and one contact, and the executor context for them at `now`. */
export async function seedExecutorContext(
  storeId: string,
  now: number,
  store: Partial<NewStore> = {},
  contact: Partial<Pick<Contact, 'phone' | 'locale' | 'firstName'>> & { email?: string } = {},
): Promise<ExecutorContext> {
  const d = db(env.DB);
  await upsertStore(d, {
    id: storeId,
    name: `Shop ${storeId}`,
    siteUrl: `https://${storeId}.shop.test`,
    webhookSecret: `whsec_${storeId}_0123456789`,
    siteKey: `pk_${storeId}`,
    allowedOrigins: [`https://${storeId}.shop.test`],
    createdAt: 1,
    updatedAt: 1,
    ...store,
  });
  const { email = `ann@${storeId}.example`, ...fields } = contact;
  const created = await findOrCreateContactByEmail(d, storeId, email, now, fields);
  const row = await findStore(d, storeId);
  if (!row) throw new Error('store not seeded');
  return { env, d, store: row, contact: created.contact, now };
}

export function origin(enrollmentId: string, nodeId: string): ActionOrigin {
  return { idempotencyKey: `${enrollmentId}:${nodeId}`, flowId: 'abandoned-cart', flowVersion: 1, enrollmentId, nodeId };
}
