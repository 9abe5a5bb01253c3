import type { NewSegment } from '../../db/queries/segment-members';
import type { SegmentRules } from '../../db/queries/segment-sql';
import { RFM_SEGMENT_NAMES, RFM_SEGMENTS, type RfmSegment } from '../rfm';

/** Raise when a built-in definition changes: stores' copies older than this are rewritten on the next run. */
export const BUILT_IN_VERSION = 2;
export const HOT_LEAD = 'hot-lead';
const HOT_LEAD_NAMES = { en: 'Hot leads', fr: 'Prospects chauds' };
/**
 * Buyers whose BG/NBD probability of being alive fell under CHURN_RISK_P_ALIVE (stores fitted by BG/NBD only): entering
 * it is the win-back's cue to act before they lapse (name it in the win-back's segment setting).
 */
export const CHURN_RISK = 'churn-risk';
export const CHURN_RISK_P_ALIVE = 0.3;
const CHURN_RISK_NAMES = { en: 'Churn risk', fr: 'Risque de départ' };

/** `rfm-at-risk` for `at_risk`: the id a flow's segment trigger names (e.g. win-back on entering At Risk). */
export const rfmSegmentId = (segment: RfmSegment): string => `rfm-${segment.replaceAll('_', '-')}`;

export const hotLeadRules = (threshold: number): SegmentRules => ({ version: 1, match: { all: [{ kind: 'lead_score', op: 'gte', value: threshold }] } });

/** The 11 RFM segments, the hot-lead and churn-risk segments every store has; the hot-lead threshold is the store's setting. */
export function builtInSegments(storeId: string, hotThreshold: number, now: number): NewSegment[] {
  const base = { storeId, version: BUILT_IN_VERSION, builtIn: true, createdAt: now, updatedAt: now };
  const rfm = RFM_SEGMENTS.map((s): NewSegment => {
    const rules: SegmentRules = { version: 1, match: { all: [{ kind: 'rfm', segments: [s] }] } };
    return { ...base, id: rfmSegmentId(s), nameEn: RFM_SEGMENT_NAMES[s].en, nameFr: RFM_SEGMENT_NAMES[s].fr, rules };
  });
  const churn: SegmentRules = { version: 1, match: { all: [{ kind: 'churn_risk', pAliveBelow: CHURN_RISK_P_ALIVE }] } };
  return [
    ...rfm,
    { ...base, id: HOT_LEAD, nameEn: HOT_LEAD_NAMES.en, nameFr: HOT_LEAD_NAMES.fr, rules: hotLeadRules(hotThreshold) },
    { ...base, id: CHURN_RISK, nameEn: CHURN_RISK_NAMES.en, nameFr: CHURN_RISK_NAMES.fr, rules: churn },
  ];
}
