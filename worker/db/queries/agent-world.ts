import { asc, eq, getTableColumns, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { allInOneTrip, jsonList, prepared } from '../prepared';
import { flows, storeSettings, stores } from '../schema';
import { contactQuery, type Contact } from './contacts';
import type { Flow } from '../../journeys/flow-schema';
import { opened as openedStore, type Store } from './stores';

/**
 * Parsed flow definitions this isolate has read, per store, under `id:version:updatedAt:length` (a saved version bumps
 * the version; a store deleted and set up again gets a new updatedAt; the length guards the rest, such as tests that
 * reinstall a changed definition at a fixed time). A store's flows are ~27 KB of JSON: agents woken by the thousand
 * each read and parsed all of them, the largest answer of a wake.
 */
const definitions = new Map<string, Map<string, Flow>>();
/** About 27 KB of JSON a store, a few times that parsed: 50 stores stay within a few MB of the isolate's 128 MB. */
const STORES_KEPT = 50;

/** Shared between agents of the isolate, so frozen: a journey that wrote into its definition would throw. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const cacheKey = sql<string>`${flows.id} || ':' || ${flows.version} || ':' || ${flows.updatedAt} || ':' || length(${flows.definition})`;

/** Only whether a Postmark token is set (it stays sealed), beside the store's row: emails of such a store go to the batched send stage. */
const hasToken = sql<number>`EXISTS (SELECT 1 FROM ${storeSettings} WHERE ${storeSettings.storeId} = ${stores.id} AND ${storeSettings.postmarkServerToken} IS NOT NULL AND ${storeSettings.postmarkServerToken} <> '')`;
const storeQuery = prepared((d) => d.select({ ...getTableColumns(stores), hasToken }).from(stores).where(eq(stores.id, sql.placeholder('storeId'))).limit(1).prepare());
/** `held`: the cache keys this isolate holds, as a JSON list; their definitions come back NULL. */
const flowsQuery = prepared((d) =>
  d
    .select({
      key: cacheKey,
      definition: sql<string | null>`CASE WHEN ${cacheKey} IN (SELECT value FROM json_each(${sql.placeholder('held')})) THEN NULL ELSE ${flows.definition} END`,
    })
    .from(flows)
    .where(eq(flows.storeId, sql.placeholder('storeId')))
    .orderBy(asc(flows.position), asc(flows.id))
    .prepare(),
);

/**
 * What a ContactAgent reads each time it wakes (its store, its contact, the store's flows), in one
 * D1 round trip: a thousand reminders due at once wake a thousand agents. Definitions this isolate already holds
 * are not sent again (the query names them). The store's secrets are opened like every other read of a whole
 * store row.
 */
export async function loadAgentWorld(
  d: Db,
  storeId: string,
  contactId: string,
): Promise<{ store: Store | undefined; contact: Contact | undefined; flows: Flow[]; postmark: boolean }> {
  const known = definitions.get(storeId) ?? new Map<string, Flow>();
  const [storeRows, contact, flowRows] = await allInOneTrip(d, [
    [storeQuery(d), { storeId }],
    [contactQuery(d), { storeId, contactId }],
    [flowsQuery(d), { storeId, held: jsonList([...known.keys()]) }],
  ]);
  const live = new Map<string, Flow>();
  const defs = flowRows.map(({ key, definition }) => {
    const flow = definition === null ? known.get(key) : deepFreeze(JSON.parse(definition) as Flow);
    if (!flow) throw new Error(`flow ${key} of store ${storeId} was neither sent nor held`);
    live.set(key, flow);
    return flow;
  });
  // Only the live versions are kept, so a store's entry stays as small as its flow list.
  if (!definitions.has(storeId) && definitions.size >= STORES_KEPT) definitions.clear();
  definitions.set(storeId, live);
  const row = storeRows[0];
  let store: Store | undefined;
  if (row) {
    const { hasToken: _token, ...columns } = row;
    store = await openedStore(columns);
  }
  return { store, contact: contact[0], flows: defs, postmark: Boolean(row?.hasToken) };
}
