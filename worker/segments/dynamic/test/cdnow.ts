import { env } from 'cloudflare:test';
import master from '../../../../../shared/datasets/cdnow/CDNOW_master.txt?raw';

export type CdnowPurchase = { customer: string; at: number; dollars: number };

/** CDNOW_master: `customer date(YYYYMMDD) cds dollars`, purchases up to `until` (inclusive). */
export function cdnowPurchases(until = Infinity): CdnowPurchase[] {
  return master
    .trim()
    .split('\n')
    .slice(1)
    .flatMap((line) => {
      const [customer = '', date = '', , dollars = '0'] = line.trim().split(/\s+/);
      const at = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8)), 12);
      return at <= until ? [{ customer, at, dollars: Number(dollars) }] : [];
    });
}

export const cdnowContactId = (customer: string) => `cd_${customer}`;

const CHUNK = 4000;

/**
 * Loads the purchases as a store's history: one contact per customer and one paid order per purchase. Rows travel as
 * JSON read back with json_each (D1 binds at most 100 values per statement; tens of thousands of rows would need
 * thousands of statements otherwise).
 */
export async function loadCdnow(storeId: string, purchases: CdnowPurchase[]): Promise<void> {
  const customers = [...new Set(purchases.map((p) => p.customer))];
  const contact = env.DB.prepare(
    `INSERT INTO contacts (id, store_id, status, created_at, updated_at)
     SELECT 'cd_' || value, ?1, 'active', 1, 1 FROM json_each(?2)`,
  );
  const order = env.DB.prepare(
    `INSERT INTO orders (store_id, id, contact_id, status, total, refunded_total, coupon_codes, attribution, created_at, paid_at, source_modified_at, updated_at)
     SELECT ?1, json_extract(value, '$[0]'), 'cd_' || json_extract(value, '$[1]'), 'completed', json_extract(value, '$[2]'), 0, '[]', '{}',
       json_extract(value, '$[3]'), json_extract(value, '$[3]'), 1, 1 FROM json_each(?2)`,
  );
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < customers.length; i += CHUNK) statements.push(contact.bind(storeId, JSON.stringify(customers.slice(i, i + CHUNK))));
  for (let i = 0; i < purchases.length; i += CHUNK) {
    const rows = purchases.slice(i, i + CHUNK).map((p, j) => [i + j + 1, p.customer, p.dollars, p.at]);
    statements.push(order.bind(storeId, JSON.stringify(rows)));
  }
  await env.DB.batch(statements);
}
