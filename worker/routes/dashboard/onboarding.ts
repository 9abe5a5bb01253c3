import { storeFlows } from '../../contacts/runtime/flow-admin';
import type { Db } from '../../db/client';
import { lastBrowserEventAt, senderReadiness, webhookRejectionsSince } from '../../db/queries/onboarding';
import type { Store } from '../../db/queries/stores';
import type { OnboardingFacts } from '../../dashboard/views/onboarding';

const WEEK_MS = 7 * 86_400_000;

/** What the overview's checklist shows: each fact read from D1 (flows installed on first sight, like the flows page). */
export async function loadOnboarding(d: Db, store: Store, now: number): Promise<OnboardingFacts> {
  const [sender, flows, trackerSeenAt, rejected] = await Promise.all([
    senderReadiness(d, store.id),
    storeFlows(d, store.id, now),
    lastBrowserEventAt(d, store.id, now - WEEK_MS),
    webhookRejectionsSince(d, store.id, now),
  ]);
  return {
    connectedAt: store.connectedAt,
    sender,
    flows: { enabled: flows.filter((f) => f.enabled).length, total: flows.length },
    trackerSeenAt,
    rejected,
  };
}
