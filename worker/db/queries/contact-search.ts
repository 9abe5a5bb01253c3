import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client';

/**
 * The console's contact list: search, filters and keyset pagination over one store's contacts.
 * Pages walk the `contacts_store_created` index (store, created_at, id) newest first, so a page
 * costs the rows it shows (plus those a filter skips) and a contact added meanwhile never shifts
 * the later pages. A search term is matched anywhere in the email, name or phone, so it reads the
 * store's rows in index order until the page is full: there is no word index to consult.
 */

export const CONSENT_STATES = ['granted', 'withdrawn', 'none'] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];
export const STATUS_FILTERS = ['subscribed', 'unsubscribed', 'suppressed', 'hibernated'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];
/** A group of contacts: a segment evaluated by a job (segment.entered/exited events) or a tag set by a flow. */
export type SegmentRef = { kind: 'segment' | 'tag'; name: string };

export type ContactFilters = {
  q?: string;
  email?: ConsentState;
  sms?: ConsentState;
  status?: StatusFilter;
  ordered?: 'yes' | 'no';
  segment?: SegmentRef;
};

export type ContactCursor = { createdAt: number; id: string };
export type PageRequest = { after?: ContactCursor; before?: ContactCursor; limit: number };

export type ContactListRow = {
  id: string;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  status: 'active' | 'unsubscribed' | 'bounced' | 'complained';
  createdAt: number;
  emailConsent: ConsentState;
  smsConsent: ConsentState;
  hibernated: boolean;
  orders: number;
};

export type ContactPage = { rows: ContactListRow[]; total: number; hasNext: boolean; hasPrev: boolean };

// Accented letters as French (and neighbouring) names write them; SQLite's lower() folds ASCII only.
const FOLDS: [string, string][] = [
  ['àâäáãåÀÂÄÁÃÅ', 'a'], ['çÇ', 'c'], ['éèêëÉÈÊË', 'e'], ['îïíìÎÏÍÌ', 'i'], ['ñÑ', 'n'],
  ['ôöóòõøÔÖÓÒÕØ', 'o'], ['ùûüúÙÛÜÚ', 'u'], ['ÿŸ', 'y'], ['œŒ', 'oe'], ['æÆ', 'ae'],
];

/** The same folding in JavaScript, for the term: accents dropped, lower case. */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/œ/gi, 'oe').replace(/æ/gi, 'ae').toLowerCase();
}

/** Literals, not bound values: D1 allows 100 variables a statement and the letters are constants (no quotes among them). */
function foldSql(expr: string): SQL {
  let out = expr;
  for (const [letters, plain] of FOLDS) for (const letter of letters) out = `replace(${out}, '${letter}', '${plain}')`;
  return sql.raw(`lower(${out})`);
}

const HAYSTACK = foldSql(`coalesce(c.email, '') || ' ' || coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')`);
const PHONE_DIGITS = sql`replace(replace(replace(replace(replace(coalesce(c.phone, ''), '+', ''), ' ', ''), '-', ''), '.', ''), '/', '')`;

function searchCondition(q: string): SQL {
  const term = foldText(q.trim());
  const digits = q.replace(/\D/g, '');
  const matches = [sql`instr(${HAYSTACK}, ${term}) > 0`];
  // A number typed as dialled at home (06 12 …) is stored in E.164 (+336 12 …): also look for it without its leading 0.
  if (digits.length >= 3) matches.push(sql`instr(${PHONE_DIGITS}, ${digits.replace(/^0/, '')}) > 0`);
  return sql`(${sql.join(matches, sql` OR `)})`;
}

function consentOf(channel: 'email' | 'sms'): SQL {
  return sql`(SELECT k.granted FROM consents k WHERE k.store_id = c.store_id AND k.contact_id = c.id AND k.channel = ${channel}
    AND k.purpose = 'marketing' ORDER BY k.occurred_at DESC, k.id DESC LIMIT 1)`;
}

function consentCondition(channel: 'email' | 'sms', state: ConsentState): SQL {
  if (state === 'none') return sql`${consentOf(channel)} IS NULL`;
  return sql`${consentOf(channel)} = ${state === 'granted' ? 1 : 0}`;
}

const HIBERNATED = sql`EXISTS (SELECT 1 FROM contact_hibernation h WHERE h.store_id = c.store_id AND h.contact_id = c.id AND h.hibernated_at IS NOT NULL)`;
const HAS_ORDERED = sql`EXISTS (SELECT 1 FROM orders o WHERE o.store_id = c.store_id AND o.contact_id = c.id AND o.deleted_at IS NULL)`;

function statusCondition(status: StatusFilter): SQL {
  switch (status) {
    case 'subscribed':
      return sql`c.status = 'active'`;
    case 'unsubscribed':
      return sql`c.status = 'unsubscribed'`;
    case 'suppressed':
      return sql`c.status IN ('bounced', 'complained')`;
    case 'hibernated':
      return HIBERNATED;
  }
}

/**
 * In a segment: a member of a rule-based segment (segment_members), or, for a segment a job evaluates
 * (ignores-promotions), entered it and not exited since (its latest segment event for that name is an entry).
 */
