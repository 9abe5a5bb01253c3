import type { GuardrailSettings } from '../../db/queries/guardrail-settings';
import type { CountedSend } from '../../db/queries/send-history';
import { localParts, zonedToUtc } from '../../lib/time';
import { localHourOn } from './send-window';
import { capped, type Blocked, type Guard, type SendPriority, type SendRequest } from './types';

const DAY_MS = 86_400_000;
/** Long enough for the one-flow-per-day rule and a "monthly" preference-centre rhythm too. */
const MONTHLY_PREFERENCE_DAYS = 31;

/** When several sends wait for the same freed slot, the higher priority's timer rings first. */
const PRIORITY_DELAY_MS: Record<SendPriority, number> = { high: 0, normal: 5 * 60_000, low: 10 * 60_000 };

export type Limit = { name: string; cap: number; windowMs: number; counts: (s: CountedSend) => boolean };

function limitsFor(req: SendRequest, s: GuardrailSettings): Limit[] {
  const channel: Limit =
    req.channel === 'email'
      ? { name: 'email', cap: s.emailCap, windowMs: s.emailWindowDays * DAY_MS, counts: (m) => m.channel === 'email' }
      : { name: 'sms', cap: s.smsCap, windowMs: s.smsWindowDays * DAY_MS, counts: (m) => m.channel === 'sms' };
  return [channel, { name: 'overall', cap: s.overallCap, windowMs: s.overallWindowDays * DAY_MS, counts: () => true }];
}

/** How far back the sends must be read to judge every rule (`extraDays`: the windows of segment-scoped caps). */
export function historySince(now: number, s: GuardrailSettings, extraDays: number[] = []): number {
  return now - Math.max(s.emailWindowDays, s.smsWindowDays, s.overallWindowDays, MONTHLY_PREFERENCE_DAYS, ...extraDays) * DAY_MS;
}

/**
 * At most `cap` marketing messages per rolling window, per channel and overall, and under the caps of the
 * segments the contact is in (`extra`). A low-priority step leaves the last slot of each window to the others.
 * A capped send waits until enough of the window's messages have aged out (`sends` is oldest first), plus its
 * priority's delay.
 */
export function frequencyCap(req: SendRequest, s: GuardrailSettings, sends: CountedSend[], now: number, extra: Limit[] = []): Blocked | null {
  let until = 0;
  let reason = '';
  for (const limit of [...limitsFor(req, s), ...extra]) {
    const allowed = req.priority === 'low' && limit.cap > 1 ? limit.cap - 1 : limit.cap;
    const inWindow = sends.filter((m) => limit.counts(m) && m.createdAt > now - limit.windowMs);
    if (inWindow.length < allowed) continue;
    const freedAt = inWindow[inWindow.length - allowed]!.createdAt + limit.windowMs;
    if (freedAt > until) [until, reason] = [freedAt, `frequency_cap_${limit.name}`];
  }
  return until > 0 ? capped(req, until + PRIORITY_DELAY_MS[req.priority], reason) : null;
}

/**
 * No two flows reach the contact on the same local day; the other flow's send only counts when
 * it was marketing (transactional-like sends are not in `sends`). The later one waits for the
 * next morning.
 */
export function oneFlowPerDay(g: Guard, sends: CountedSend[]): Blocked | null {
  if (!g.settings.oneFlowPerDay || g.req.transactional) return null;
  const { now } = g.ctx;
  const p = localParts(now, g.timeZone);
  const midnight = zonedToUtc(p.year, p.month, p.day, 0, 0, g.timeZone);
  const other = sends.some((m) => m.createdAt >= midnight && m.flowId !== g.req.flowId);
  if (!other) return null;
  return capped(g.req, localHourOn(now, g.timeZone, 1, g.settings.wakeHour), 'same_day_other_flow');
}

