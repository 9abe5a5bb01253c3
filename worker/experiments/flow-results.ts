import type { Db } from '../db/client';
import { experimentArmCounts, type ArmCounts } from '../db/queries/experiment-arms';
import { findFlow } from '../db/queries/flows';
import { notFound } from '../errors';
import type { Flow, FlowNode } from '../journeys/flow-schema';
import { resolveString } from '../journeys/resolve';
import { durationMs } from '../journeys/time';
import { arm, compareArms, type Arm, type Comparison } from './compare';

/** The holdout lift is judged on conversions within 30 days of entry, as the issue asks. */
export const HOLDOUT_WINDOW_MS = 30 * 86_400_000;
const ALPHA = 0.05;

export type Period = { from: number; to: number };

export type HoldoutResults = {
  percent: number;
  treated: Arm;
  heldOut: Arm;
  /** Treated against held out: the flow's lift. */
  lift: Comparison;
  /** What the treated contacts spent beyond what they would have at the holdout's revenue per contact. */
  incrementalRevenue: number | null;
};

export type BranchResults = Arm & { key: string; weight: number | null; vsControl: Comparison | null };

export type Verdict = { kind: 'winner'; branch: string } | { kind: 'inconclusive'; moreContactsNeeded: number | null };

export type ExperimentResults = {
  experiment: string;
  status: 'running' | 'ended';
  /** The branch the owner chose when ending the test. */
  chosen: string | null;
  control: string;
  branches: BranchResults[];
  verdict: Verdict;
};

export type FlowExperimentResults = {
  flowId: string;
  period: Period;
  goalWindowDays: number;
  holdout: HoldoutResults;
  experiments: ExperimentResults[];
};

type Split = Extract<FlowNode, { type: 'split' }>;
type Test = { experiment: string; status: 'running' | 'ended'; chosen: string | null; branches: { key: string; weight: number | null }[] };

/** Running splits of the live version and the tests the owner ended earlier. */
function testsOf(flow: Flow): Test[] {
  const running = flow.nodes
    .filter((n): n is Split => n.type === 'split')
    .map((n) => ({ experiment: n.experiment, status: 'running' as const, chosen: null, branches: n.branches.map((b) => ({ key: b.key, weight: b.weight })) }));
  const ended = (flow.concluded ?? []).map((c) => ({
    experiment: c.experiment,
    status: 'ended' as const,
    chosen: c.winner,
    branches: c.branches.map((key) => ({ key, weight: null })),
  }));
  return [...running, ...ended];
}

function sum(rows: ArmCounts[]): Arm {
  const revenue = Math.round(rows.reduce((s, r) => s + r.revenue, 0) * 100) / 100;
  return arm(rows.reduce((s, r) => s + r.entered, 0), rows.reduce((s, r) => s + r.converted, 0), revenue);
}

function holdoutResults(flow: Flow, rows: ArmCounts[]): HoldoutResults {
  const treated = sum(rows.filter((r) => !r.heldOut));
  const heldOut = sum(rows.filter((r) => r.heldOut));
  const gain = treated.revenuePerRecipient !== null && heldOut.revenuePerRecipient !== null ? treated.revenuePerRecipient - heldOut.revenuePerRecipient : null;
  return {
    percent: flow.holdoutPercent ?? 0,
    treated,
    heldOut,
    lift: compareArms(treated, heldOut, ALPHA),
    incrementalRevenue: gain === null ? null : Math.round(gain * treated.entered * 100) / 100,
  };
}

/**
 * Each branch against the first (the control), among treated contacts only: held-out contacts walk a branch
 * but receive none of it. With more than two branches each comparison is held to alpha / (k − 1) (Bonferroni).
 * A winner is named only when the sequential test says so; otherwise the owner is told how many more contacts
 * a decision would take.
 */
function experimentResults(test: Test, rows: ArmCounts[]): ExperimentResults {
  const treated = rows.filter((r) => !r.heldOut);
  const arms = test.branches.map((b) => ({ ...b, ...sum(treated.filter((r) => r.variant === b.key)) }));
  const control = arms[0]!;
  const alpha = ALPHA / Math.max(1, arms.length - 1);
  const branches: BranchResults[] = arms.map((a, i) => ({ ...a, vsControl: i === 0 ? null : compareArms(a, control, alpha) }));
  return { experiment: test.experiment, status: test.status, chosen: test.chosen, control: control.key, branches, verdict: verdictOf(branches) };
}

function verdictOf(branches: BranchResults[]): Verdict {
  const challengers = branches.slice(1);
  const better = challengers.filter((b) => b.vsControl?.significant && b.vsControl.difference.estimate > 0);
  const best = better.sort((x, y) => (y.conversionRate ?? 0) - (x.conversionRate ?? 0))[0];
  if (best) return { kind: 'winner', branch: best.key };
  const controlWins = challengers.length > 0 && challengers.every((b) => b.vsControl?.significant && b.vsControl.difference.estimate < 0);
  if (controlWins) return { kind: 'winner', branch: branches[0]!.key };
  const needs = challengers.map((b) => b.vsControl?.moreContactsNeeded ?? null);
  return { kind: 'inconclusive', moreContactsNeeded: needs.some((n) => n === null) ? null : Math.max(...needs.map(Number)) };
}

/** The flow's goal window (default 30 days): what a branch's conversion is counted within. */
function goalWindowMs(flow: Flow): number {
  return durationMs(resolveString(flow, flow.goal?.within ?? '30d'));
}

/** Split-test and holdout results of one flow for the contacts who entered it in [from, to). */
export async function flowExperimentResults(d: Db, storeId: string, flowId: string, period: Period): Promise<FlowExperimentResults> {
  const row = await findFlow(d, storeId, flowId);
  if (!row) throw notFound(`Flow ${flowId}`);
  const flow = row.definition;
  const window = goalWindowMs(flow);
  const [holdoutRows, goalRows] = await Promise.all([
    experimentArmCounts(d, storeId, flowId, { ...period, windowMs: HOLDOUT_WINDOW_MS }),
    window === HOLDOUT_WINDOW_MS ? null : experimentArmCounts(d, storeId, flowId, { ...period, windowMs: window }),
  ]);
  return {
    flowId,
    period,
    goalWindowDays: window / 86_400_000,
    holdout: holdoutResults(flow, holdoutRows),
    experiments: testsOf(flow).map((t) => experimentResults(t, goalRows ?? holdoutRows)),
  };
}
