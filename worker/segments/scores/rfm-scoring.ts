import type { Db } from '../../db/client';
import { buyerSummaries, findSegmentRun, saveSegmentRun, writeRfmScores, type RfmRow } from '../../db/queries/contact-scores';
import { RFM_WINDOW_DAYS, rfmBasis, scoreBuyer, type RfmBasis, type RfmScore } from '../rfm';

const DAY = 86_400_000;
const windowStart = (now: number) => now - RFM_WINDOW_DAYS * DAY;
const row = (s: RfmScore): RfmRow => ({ contactId: s.contactId, r: s.r, f: s.f, m: s.m, segment: s.segment, method: s.method });

/**
 * Scores every buyer of the store (nightly): quintiles of the store's own buyers when there are enough, fixed bands
 * otherwise. The cuts are kept so a buyer who orders before the next run is scored the same way. Returns how many.
 */
export async function scoreStoreRfm(d: Db, storeId: string, now: number): Promise<number> {
  const buyers = await buyerSummaries(d, storeId, windowStart(now));
  const basis = rfmBasis(buyers, now);
  const rows = buyers.flatMap((b) => {
    const s = scoreBuyer(b, basis, now);
    return s ? [row(s)] : [];
  });
  await writeRfmScores(d, storeId, rows, windowStart(now), now);
  await saveSegmentRun(d, storeId, { rfmBasis: basis });
  return rows.length;
}

/**
 * Rescoring of one contact after an order (or refund): against the store's last quintile cuts. A store scored by
 * bands has fewer than 200 buyers, whose median spend this order moves: it is rescored whole, which costs little.
 */
export async function rescoreBuyer(d: Db, storeId: string, contactId: string, now: number): Promise<void> {
  const basis = (await findSegmentRun(d, storeId))?.rfmBasis as RfmBasis | null | undefined;
  if (basis?.method !== 'quintiles') {
    await scoreStoreRfm(d, storeId, now);
    return;
  }
  const [buyer] = await buyerSummaries(d, storeId, windowStart(now), contactId);
  const s = buyer ? scoreBuyer(buyer, basis, now) : null;
  await writeRfmScores(d, storeId, s ? [row(s)] : [], windowStart(now), now, contactId);
}
