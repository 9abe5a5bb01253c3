import type { Db } from '../../db/client';
import { findContactScore, findSegmentRun, type ContactScoreRow } from '../../db/queries/contact-scores';
import { contactSegmentIds } from '../../db/queries/segment-members';
import { leadScoreAt } from '../lead-score';
import { RFM_SEGMENT_NAMES, type RfmSegment } from '../rfm';
import { leadSettingsOf } from './lead-settings';

export type ContactScores = {
  rfm: { r: number; f: number; m: number; segment: RfmSegment; name: { fr: string; en: string }; method: 'quintiles' | 'bands'; computedAt: number } | null;
  leadScore: { value: number; updatedAt: number | null; halfLifeDays: number; hot: boolean };
  segments: { id: string; since: number }[];
  prediction: ContactPrediction | null;
};

/** Next order (worker/predictions/): BG/NBD figures are null when the store is scored by gaps alone. */
export type ContactPrediction = {
  nextOrderAt: number;
  pAlive: number | null;
  expectedOrders90d: number | null;
  method: 'median_gap' | 'bgnbd';
  bestSendHour: number | null;
};

const predictionOf = (row: ContactScoreRow | undefined): ContactPrediction | null =>
  row?.nextOrderAt != null && row.predictionMethod != null
    ? { nextOrderAt: row.nextOrderAt, pAlive: row.pAlive, expectedOrders90d: row.expectedOrders90d, method: row.predictionMethod, bestSendHour: row.bestSendHour }
    : null;

const isRfmSegment = (s: string | null): s is RfmSegment => s !== null && s in RFM_SEGMENT_NAMES;

/** What GET /api/contacts/:id shows of scoring: RFM and the method that scored it, the lead score as of `now`, memberships. */
export async function contactScores(d: Db, storeId: string, contactId: string, now: number): Promise<ContactScores> {
  const [row, run, memberships] = await Promise.all([findContactScore(d, storeId, contactId), findSegmentRun(d, storeId), contactSegmentIds(d, storeId, contactId)]);
  const settings = leadSettingsOf(run?.leadScoreConfig);
  const rfm =
    row && isRfmSegment(row.rfmSegment) && row.r !== null && row.f !== null && row.m !== null && row.rfmMethod !== null
      ? { r: row.r, f: row.f, m: row.m, segment: row.rfmSegment, name: RFM_SEGMENT_NAMES[row.rfmSegment], method: row.rfmMethod, computedAt: row.computedAt }
      : null;
  const at = row?.leadScoreAt ?? null;
  const value = row && at !== null ? leadScoreAt({ score: row.leadScore, updatedAt: at, used: {} }, now, settings) : 0;
  return {
    rfm,
    leadScore: { value: Math.round(value * 100) / 100, updatedAt: at, halfLifeDays: settings.halfLifeDays, hot: value >= settings.hotThreshold },
    segments: [...memberships].map(([id, since]) => ({ id, since })),
    prediction: predictionOf(row),
  };
}
