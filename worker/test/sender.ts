import type { Db } from '../db/client';
import { findStoreSettings, updateStoreSettings } from '../db/queries/store-settings';

export const TEST_POSTAL_ADDRESS = '1 rue de la Paix, 75002 Paris';

/**
 * Promotional email is held until a store has a sender and a postal address (messaging/guardrails/sender.ts):
 * tests about other rules give their store both, keeping any sender they set themselves.
 */
export async function completeSender(d: Db, storeId: string, now = 1): Promise<void> {
  const current = await findStoreSettings(d, storeId);
  await updateStoreSettings(
    d,
    storeId,
    { fromEmail: current?.fromEmail ?? `shop@${storeId}.example`, postalAddress: current?.postalAddress ?? TEST_POSTAL_ADDRESS },
    now,
  );
}
