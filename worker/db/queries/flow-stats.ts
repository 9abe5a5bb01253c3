import { and, asc, between, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client';
import { attributionSettings, flowExitsDaily, flows, flowStatsDaily } from '../schema';
import { DEFAULT_WINDOWS, type AttributionWindows } from './attribution';
import type { FlowRow } from './flows';

const COUNTERS = Object.entries(getTableColumns(flowStatsDaily)).slice(5);
export type FlowFigures = {
  entered: number;
  exited: number;
  completed: number;
  goalReached: number;
  sent: number;
  delivered: number;
  openedHuman: number;
  openedMachine: number;
  clicked: number;
  clickedFiltered: number;
  converted: number;
  revenue: number;
  unsubscribed: number;
  complained: number;
  bounced: number;
};

/** Every counter summed over the selected rows. */
const SUMS = Object.fromEntries(COUNTERS.map(([key, column]) => [key, sql<number>`coalesce(sum(${column}), 0)`])) as Record<keyof FlowFigures, SQL<number>>;

export type FlowStatsRows = {
  /** The flow's live row (undefined: not installed for this store), read in the same round trip. */
  flow: FlowRow | undefined;
  windows: AttributionWindows;
  totals: FlowFigures;
  versions: (FlowFigures & { version: number })[];
  steps: (FlowFigures & { stepId: string })[];
  daily: (FlowFigures & { day: string })[];
  exits: { reason: string; count: number }[];
};

/**
 * A flow's figures over UTC days [from, to] from the rollup rows only, with the flow itself and the store's
 * attribution windows: one D1 round trip, each read a range of a primary key, never a scan of messages or orders.
 */
export async function readFlowStats(d: Db, storeId: string, flowId: string, from: string, to: string): Promise<FlowStatsRows> {
  const s = flowStatsDaily;
  const where = and(eq(s.storeId, storeId), eq(s.flowId, flowId), between(s.day, from, to));
  const e = flowExitsDaily;
  const a = attributionSettings;
  const [flowRows, windowRows, totals, versions, steps, daily, exits] = await d.batch([
    d.select().from(flows).where(and(eq(flows.storeId, storeId), eq(flows.id, flowId))),
    d.select({ emailClickHours: a.emailClickHours, emailOpenHours: a.emailOpenHours, smsClickHours: a.smsClickHours }).from(a).where(eq(a.storeId, storeId)),
    d.select(SUMS).from(s).where(where),
    d.select({ version: s.flowVersion, ...SUMS }).from(s).where(where).groupBy(s.flowVersion).orderBy(asc(s.flowVersion)),
    d.select({ stepId: s.stepId, ...SUMS }).from(s).where(where).groupBy(s.stepId),
    d.select({ day: s.day, ...SUMS }).from(s).where(where).groupBy(s.day).orderBy(asc(s.day)),
    d
      .select({ reason: e.reason, count: sql<number>`sum(${e.count})` })
      .from(e)
      .where(and(eq(e.storeId, storeId), eq(e.flowId, flowId), between(e.day, from, to)))
      .groupBy(e.reason)
      .orderBy(sql`2 desc`),
  ]);
  return { flow: flowRows[0], windows: windowRows[0] ?? DEFAULT_WINDOWS, totals: totals[0] ?? zeroFigures(), versions, steps, daily, exits };
}

export function zeroFigures(): FlowFigures {
  return Object.fromEntries(COUNTERS.map(([key]) => [key, 0])) as FlowFigures;
}

export type FlowSummary = Pick<FlowFigures, 'sent' | 'converted' | 'revenue'> & { flowId: string };

/** Sent, credited orders and revenue of every flow of a store over UTC days [from, to]: the flows list in one read. */
export async function flowSummaries(d: Db, storeId: string, from: string, to: string): Promise<FlowSummary[]> {
  const s = flowStatsDaily;
  return d
    .select({ flowId: s.flowId, sent: SUMS.sent, converted: SUMS.converted, revenue: sql<number>`round(coalesce(sum(${s.revenue}), 0), 2)` })
    .from(s)
    .where(and(eq(s.storeId, storeId), between(s.day, from, to)))
    .groupBy(s.flowId)
    .all();
}
