import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../client';
import { engagementTouches, flowExitsDaily, flowStatsDaily, rollupMarks, type TouchKind } from '../schema';
import { runBatch } from './batching';

/** The counters of flow_stats_daily that events add to (column names: fixed, never from input). */
const COLUMNS = {
  entered: 'entered',
  exited: 'exited',
  completed: 'completed',
  goalReached: 'goal_reached',
  sent: 'sent',
  delivered: 'delivered',
  openedHuman: 'opened_human',
  openedMachine: 'opened_machine',
  clicked: 'clicked',
  clickedFiltered: 'clicked_filtered',
  unsubscribed: 'unsubscribed',
  complained: 'complained',
  bounced: 'bounced',
} as const;
export type RollupCounter = keyof typeof COLUMNS;

/** The UTC day (YYYY-MM-DD) of a time in ms, in SQL. */
function dayOf(at: SQL | number): SQL {
  return sql`strftime('%Y-%m-%d', (${at}) / 1000, 'unixepoch')`;
}

function unmarked(storeId: string, subject: SQL | string, kind: string): SQL {
  return sql`not exists (select 1 from rollup_marks where store_id = ${storeId} and subject = ${subject} and kind = ${kind})`;
}

/** The counters as a select list in table order: 1 (or `amount`) in the counted column, 0 elsewhere. */
function counterValues(counted: Partial<Record<string, SQL | number>>): SQL {
  const columns = Object.values(getTableColumns(flowStatsDaily)).slice(5);
  return sql.join(
    columns.map((c) => sql`${counted[c.name] ?? 0}`),
    sql`, `,
  );
}

function bump(columns: string[]) {
  const set = Object.fromEntries(
    Object.entries(getTableColumns(flowStatsDaily))
      .filter(([, c]) => columns.includes(c.name))
      .map(([key, c]) => [key, sql`${sql.identifier(c.name)} + excluded.${sql.identifier(c.name)}`]),
  );
  return { target: [flowStatsDaily.storeId, flowStatsDaily.flowId, flowStatsDaily.day, flowStatsDaily.flowVersion, flowStatsDaily.stepId], set };
}

/** Adds to one row of flow_stats_daily: `key` selects store, flow, version, step and day, in that order. */
export function addToStats(d: Db, key: SQL, counted: Record<string, SQL | number>, rest: SQL) {
  return d
    .insert(flowStatsDaily)
    .select(sql`select ${key}, ${counterValues(counted)} ${rest}`)
    .onConflictDoUpdate(bump(Object.keys(counted)));
}

export type MessageTransition = {
  storeId: string;
  messageId: string;
  /** The transition's name in rollup_marks (one count per message and kind). */
  kind: string;
  counter: RollupCounter;
  /** When it happened; null = the message's own send time (its sent_at, else its creation). */
  at: number | null;
};

/**
 * Adds one to a flow message's step row, unless this (message, kind) was already counted; then marks it.
 * Both statements belong in the caller's batch (one transaction). The version is the enrollment's; a
 * message outside any flow counts nowhere.
 */
export function messageTransitionStatements(d: Db, t: MessageTransition): BatchItem<'sqlite'>[] {
  const at = t.at === null ? sql`coalesce(m.sent_at, m.created_at)` : sql`${t.at}`;
  const key = sql`m.store_id, m.flow_id, coalesce(e.flow_version, 0), coalesce(m.step_id, ''), ${dayOf(at)}`;
  const count = addToStats(
    d,
    key,
    { [COLUMNS[t.counter]]: 1 },
    sql`from messages m left join journey_enrollments e on e.store_id = m.store_id and e.id = m.enrollment_id
    where m.store_id = ${t.storeId} and m.id = ${t.messageId} and m.flow_id is not null
      and ${unmarked(t.storeId, t.messageId, t.kind)}`,
  );
  const mark = d
    .insert(rollupMarks)
    .select(sql`select m.store_id, m.id, ${t.kind}, ${at} from messages m
    where m.store_id = ${t.storeId} and m.id = ${t.messageId} and m.flow_id is not null`)
    .onConflictDoNothing();
  return [count, mark];
}

/**
 * The same for many messages of one store at their own send time, in two statements whatever their number (each
 * step and day counted with count(*)): a send batch writes its hundred outcomes without two statements a message.
 */
