import { describe, expect, it } from 'vitest';
import { findSendDecision, updateGuardrailSettings } from '../../db/queries/guardrail-settings';
import { checkSend } from './index';
import { DAY, request, send, T0, world } from './test/world';

/** Three emails of one flow on the three previous mornings. */
async function threeSent(storeId: string) {
  const w = await world(storeId);
  for (const days of [3, 2, 1]) {
    expect((await send(w, request({ idempotencyKey: `e${days}:email_1` }), T0 - days * DAY)).action).toBe('send');
  }
  return w;
}

describe('frequency cap', () => {
  it('defers the fourth email in seven days until the oldest ages out, and records why on the send', async () => {
    const w = await threeSent('st_cap_defer');
    const req = request({ idempotencyKey: 'e0:email_1' });
    const decision = await checkSend(w.ctx(T0), req);
    expect(decision).toEqual({ action: 'defer', until: T0 - 3 * DAY + 7 * DAY + 5 * 60_000, reason: 'frequency_cap_email' });
    expect(await findSendDecision(w.d, w.store.id, req.idempotencyKey)).toMatchObject({ decision: 'defer', reason: 'frequency_cap_email', deferrals: 1 });
    expect((await checkSend(w.ctx(T0 + 4 * DAY + 5 * 60_000), req)).action).toBe('send');
  });

  it('drops a capped send whose step says skip', async () => {
    const w = await threeSent('st_cap_skip');
    expect(await checkSend(w.ctx(T0), request({ onCap: 'skip' }))).toEqual({ action: 'skip', reason: 'frequency_cap_email' });
  });

  it('neither caps nor counts transactional-like reminders', async () => {
    const w = await threeSent('st_cap_tx');
    expect((await send(w, request({ transactional: true, flowId: 'abandoned-cart' }), T0)).action).toBe('send');
    await updateGuardrailSettings(w.d, w.store.id, { emailCap: 4 }, T0);
    expect((await checkSend(w.ctx(T0 + 60_000), request())).action).toBe('send');
  });

  it('keeps the last slot of the window from low-priority steps; high priority goes first on a freed slot', async () => {
    const w = await world('st_cap_priority');
    await send(w, request({ idempotencyKey: 'a:email_1' }), T0 - 2 * DAY);
    await send(w, request({ idempotencyKey: 'b:email_1' }), T0 - DAY);
    expect(await checkSend(w.ctx(T0), request({ priority: 'low' }))).toMatchObject({ action: 'defer', reason: 'frequency_cap_email' });
    expect((await checkSend(w.ctx(T0), request({ priority: 'normal' }))).action).toBe('send');
    await send(w, request({ idempotencyKey: 'c:email_1' }), T0);
    const high = await checkSend(w.ctx(T0 + 1000), request({ priority: 'high' }));
    const normal = await checkSend(w.ctx(T0 + 1000), request({ priority: 'normal' }));
    expect(high).toEqual({ action: 'defer', until: T0 + 5 * DAY, reason: 'frequency_cap_email' });
    expect(normal.action === 'defer' && high.action === 'defer' && normal.until > high.until).toBe(true);
  });

  it('caps all channels together and SMS on its own', async () => {
    const w = await world('st_cap_overall', { smsConsent: true });
    await updateGuardrailSettings(w.d, w.store.id, { overallCap: 2, smsCap: 1 }, T0);
    await send(w, request({ idempotencyKey: 'a:email_1' }), T0 - 2 * DAY);
    expect((await send(w, request({ channel: 'sms', idempotencyKey: 'a:sms' }), T0 - DAY)).action).toBe('send');
    expect(await checkSend(w.ctx(T0), request({ channel: 'sms' }))).toMatchObject({ action: 'defer', reason: 'frequency_cap_sms' });
    expect(await checkSend(w.ctx(T0), request())).toMatchObject({ action: 'defer', reason: 'frequency_cap_overall' });
  });

  it('does not count the send being decided: a retried action after its message was stored still goes', async () => {
    const w = await threeSent('st_cap_retry');
    expect((await checkSend(w.ctx(T0), request({ idempotencyKey: 'e1:email_1' }))).action).toBe('send');
  });
});
