import type { GuardrailSettings } from '../../db/queries/guardrail-settings';
import type { SegmentGuardrail } from '../../db/queries/segment-guardrails';
import type { Limit } from './frequency-cap';
import { skip, type Blocked, type SendRequest } from './types';

const DAY_MS = 86_400_000;

/**
 * Guardrails the owner scoped to a segment (`rules`: those of the segments the contact is in now, read with the
 * store's settings). Only promotional sends are concerned: a cart reminder the contact asked for still goes.
 */
export function checkSegmentExclusion(req: SendRequest, rules: SegmentGuardrail[]): Blocked | null {
  if (req.transactional) return null;
  return rules.some((r) => r.exclude) ? skip('segment_excluded') : null;
}

/** A segment's cap counts the promotional messages of the send's channel, like the store's own channel caps. */
export function segmentLimits(req: SendRequest, rules: SegmentGuardrail[]): Limit[] {
  return rules.flatMap((r) =>
    r.cap === null ? [] : [{ name: 'segment', cap: r.cap, windowMs: r.windowDays * DAY_MS, counts: (m) => m.channel === req.channel }],
  );
}

/** The store's settings as they apply to a member: the shortest hibernation delay of theirs and their segments'. */
export function memberSettings(settings: GuardrailSettings, rules: SegmentGuardrail[]): GuardrailSettings {
  const days = rules.flatMap((r) => (r.hibernationDays === null ? [] : [r.hibernationDays]));
  return days.length === 0 ? settings : { ...settings, hibernationDays: Math.min(settings.hibernationDays, ...days) };
}

/** The windows of the segment caps, so the send history read covers them. */
export const segmentWindowDays = (rules: SegmentGuardrail[]): number[] => rules.filter((r) => r.cap !== null).map((r) => r.windowDays);
