import type { ContactDomainEvent } from '../../contacts/domain-events';
import type { Db } from '../../db/client';
import type { ProviderEventKind } from '../../db/schema';
import { findContactScore, findSegmentRun, writeLeadScore } from '../../db/queries/contact-scores';
import { applyLeadEvent, type LeadScoreState } from '../lead-score';
import { leadSettingsOf } from './lead-settings';

/** The lead-score kind each domain event counts as (events not listed score nothing). */
const LEAD_KINDS: Partial<Record<ContactDomainEvent['type'], string>> = {
  page_view: 'page_view',
  product_view: 'product_view',
  cart_updated: 'add_to_cart',
  checkout_started: 'checkout_started',
  'message.opened': 'email_opened',
  'message.clicked': 'email_clicked',
  'order.placed': 'order_placed',
  'sms.stop': 'unsubscribed',
};

export const leadKindOf = (event: ContactDomainEvent): string | undefined => LEAD_KINDS[event.type];

/** Provider verdicts that lower the score (they are not contact domain events, so the provider ingest reports them). */
const PROVIDER_LEAD_KINDS: Partial<Record<ProviderEventKind, string>> = { hard_bounce: 'bounced', complaint: 'complained', unsubscribe: 'unsubscribed' };
export const providerLeadKind = (kind: ProviderEventKind): string | undefined => PROVIDER_LEAD_KINDS[kind];

/** Attempts at the compare-and-set write before giving up (another delivery for the contact kept winning). */
const ATTEMPTS = 3;

/**
 * Applies signals to one contact's lead score: one read and one write whatever the history (the stored score is exact
 * at its time and decays from there). `signals` are (kind, time) pairs; returns the new state.
 */
export async function applyLeadSignals(d: Db, storeId: string, contactId: string, signals: { kind: string; at: number }[]): Promise<LeadScoreState | null> {
  if (signals.length === 0) return null;
  const config = leadSettingsOf((await findSegmentRun(d, storeId))?.leadScoreConfig);
  const ordered = [...signals].sort((a, b) => a.at - b.at);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const row = await findContactScore(d, storeId, contactId);
    const readAt = row?.leadScoreAt ?? null;
    let state: LeadScoreState = row && readAt !== null ? { score: row.leadScore, updatedAt: readAt, used: row.leadScoreCaps } : { score: 0, updatedAt: ordered[0]?.at ?? 0, used: {} };
    for (const s of ordered) state = applyLeadEvent(state, s.kind, s.at, config);
    if (await writeLeadScore(d, storeId, contactId, { score: state.score, at: state.updatedAt, caps: state.used }, readAt)) return state;
  }
  throw new Error(`lead score of ${contactId} kept changing under us`);
}
