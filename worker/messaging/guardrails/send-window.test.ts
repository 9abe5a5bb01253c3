import { describe, expect, it } from 'vitest';
import { appendConsents } from '../../db/queries/consents';
import { findContact, findOrCreateContactByEmail } from '../../db/queries/contacts';
import { updateGuardrailSettings } from '../../db/queries/guardrail-settings';
import { contacts } from '../../db/schema';
import { checkSend } from './index';
import { bestHour, nextWakingTime } from './send-window';
import { contactTimeZone } from '../../contacts/time-zone';
import { DAY, HOUR, request, T0, visit, world } from './test/world';
import { and, eq } from 'drizzle-orm';
import { loadContactFacts } from '../../contacts/runtime/contact-facts';
import { abandonedCart } from '../../journeys/presets/abandoned-cart';
import { brief, JourneySimulator } from '../../journeys/simulate';

const paris = (day: number, hour: number, minute = 0) => Date.UTC(2026, 10, day, hour - 1, minute);
const WAKING = { wakeHour: 8, sleepHour: 21 };

describe('waking hours', () => {
  it('computes the next local wake-up across midnight and in the early morning', () => {
    expect(nextWakingTime(paris(24, 23, 30), 'Europe/Paris', WAKING)).toBe(paris(25, 8));
    expect(nextWakingTime(paris(24, 6), 'Europe/Paris', WAKING)).toBe(paris(24, 8));
    expect(nextWakingTime(paris(24, 12), 'Europe/Paris', WAKING)).toBe(paris(24, 12));
  });

  it('holds a promotional email sent at night until the contact wakes; reminders by email go at once', async () => {
    const w = await world('st_win_night');
    expect(await checkSend(w.ctx(paris(24, 23)), request())).toEqual({ action: 'defer', until: paris(25, 8), reason: 'quiet_hours' });
    expect((await checkSend(w.ctx(paris(24, 23)), request({ transactional: true }))).action).toBe('send');
  });

  it('never texts at night, not even a reminder', async () => {
    const w = await world('st_win_sms', { smsConsent: true });
    expect(await checkSend(w.ctx(paris(24, 22)), request({ channel: 'sms', transactional: true }))).toEqual({
      action: 'defer',
      until: paris(25, 8),
      reason: 'quiet_hours',
    });
  });

  it("uses the contact's own time zone before the store's, and the store's waking hours", async () => {
    const w = await world('st_win_zone');
    await w.d.update(contacts).set({ timezone: 'America/New_York' }).where(and(eq(contacts.storeId, w.store.id), eq(contacts.id, w.contact.id)));
    const contact = (await findContact(w.d, w.store.id, w.contact.id))!;
    const ctx = { ...w.ctx(paris(24, 10)), contact };
    // 10:00 in Paris is 04:00 in New York: wait for 08:00 there (14:00 in Paris).
    expect(await checkSend(ctx, request())).toEqual({ action: 'defer', until: paris(24, 14), reason: 'quiet_hours' });
    await updateGuardrailSettings(w.d, w.store.id, { wakeHour: 4 }, T0);
    expect((await checkSend(ctx, request())).action).toBe('send');
  });
});

describe('time zone', () => {
  it("falls back to the zone of the contact's locale region, then to the store's", () => {
    const store = { timezone: 'Europe/Paris' };
    expect(contactTimeZone({ timezone: 'America/New_York', geoTimezone: 'Asia/Tokyo', locale: 'fr-FR' }, store)).toBe('America/New_York');
    expect(contactTimeZone({ timezone: null, geoTimezone: 'America/Montreal', locale: 'fr-FR' }, store)).toBe('America/Montreal');
    expect(contactTimeZone({ timezone: null, geoTimezone: 'Not/AZone', locale: 'fr-BE' }, store)).toBe('Europe/Brussels');
    expect(contactTimeZone({ timezone: 'Not/AZone', geoTimezone: null, locale: 'en_GB' }, store)).toBe('Europe/London');
    expect(contactTimeZone({ timezone: null, geoTimezone: null, locale: 'fr-CA' }, store)).toBe('Europe/Paris');
    expect(contactTimeZone({ timezone: null, geoTimezone: null, locale: 'fr' }, store)).toBe('Europe/Paris');
  });

  it('holds an email to a British-locale contact of a French store until 08:00 in London', async () => {
    const w = await world('st_win_locale');
    const { contact } = await findOrCreateContactByEmail(w.d, w.store.id, 'tom@example.co.uk', T0 - DAY, { locale: 'en-GB' });
    await appendConsents(w.d, [{ storeId: w.store.id, contactId: contact.id, channel: 'email', purpose: 'marketing', granted: true, source: 'checkout', occurredAt: T0 - DAY }]);
    const ctx = { ...w.ctx(paris(24, 8, 30)), contact };
    expect(await checkSend(ctx, request())).toEqual({ action: 'defer', until: paris(24, 9), reason: 'quiet_hours' });
  });
});

