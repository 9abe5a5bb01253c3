import { sharedRead } from '../../contacts/executors/types';
import { sendingState, stateRow } from '../../deliverability/breaker';
import { capped, type Blocked, type Guard } from './types';

const RECHECK_MS = 60 * 60_000;

/**
 * While the store's reputation breaker is tripped, promotional email waits (or is dropped, as the
 * step says); in slow start it goes out only within the day's allowance. Reminders continue.
 */
export async function checkCircuitBreaker(g: Guard): Promise<Blocked | null> {
  if (g.req.transactional || g.req.channel !== 'email') return null;
  const { d, store, now } = g.ctx;
  // The breaker's state is the store's (a batch reads it once); the slow-start count stays fresh for each send.
  const state = await sendingState(d, store.id, now, () => sharedRead(g.ctx, `breaker:${store.id}`, () => stateRow(d, store.id)));
  if (state.promotional === 'paused') return capped(g.req, now + RECHECK_MS, 'sending_paused');
  if (state.promotional === 'slow_start' && state.allowance <= 0) return capped(g.req, state.resetsAt, 'slow_start_allowance');
  return null;
}