function segmentCondition(segment: SegmentRef): SQL {
  if (segment.kind === 'tag') {
    return sql`EXISTS (SELECT 1 FROM contact_tags g WHERE g.store_id = c.store_id AND g.contact_id = c.id AND g.tag = ${segment.name})`;
  }
  return sql`EXISTS (SELECT 1 FROM segment_members m WHERE m.store_id = c.store_id AND m.contact_id = c.id AND m.segment_id = ${segment.name})
    OR (SELECT e.type FROM events e WHERE e.store_id = c.store_id AND e.contact_id = c.id
    AND e.type IN ('segment.entered', 'segment.exited') AND json_extract(e.properties, '$.segment') = ${segment.name}
    ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1) = 'segment.entered'`;
}

function conditions(storeId: string, f: ContactFilters): SQL[] {
  const out = [sql`c.store_id = ${storeId}`];
  if (f.q && f.q.trim()) out.push(searchCondition(f.q));
  if (f.email) out.push(consentCondition('email', f.email));
  if (f.sms) out.push(consentCondition('sms', f.sms));
  if (f.status) out.push(statusCondition(f.status));
  if (f.ordered) out.push(f.ordered === 'yes' ? HAS_ORDERED : sql`NOT ${HAS_ORDERED}`);
  if (f.segment) out.push(segmentCondition(f.segment));
  return out;
}

type RawRow = Omit<ContactListRow, 'emailConsent' | 'smsConsent' | 'hibernated'> & { emailGranted: number | null; smsGranted: number | null; hibernated: number };

const consentState = (granted: number | null): ConsentState => (granted === null ? 'none' : granted ? 'granted' : 'withdrawn');

/** The page query itself: `explainContactList` plans exactly what `searchContacts` runs. */
function pageQuery(storeId: string, filters: ContactFilters, page: PageRequest): { query: SQL; backwards: boolean; cursor: ContactCursor | undefined } {
  const where = conditions(storeId, filters);
  const backwards = page.before !== undefined && page.after === undefined;
  const cursor = page.after ?? page.before;
  if (cursor) where.push(backwards ? sql`(c.created_at, c.id) > (${cursor.createdAt}, ${cursor.id})` : sql`(c.created_at, c.id) < (${cursor.createdAt}, ${cursor.id})`);
  const order = backwards ? sql`c.created_at ASC, c.id ASC` : sql`c.created_at DESC, c.id DESC`;
  const query = sql`
    SELECT c.id, c.email, c.phone, c.first_name AS firstName, c.last_name AS lastName, c.status, c.created_at AS createdAt,
      ${consentOf('email')} AS emailGranted, ${consentOf('sms')} AS smsGranted, ${HIBERNATED} AS hibernated,
      (SELECT count(*) FROM orders o WHERE o.store_id = c.store_id AND o.contact_id = c.id AND o.deleted_at IS NULL) AS orders
    FROM contacts c WHERE ${sql.join(where, sql` AND `)}
    ORDER BY ${order} LIMIT ${page.limit + 1}`;
  return { query, backwards, cursor };
}

/** One page of the store's contacts matching `filters`, newest first, and how many match in all. */
export async function searchContacts(d: Db, storeId: string, filters: ContactFilters, page: PageRequest): Promise<ContactPage> {
  const { query, backwards, cursor } = pageQuery(storeId, filters, page);
  const [raw, counted] = await Promise.all([
    d.all<RawRow>(query),
    d.get<{ n: number }>(sql`SELECT count(*) AS n FROM contacts c WHERE ${sql.join(conditions(storeId, filters), sql` AND `)}`),
  ]);
  const more = raw.length > page.limit;
  // Back at the top: the first page as it is now (the newest, full), not the few rows newer than the cursor.
  if (backwards && !more) return searchContacts(d, storeId, filters, { limit: page.limit });
  const slice = raw.slice(0, page.limit);
  const rows = (backwards ? slice.reverse() : slice).map(({ emailGranted, smsGranted, hibernated, ...r }) => ({
    ...r,
    emailConsent: consentState(emailGranted),
    smsConsent: consentState(smsGranted),
    hibernated: hibernated === 1,
  }));
  return { rows, total: counted?.n ?? 0, hasNext: backwards ? true : more, hasPrev: backwards ? more : cursor !== undefined };
}

/** The store's tags, for the segment filter (a bounded list: tags are a flow's vocabulary, not per-contact data). */
export async function storeTags(d: Db, storeId: string, limit = 100): Promise<string[]> {
  const rows = await d.all<{ tag: string }>(sql`SELECT DISTINCT tag FROM contact_tags WHERE store_id = ${storeId} ORDER BY tag LIMIT ${limit}`);
  return rows.map((r) => r.tag);
}

/** How SQLite runs a page: tests assert it walks the index instead of sorting the store's contacts. */
export async function explainContactList(d: Db, storeId: string, filters: ContactFilters, page: PageRequest): Promise<string[]> {
  const rows = await d.all<{ detail: string }>(sql`EXPLAIN QUERY PLAN ${pageQuery(storeId, filters, page).query}`);
  return rows.map((r) => r.detail);
}
