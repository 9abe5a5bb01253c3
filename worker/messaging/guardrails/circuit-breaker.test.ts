import { describe, expect, it } from 'vitest';
import { saveChannelPreference } from '../../db/queries/preferences';
import { upsertProductVersion } from '../../db/queries/products';
import { changeReputationState, saveReputationSettings } from '../../db/queries/reputation';
import { DEFAULT_THRESHOLDS } from '../../deliverability/rates';
import { checkSend } from './index';
import { DAY, HOUR, request, send, T0, world } from './test/world';

describe('reputation circuit breaker', () => {
  it('holds promotional email while paused; reminders and SMS continue', async () => {
    const w = await world('st_cb_paused', { smsConsent: true });
    await changeReputationState(w.d, { storeId: w.store.id, from: 'open', to: 'paused', at: T0 - HOUR, reason: 'complaints', incidentId: 'inc_1', details: {} });
    expect(await checkSend(w.ctx(T0), request())).toEqual({ action: 'defer', until: T0 + HOUR, reason: 'sending_paused' });
    expect(await checkSend(w.ctx(T0), request({ onCap: 'skip' }))).toEqual({ action: 'skip', reason: 'sending_paused' });
    expect((await checkSend(w.ctx(T0), request({ transactional: true }))).action).toBe('send');
    expect((await checkSend(w.ctx(T0), request({ channel: 'sms' }))).action).toBe('send');
  });

  it("in slow start, sends within the day's allowance and then waits for the next day", async () => {
    const w = await world('st_cb_slow');
    const other = await world('st_cb_slow', { email: 'first@example.com' });
    await saveReputationSettings(w.d, w.store.id, { ...DEFAULT_THRESHOLDS, slowStartDailyCap: 1 }, T0);
    await changeReputationState(w.d, { storeId: w.store.id, from: 'open', to: 'paused', at: T0 - 2 * DAY, reason: 'bounces', incidentId: 'inc_2', details: {} });
    await changeReputationState(w.d, { storeId: w.store.id, from: 'paused', to: 'slow_start', at: T0 - HOUR, reason: 'ack', incidentId: 'inc_2', resumedAt: T0 - HOUR, details: {} });
    expect((await send(other, request({ flowId: 'welcome' }), T0)).action).toBe('send');
    expect(await checkSend(w.ctx(T0 + 1000), request())).toEqual({ action: 'defer', until: T0 - HOUR + DAY, reason: 'slow_start_allowance' });
  });
});

describe('preference centre', () => {
  it('drops promotional sends while the contact paused a channel, and spaces them to their rhythm', async () => {
    const w = await world('st_pref');
    await saveChannelPreference(w.d, w.store.id, w.contact.id, { channel: 'email', frequency: 'paused', pausedUntil: null, mutedTopics: [] }, T0);
    expect(await checkSend(w.ctx(T0), request())).toEqual({ action: 'skip', reason: 'preference_paused' });
    expect((await checkSend(w.ctx(T0), request({ transactional: true }))).action).toBe('send');
    await saveChannelPreference(w.d, w.store.id, w.contact.id, { channel: 'email', frequency: 'weekly', pausedUntil: null, mutedTopics: [] }, T0);
    expect((await send(w, request(), T0 - 2 * DAY)).action).toBe('send');
    expect(await checkSend(w.ctx(T0), request())).toEqual({ action: 'defer', until: T0 + 5 * DAY, reason: 'preference_frequency' });
  });

  it('skips a send about a topic the contact muted: the flow topic or a recommended category', async () => {
    const w = await world('st_pref_topics');
    await upsertProductVersion(w.d, {
      storeId: w.store.id, id: 501, type: 'simple', name: 'Grill', categories: [{ id: 31, name: 'Barbecue', slug: 'barbecue' }],
      sourceModifiedAt: 1, updatedAt: 1,
    });
    await saveChannelPreference(w.d, w.store.id, w.contact.id, { channel: 'email', frequency: 'as_it_comes', pausedUntil: null, mutedTopics: ['offers', 'category:barbecue'] }, T0);
    expect(await checkSend(w.ctx(T0), request({ topics: ['offers'] }))).toEqual({ action: 'skip', reason: 'preference_topic' });
    expect(await checkSend(w.ctx(T0), request({ topics: ['news'], categories: [31] }))).toEqual({ action: 'skip', reason: 'preference_topic' });
    expect((await checkSend(w.ctx(T0), request({ topics: ['news'], categories: [99] }))).action).toBe('send');
  });
});
