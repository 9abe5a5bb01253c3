import { and, desc, eq, notExists, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../client';
import { jsonList, prepared } from '../prepared';
import { consents, events, stores } from '../schema';

export type Consent = typeof consents.$inferSelect;
export type NewConsent = typeof consents.$inferInsert;
export type ConsentChannel = Consent['channel'];
export type ConsentPurpose = Consent['purpose'];
export type ConsentSource = Consent['source'];

/** The ledger is append-only: a change of mind is a new row, never an update. */
export async function appendConsents(d: Db, rows: NewConsent[]): Promise<void> {
  if (rows.length === 0) return;
  await d.insert(consents).values(rows);
}

/**
 * Ledger rows to write together with the event that carried them (see `insertEvents`): each insert runs only if
 * that event is not stored yet, so a redelivered batch never records the same consent twice, and only if it
 * changes the consent in force (the ledger records changes, not every repeat of a ticked box).
 */
export function consentsUnlessEventStored(d: Db, storeId: string, eventKey: string, rows: NewConsent[]) {
  const eventStored = d
    .select({ one: sql`1` })
    .from(events)
    .where(and(eq(events.storeId, storeId), eq(events.eventKey, eventKey)));
  return rows.map((r) =>
    d.insert(consents).select(
      d
        .select({
          // NULL lets SQLite assign the autoincrement id; drizzle wants every column named, in order.
          id: sql<number>`null`.as('id'),
          storeId: stores.id,
          contactId: sql<string>`${r.contactId}`.as('contact_id'),
          channel: sql<string>`${r.channel}`.as('channel'),
          purpose: sql<string>`${r.purpose}`.as('purpose'),
          granted: sql<number>`${r.granted ? 1 : 0}`.as('granted'),
          source: sql<string>`${r.source}`.as('source'),
          textVersion: sql<string | null>`${r.textVersion ?? null}`.as('text_version'),
          occurredAt: sql<number>`${r.occurredAt}`.as('occurred_at'),
          proofIpHash: sql<string | null>`${r.proofIpHash ?? null}`.as('proof_ip_hash'),
          proofUserAgent: sql<string | null>`${r.proofUserAgent ?? null}`.as('proof_user_agent'),
        })
        .from(stores)
        .where(and(eq(stores.id, storeId), notExists(eventStored), changes(r))),
    ),
  );
}

/**
 * SQL for the `granted` flag (1 or 0) of the consent in force, NULL when the ledger has none: the latest row for the
 * store, contact, channel and purpose. Store and contact may be values or columns of the outer query.
 */
export function grantedInForce(storeId: SQLWrapper | string, contactId: SQLWrapper | string, channel: ConsentChannel, purpose: ConsentPurpose): SQL {
  return sql`(SELECT ${consents.granted} FROM ${consents} WHERE ${consents.storeId} = ${storeId} AND ${consents.contactId} = ${contactId}
    AND ${consents.channel} = ${channel} AND ${consents.purpose} = ${purpose} ORDER BY ${consents.occurredAt} DESC, ${consents.id} DESC LIMIT 1)`;
}

/** True when the row would change what is in force: no row yet, or the latest says otherwise. */
function changes(r: NewConsent): SQL {
  return sql`coalesce(${grantedInForce(r.storeId, r.contactId, r.channel, r.purpose)}, -1) <> ${r.granted ? 1 : 0}`;
}

/** The row in force for one channel and purpose: the latest by occurrence time. */
export async function currentConsent(
  d: Db,
  storeId: string,
  contactId: string,
  channel: ConsentChannel,
  purpose: ConsentPurpose,
): Promise<Consent | undefined> {
  return (await currentConsents(d, storeId, contactId, { row: [channel, purpose] })).row;
}

/**
 * The rows in force for several (channel, purpose) pairs of one contact, in one statement: the contact's rows of those
 * pairs, latest first, the first of each pair kept. A contact has a handful of consent rows, and each statement saved
 * counts when a thousand reminders wake at once.
 */
const consentsQuery = prepared((d) =>
  d
    .select()
    .from(consents)
    .where(
      and(
        eq(consents.storeId, sql.placeholder('storeId')),
        eq(consents.contactId, sql.placeholder('contactId')),
        sql`${consents.channel} IN (SELECT value FROM json_each(${sql.placeholder('channels')}))`,
        sql`${consents.purpose} IN (SELECT value FROM json_each(${sql.placeholder('purposes')}))`,
      ),
    )
    .orderBy(desc(consents.occurredAt), desc(consents.id))
    .prepare(),
);

export async function currentConsents<K extends string>(
  d: Db,
  storeId: string,
  contactId: string,
  pairs: Record<K, [ConsentChannel, ConsentPurpose]>,
): Promise<Record<K, Consent | undefined>> {
  const wanted = Object.values<[ConsentChannel, ConsentPurpose]>(pairs);
  const rows = await consentsQuery(d).all({
    storeId,
    contactId,
    channels: jsonList([...new Set(wanted.map(([c]) => c))]),
    purposes: jsonList([...new Set(wanted.map(([, p]) => p))]),
  });
  const found = {} as Record<K, Consent | undefined>;
  for (const key of Object.keys(pairs) as K[]) {
    const [channel, purpose] = pairs[key];
    found[key] = rows.find((r) => r.channel === channel && r.purpose === purpose);
  }
  return found;
}

export async function listConsents(d: Db, storeId: string, contactId: string): Promise<Consent[]> {
  return d
    .select()
    .from(consents)
    .where(and(eq(consents.storeId, storeId), eq(consents.contactId, contactId)))
    .orderBy(desc(consents.occurredAt), desc(consents.id))
    .all();
}
