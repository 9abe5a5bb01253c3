import { describe, expect, it } from 'vitest';
import { findContactScore } from '../db/queries/contact-scores';
import { findOrCreateContactByEmail } from '../db/queries/contacts';
import { insertEvents } from '../db/queries/events';
import { findStorePredictions } from '../db/queries/predictions';
import { checkSend } from '../messaging/guardrails/index';
import { request, visit, world, type World } from '../messaging/guardrails/test/world';
import { predictStore } from './run';

const paris = (day: number, hour: number, minute = 0) => Date.UTC(2026, 10, day, hour - 1, minute);

/** Another contact of the store who opens at `hour` (Paris) on each of `days`. */
async function opener(w: World, email: string, hour: number, days: number[]): Promise<string> {
  const { contact } = await findOrCreateContactByEmail(w.d, w.store.id, email, paris(1, 8));
  await insertEvents(
    w.d,
    days.map((day) => ({
      storeId: w.store.id, eventKey: `o:${email}:${day}`, type: 'message.opened', visitorId: null, contactId: contact.id,
      properties: {}, source: 'server' as const, occurredAt: paris(day, hour, 10), receivedAt: paris(day, hour, 10),
    })),
  );
  return contact.id;
}

describe('send-time optimisation learnt from the store', () => {
  it("sends a contact with no history at the store's best hour once the nightly run has learnt it", async () => {
    const w = await world('sto_learned');
    const other = await opener(w, 'fan@sto.test', 19, [2, 3, 4, 5, 6, 7, 8, 9]);
    // Before any learning: no history, no move (the per-contact threshold rules).
    expect((await checkSend(w.ctx(paris(24, 10)), request())).action).toBe('send');
    await predictStore(w.d, w.store.id, paris(20, 3));
    const learned = await findStorePredictions(w.d, w.store.id);
    expect(learned?.bestSendHour).toBe(19);
    expect((await findContactScore(w.d, w.store.id, other))?.bestSendHour).toBe(19);
    expect(await checkSend(w.ctx(paris(24, 10)), request())).toEqual({ action: 'defer', until: paris(24, 19), reason: 'send_time' });
  });

  it("follows the contact's own hour once their history outweighs the store's prior", async () => {
    const w = await world('sto_own');
    await opener(w, 'fan@own.test', 19, [2, 3, 4, 5, 6, 7, 8, 9]);
    await visit(w, paris(10, 9, 15), 'message.opened');
    await predictStore(w.d, w.store.id, paris(20, 3));
    // One open at 09:00 weighs less than the store's prior of 8 events mostly at 19:00.
    expect(await checkSend(w.ctx(paris(24, 12)), request())).toEqual({ action: 'defer', until: paris(24, 19), reason: 'send_time' });
    for (const day of [11, 12, 13, 14, 15, 16, 17, 18, 19]) await visit(w, paris(day, 9, 15), 'message.opened');
    expect(await checkSend(w.ctx(paris(24, 12)), request())).toEqual({ action: 'defer', until: paris(25, 9), reason: 'send_time' });
  });
});
