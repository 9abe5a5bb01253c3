import type { Db } from '../db/client';
import type { AttributionWindows } from '../db/queries/attribution';
import { readFlowStats, zeroFigures, type FlowFigures, type FlowStatsRows } from '../db/queries/flow-stats';
import type { Flow } from '../journeys/flow-schema';
import { MACHINE_OPEN_SECONDS, SCANNER_CLICK_SECONDS } from './classify';

const DAY_MS = 86_400_000;
/** The longest range one request may ask for: a year of daily points. */
export const MAX_RANGE_DAYS = 366;

export type StatsRange = { from: string; to: string };

/** Shares of what was sent (null when nothing was): what an owner compares between steps and flows. */
export function ratesOf(f: FlowFigures) {
  const per = (n: number) => (f.sent > 0 ? Math.round((n / f.sent) * 10_000) / 10_000 : null);
  return {
    delivered: per(f.delivered),
    openedHuman: per(f.openedHuman),
    clicked: per(f.clicked),
    converted: per(f.converted),
    unsubscribed: per(f.unsubscribed),
    complained: per(f.complained),
    bounced: per(f.bounced),
    revenuePerRecipient: f.sent > 0 ? Math.round((f.revenue / f.sent) * 100) / 100 : null,
  };
}

function rounded<T extends FlowFigures>(f: T): T {
  return { ...f, revenue: Math.round(f.revenue * 100) / 100 };
}

export type StepInfo = { stepId: string; channel: 'email' | 'sms' | null; label: string | null };

/** The flow's message steps in the order they appear in the live definition. */
export function messageSteps(flow: Flow): StepInfo[] {
  return flow.nodes.flatMap((n) =>
    n.type === 'send_email' || n.type === 'send_sms' ? [{ stepId: n.id, channel: n.type === 'send_email' ? 'email' : 'sms', label: n.label ?? null } as StepInfo] : [],
  );
}

/** Every day of the range, in order (days without a row are zeros, so a chart has no gaps). */
export function daysOf(range: StatsRange): string[] {
  const out: string[] = [];
  for (let t = Date.parse(range.from); t <= Date.parse(range.to); t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

export type FlowStats = ReturnType<typeof shapeFlowStats>;

/**
 * GET /api/flows/:id/stats: the rollup rows of a flow (with its live definition and the store's windows, one
 * round trip); null when the flow is not installed for the store.
 */
export async function flowStats(d: Db, storeId: string, flowId: string, range: StatsRange): Promise<FlowStats | null> {
  const rows = await readFlowStats(d, storeId, flowId, range.from, range.to);
  return rows.flow ? shapeFlowStats(rows.flow.definition, rows, range) : null;
}

/** Totals, per version, per step (the funnel, in the flow's order; steps of older versions follow), a daily series and exits. */
export function shapeFlowStats(flow: Flow, rows: FlowStatsRows, range: StatsRange) {
  const known = messageSteps(flow);
  const byStep = new Map(rows.steps.map((s) => [s.stepId, s]));
  const older = rows.steps.filter((s) => s.stepId !== '' && !known.some((k) => k.stepId === s.stepId));
  const steps = [...known, ...older.map((s): StepInfo => ({ stepId: s.stepId, channel: null, label: null }))].map((info) => {
    const figures = rounded({ ...zeroFigures(), ...byStep.get(info.stepId), stepId: info.stepId });
    return { ...info, ...figures, rates: ratesOf(figures) };
  });
  const byDay = new Map(rows.daily.map((r) => [r.day, r]));
  return {
    flow: { id: flow.id, name: flow.name, version: flow.version },
    range,
    totals: { ...rounded(rows.totals), rates: ratesOf(rows.totals) },
    versions: rows.versions.map((v) => ({ ...rounded(v), rates: ratesOf(v) })),
    steps,
    daily: daysOf(range).map((day) => ({ ...rounded({ ...zeroFigures(), ...byDay.get(day) }), day })),
    exits: rows.exits,
    attribution: windowsView(rows.windows),
    method: { machineOpenSeconds: MACHINE_OPEN_SECONDS, scannerClickSeconds: SCANNER_CLICK_SECONDS, timeZone: 'UTC' },
  };
}

function windowsView(w: AttributionWindows) {
  return { model: 'last_touch_clicks_first', ...w };
}
