import type { Db } from '../db/client';
import { currentConsent } from '../db/queries/consents';
import { contactSegmentIds } from '../db/queries/segment-members';
import { findVisitor } from '../db/queries/visitors';
import type { WidgetConfig } from './config';

/** A visitor first seen less than this long ago is new (one browsing session and its next-day return, no more). */
export const NEW_VISITOR_MS = 86_400_000;

/** What the audience rules need to know about the visitor of one page, read once per request and only if asked. */
export type AudienceFacts = { firstSeenAt: number | null; subscriber: boolean; segments: Set<string> };

/**
 * Reads the visitor's facts lazily: most widgets ask for none, and each costs a D1 read on a page view.
 * An unknown visitor (its first events still in the queue) is new, no subscriber and in no segment.
 */
export function audienceReader(d: Db, storeId: string, vid: string) {
  let visitor: Promise<{ firstSeenAt: number; contactId: string | null } | undefined> | undefined;
  let subscriber: Promise<boolean> | undefined;
  let segments: Promise<Set<string>> | undefined;
  const seen = () => (visitor ??= findVisitor(d, storeId, vid));
  return {
    firstSeenAt: async () => (await seen())?.firstSeenAt ?? null,
    subscriber: () =>
      (subscriber ??= seen().then(async (v) => Boolean(v?.contactId && (await currentConsent(d, storeId, v.contactId, 'email', 'marketing'))?.granted))),
    segments: () => (segments ??= seen().then(async (v) => new Set(v?.contactId ? (await contactSegmentIds(d, storeId, v.contactId)).keys() : []))),
  };
}
export type AudienceReader = ReturnType<typeof audienceReader>;

/** Does this visitor belong to the widget's audience? New visitors, subscribers and segments, all decided here. */
export async function inAudience(audience: WidgetConfig['audience'], reader: AudienceReader, now: number): Promise<boolean> {
  if (audience.newVisitorsOnly) {
    const first = await reader.firstSeenAt();
    if (first !== null && now - first > NEW_VISITOR_MS) return false;
  }
  if (audience.notSubscribers && (await reader.subscriber())) return false;
  if (audience.segmentsIn.length || audience.segmentsOut.length) {
    const member = await reader.segments();
    if (audience.segmentsIn.length && !audience.segmentsIn.some((id) => member.has(id))) return false;
    if (audience.segmentsOut.some((id) => member.has(id))) return false;
  }
  return true;
}
