import type { Db } from '../db/client';
import { markClaimProven } from '../db/queries/identity-claims';
import { linkVisitor } from './identity';

/**
 * Claim → proof, second half: the owner of the address proved it (confirmed double opt-in), so the visitor that
 * claimed it becomes the contact, with its history and cart. Returns false when that visitor had no pending claim.
 */
export async function proveClaim(d: Db, storeId: string, visitorId: string, contactId: string, proof: string, now: number): Promise<boolean> {
  if (!(await markClaimProven(d, storeId, visitorId, contactId, proof, now))) return false;
  await linkVisitor(d, storeId, visitorId, contactId);
  return true;
}