describe('send-time optimization', () => {
  it('finds the busiest local hour once there is enough history', () => {
    const clicks = [paris(1, 19, 5), paris(2, 19, 40), paris(3, 12), paris(4, 19, 10), paris(5, 7)];
    expect(bestHour(clicks, 'Europe/Paris', 5, WAKING)).toBe(19);
    expect(bestHour(clicks.slice(0, 4), 'Europe/Paris', 5, WAKING)).toBeNull();
    expect(bestHour([paris(1, 23), paris(2, 23)], 'Europe/Paris', 2, WAKING)).toBeNull();
  });

  it('moves a promotional send to the best hour, sends during it, and does not move it twice', async () => {
    const w = await world('st_sto');
    for (const day of [10, 11, 12, 13, 14]) await visit(w, paris(day, 19, 15), 'message.opened');
    const req = request();
    expect(await checkSend(w.ctx(paris(24, 10)), req)).toEqual({ action: 'defer', until: paris(24, 19), reason: 'send_time' });
    expect((await checkSend(w.ctx(paris(24, 19, 1)), req)).action).toBe('send');
    const again = request();
    expect((await checkSend(w.ctx(paris(24, 10)), again)).action).toBe('defer');
    for (const day of [15, 16, 17, 18, 19, 20]) await visit(w, paris(day, 9, 15), 'message.clicked');
    expect((await checkSend(w.ctx(paris(24, 19, 1) + DAY - 2 * HOUR), again)).action).toBe('send');
  });

  it('stays off below the history threshold, for reminders, and when the store turns it off', async () => {
    const w = await world('st_sto_off');
    for (const day of [10, 11, 12, 13]) await visit(w, paris(day, 19, 15), 'message.opened');
    expect((await checkSend(w.ctx(paris(24, 10)), request())).action).toBe('send');
    await visit(w, paris(14, 19, 15), 'message.opened');
    expect((await checkSend(w.ctx(paris(24, 10)), request({ transactional: true }))).action).toBe('send');
    await updateGuardrailSettings(w.d, w.store.id, { sendTimeOptimization: false }, T0);
    expect((await checkSend(w.ctx(paris(24, 10)), request())).action).toBe('send');
  });
});

describe("the store's SMS window", () => {
  // Tuesday 24 to Monday 30 November 2026; the 28th is a Saturday.
  const window = { smsOpens: '10:00', smsCloses: '20:00', smsDays: [1, 2, 3, 4, 5, 6] };

  it('texts only inside the hours and weekdays of the guardrail settings, even where waking hours allow', async () => {
    const w = await world('st_win_smswin', { smsConsent: true });
    await updateGuardrailSettings(w.d, w.store.id, window, T0);
    const sms = (transactional: boolean) => request({ channel: 'sms', transactional });
    expect(await checkSend(w.ctx(paris(24, 9)), sms(true))).toEqual({ action: 'defer', until: paris(24, 10), reason: 'quiet_hours' });
    expect((await checkSend(w.ctx(paris(24, 10)), sms(true))).action).toBe('send');
    expect(await checkSend(w.ctx(paris(24, 20, 30)), sms(false))).toEqual({ action: 'defer', until: paris(25, 10), reason: 'quiet_hours' });
    // Saturday evening and Sunday wait for Monday morning.
    expect(await checkSend(w.ctx(paris(28, 20, 30)), sms(true))).toEqual({ action: 'defer', until: paris(30, 10), reason: 'quiet_hours' });
    expect(await checkSend(w.ctx(paris(29, 12)), sms(true))).toEqual({ action: 'defer', until: paris(30, 10), reason: 'quiet_hours' });
    // Email keeps the waking hours.
    expect((await checkSend(w.ctx(paris(24, 9)), request())).action).toBe('send');
  });

  it('reaches step() through the contact facts: a cart SMS due at 20:30 waits for the next opening', async () => {
    const w = await world('st_win_smsfacts', { smsConsent: true });
    await updateGuardrailSettings(w.d, w.store.id, window, T0);
    const facts = await loadContactFacts(w.d, w.store, w.contact);
    expect(facts.smsWindow).toEqual({ opens: '10:00', closes: '20:00', days: [1, 2, 3, 4, 5, 6] });
    // Cart at 19:00 on Saturday: email at 19:30, SMS due at 20:30, held until Monday 10:00.
    const sim = new JourneySimulator([{ ...abandonedCart, enabled: true, holdoutPercent: 0 }], facts, paris(28, 19));
    sim.emit({ type: 'cart_updated', cart: { value: 40, itemCount: 1, lines: [{ productId: 10, quantity: 1, price: 40 }] } });
    expect(brief(sim.advanceTo(paris(30, 9, 59))).filter((a) => a.startsWith('send_'))).toEqual(['send_email cart.reminder.1']);
    expect(brief(sim.advanceTo(paris(30, 10))).filter((a) => a.startsWith('send_'))).toEqual(['send_sms cart.reminder.sms']);
  });
});
