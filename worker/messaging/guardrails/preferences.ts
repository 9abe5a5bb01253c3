import { allowsSend, categoryTopic, preferencesFor } from '../../contacts/privacy/preferences';
import { categorySlugs } from '../../db/queries/preferences';
import type { CountedSend } from '../../db/queries/send-history';
import { capped, skip, type Blocked, type Guard } from './types';

/**
 * What the contact chose in the preference centre, per channel: a pause drops promotional sends,
 * a weekly or monthly rhythm spaces them like a personal frequency cap.
 */
export async function checkPreferences(g: Guard, sends: CountedSend[]): Promise<Blocked | null> {
  const { d, store, contact, now } = g.ctx;
  const [preferences, slugs] = await Promise.all([preferencesFor(d, store.id, contact.id), categorySlugs(d, store.id, g.req.categories)]);
  const lastSentAt = sends.filter((m) => m.channel === g.req.channel).at(-1)?.createdAt ?? null;
  const categories = slugs.map(categoryTopic);
  const topics = [...g.req.topics, ...categories];
  const verdict = allowsSend(preferences, { channel: g.req.channel, topics, now, lastSentAt, transactional: g.req.transactional });
  if (verdict.allowed) return null;
  const reason = `preference_${verdict.reason}`;
  return verdict.reason === 'frequency' && verdict.retryAt !== null ? capped(g.req, verdict.retryAt, reason) : skip(reason);
}
