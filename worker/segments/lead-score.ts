/**
 * Lead score with exponential decay, kept in O(1) per event: the stored score is exact at `updatedAt`, and its
 * value at any later time is score · 2^(−Δt / half-life). Points are repeatable, capped per group and fixed
 * period (so a shopper refreshing a page ten times is not a hot lead), and negative for unsubscribes,
 * bounces and complaints.
 */
export type LeadScoreConfig = {
  halfLifeDays: number;
  points: Record<string, { points: number; group: string }>;
  /** Most points a group may add per period; groups without a cap are unlimited. */
  caps: Record<string, { points: number; periodDays: number }>;
};

export type LeadScoreState = {
  score: number;
  updatedAt: number;
  /** Points already added per group in its current period (period start → points). */
  used: Record<string, { periodStart: number; points: number }>;
};

const DAY = 86_400_000;

export const DEFAULT_LEAD_SCORE: LeadScoreConfig = {
  halfLifeDays: 30,
  points: {
    page_view: { points: 1, group: 'browsing' },
    product_view: { points: 2, group: 'browsing' },
    add_to_cart: { points: 5, group: 'cart' },
    checkout_started: { points: 8, group: 'cart' },
    email_opened: { points: 2, group: 'email' },
    email_clicked: { points: 5, group: 'email' },
    order_placed: { points: 20, group: 'orders' },
    unsubscribed: { points: -30, group: 'negative' },
    bounced: { points: -10, group: 'negative' },
    complained: { points: -50, group: 'negative' },
  },
  caps: {
    browsing: { points: 15, periodDays: 7 },
    cart: { points: 20, periodDays: 7 },
    email: { points: 15, periodDays: 7 },
  },
};

export const emptyLeadScore = (now: number): LeadScoreState => ({ score: 0, updatedAt: now, used: {} });

/** The score as it stands at `now` (events only ever move it at their own time). */
export function leadScoreAt(state: LeadScoreState, now: number, config: LeadScoreConfig = DEFAULT_LEAD_SCORE): number {
  const elapsed = Math.max(0, now - state.updatedAt);
  return state.score * 2 ** (-elapsed / (config.halfLifeDays * DAY));
}

/** Applies one event at time `at` (events arrive in time order; a late one is applied at the state's time). */
export function applyLeadEvent(state: LeadScoreState, kind: string, at: number, config: LeadScoreConfig = DEFAULT_LEAD_SCORE): LeadScoreState {
  const rule = config.points[kind];
  const now = Math.max(at, state.updatedAt);
  const decayed = leadScoreAt(state, now, config);
  if (!rule) return { ...state, score: decayed, updatedAt: now };
  const cap = config.caps[rule.group];
  if (!cap || rule.points < 0) return { ...state, score: decayed + rule.points, updatedAt: now };
  const periodStart = Math.floor(now / (cap.periodDays * DAY)) * cap.periodDays * DAY;
  const usage = state.used[rule.group];
  const already = usage && usage.periodStart === periodStart ? usage.points : 0;
  const granted = Math.max(0, Math.min(rule.points, cap.points - already));
  return {
    score: decayed + granted,
    updatedAt: now,
    used: { ...state.used, [rule.group]: { periodStart, points: already + granted } },
  };
}