export function ownTimeTransitionStatements(d: Db, t: Omit<MessageTransition, 'messageId' | 'at'> & { messageIds: string[] }): BatchItem<'sqlite'>[] {
  if (t.messageIds.length === 0) return [];
  // `+m.store_id` below: the listed ids are looked up by primary key, not found by walking every message of the store.
  const ids = sql`(select value from json_each(${JSON.stringify(t.messageIds)}))`;
  const at = sql`coalesce(m.sent_at, m.created_at)`;
  const key = sql`m.store_id, m.flow_id, coalesce(e.flow_version, 0), coalesce(m.step_id, ''), ${dayOf(at)}`;
  const count = addToStats(
    d,
    key,
    { [COLUMNS[t.counter]]: sql`count(*)` },
    sql`from messages m left join journey_enrollments e on e.store_id = m.store_id and e.id = m.enrollment_id
    where +m.store_id = ${t.storeId} and m.id in ${ids} and m.flow_id is not null
      and ${unmarked(t.storeId, sql`m.id`, t.kind)}
    group by 1, 2, 3, 4, 5`,
  );
  const mark = d
    .insert(rollupMarks)
    .select(sql`select m.store_id, m.id, ${t.kind}, ${at} from messages m
    where +m.store_id = ${t.storeId} and m.id in ${ids} and m.flow_id is not null`)
    .onConflictDoNothing();
  return [count, mark];
}

export async function countMessageTransitions(d: Db, transitions: MessageTransition[]): Promise<void> {
  await runBatch(d, transitions.flatMap((t) => messageTransitionStatements(d, t)));
}

/** A human open or click of a flow message, kept for attribution (a repeat of the same event is ignored). */
export function touchStatement(d: Db, storeId: string, messageId: string, kind: 'open' | 'click', at: number): BatchItem<'sqlite'> {
  const touch: SQL = kind === 'open' ? sql`'email_open'` : sql`case m.channel when 'sms' then 'sms_click' else 'email_click' end`;
  return d
    .insert(engagementTouches)
    .select(sql`select m.store_id, m.contact_id, m.id, ${touch}, ${at} from messages m
    where m.store_id = ${storeId} and m.id = ${messageId} and m.flow_id is not null`)
    .onConflictDoNothing();
}

export type EnrollmentTransition = {
  storeId: string;
  enrollmentId: string;
  flowId: string;
  flowVersion: number;
  kind: 'entered' | 'exited' | 'completed' | 'goalReached';
  reason?: string | null | undefined;
  at: number;
};

/** Counts an enrollment's entry, exit (by reason), completion or goal once, as statements for the caller's batch. */
export function enrollmentTransitionStatements(d: Db, t: EnrollmentTransition): BatchItem<'sqlite'>[] {
  const fresh = unmarked(t.storeId, t.enrollmentId, t.kind);
  const key = sql`${t.storeId}, ${t.flowId}, ${t.flowVersion}, '', ${dayOf(t.at)}`;
  const statements: BatchItem<'sqlite'>[] = [addToStats(d, key, { [COLUMNS[t.kind]]: 1 }, sql`where ${fresh}`)];
  if (t.kind === 'exited') {
    statements.push(
      d
        .insert(flowExitsDaily)
        .select(sql`select ${t.storeId}, ${t.flowId}, ${t.flowVersion}, ${dayOf(t.at)}, ${t.reason ?? 'unknown'}, 1 where ${fresh}`)
        .onConflictDoUpdate({
          target: [flowExitsDaily.storeId, flowExitsDaily.flowId, flowExitsDaily.day, flowExitsDaily.flowVersion, flowExitsDaily.reason],
          set: { count: sql`${sql.identifier('count')} + 1` },
        }),
    );
  }
  statements.push(d.insert(rollupMarks).values({ storeId: t.storeId, subject: t.enrollmentId, kind: t.kind, at: t.at }).onConflictDoNothing());
  return statements;
}

export type TouchRow = { messageId: string; kind: TouchKind; at: number };

/** The contact's human touches in [since, until], newest first: what an order may be credited to. */
export async function recentTouches(d: Db, storeId: string, contactId: string, since: number, until: number): Promise<TouchRow[]> {
  const rows = await d.all<{ message_id: string; kind: TouchKind; at: number }>(sql`select message_id, kind, at from engagement_touches
    where store_id = ${storeId} and contact_id = ${contactId} and at >= ${since} and at <= ${until}
    order by at desc limit 200`);
  return rows.map((r) => ({ messageId: r.message_id, kind: r.kind, at: r.at }));
}

/** The newest flow email sent to a contact: our unsubscribe link names the contact, not the message. */
export async function latestFlowEmail(d: Db, storeId: string, contactId: string): Promise<string | null> {
  const row = await d.get<{ id: string } | undefined>(sql`select id from messages
    where store_id = ${storeId} and contact_id = ${contactId} and channel = 'email' and flow_id is not null
      and status in ('sent', 'outbox')
    order by created_at desc limit 1`);
  return row?.id ?? null;
}
