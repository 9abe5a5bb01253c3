import { sql } from 'drizzle-orm';
import type { Db } from '../client';

export type PromotionRecipient = { contactId: string; promotions: number; firstAt: number };

/**
 * Contacts who were sent at least `minimum` promotional emails since `since` (flow sends that the
 * guardrails did not mark transactional-like, excluding `exceptFlow`), with the first of them.
 */
export async function promotionRecipients(
  d: Db,
  storeId: string,
  since: number,
  minimum: number,
  exceptFlow: string,
  limit: number,
): Promise<PromotionRecipient[]> {
  return d.all<PromotionRecipient>(sql`
    SELECT m.contact_id AS contactId, count(*) AS promotions, min(m.created_at) AS firstAt
    FROM messages m
    LEFT JOIN send_decisions s ON s.store_id = m.store_id AND s.idempotency_key = m.idempotency_key
    WHERE m.store_id = ${storeId} AND m.channel = 'email' AND m.flow_id IS NOT NULL AND m.flow_id != ${exceptFlow}
      AND m.status IN ('sent', 'outbox') AND m.created_at >= ${since} AND coalesce(s.transactional, 0) = 0
    GROUP BY m.contact_id
    HAVING count(*) >= ${minimum}
    ORDER BY m.contact_id
    LIMIT ${limit}`);
}
