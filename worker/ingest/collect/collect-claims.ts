import { consentRows, type ConsentProof } from '../../contacts/identity';
import { requestStorefrontConfirmation } from '../../contacts/privacy/double-opt-in';
import type { Db } from '../../db/client';
import type { NewConsent } from '../../db/queries/consents';
import { recordIdentityClaim } from '../../db/queries/identity-claims';
import type { Store } from '../../db/queries/stores';
import type { Identify } from './beacon';

/** An unsigned identify that named a contact without proving it (see `resolveIdentify`). */
export type Claimed = { event: Identify; key: string; contactId: string };

export type ClaimBatch = { storeId: string; visitorId: string; receivedAt: number; proof: ConsentProof };

/**
 * Claim → proof, first half: the claim is kept on the visitor (who stays anonymous) and the only thing written to
 * the address is one confirmation email asking its owner, within the double opt-in limits. SMS flags and a phone
 * number from a claim are not kept: nothing can prove them here.
 */
export async function holdClaims(env: Env, d: Db, store: Store, batch: ClaimBatch, claims: Claimed[]): Promise<void> {
  for (const claim of claims) {
    await recordIdentityClaim(d, {
      storeId: batch.storeId,
      visitorId: batch.visitorId,
      contactId: claim.contactId,
      eventKey: claim.key,
      claimedAt: batch.receivedAt,
    });
    const at = Math.min(claim.event.ts, batch.receivedAt);
    const grant = consentRows(batch.storeId, claim.contactId, claim.event, at, false, batch.proof).find(isEmailGrant);
    if (grant) await requestStorefrontConfirmation(env, d, store, grant, claim.key, true);
  }
}

function isEmailGrant(row: NewConsent): boolean {
  return row.channel === 'email' && row.purpose === 'marketing' && row.granted;
}
