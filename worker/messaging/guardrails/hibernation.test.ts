import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { appendConsents } from '../../db/queries/consents';
import { updateGuardrailSettings } from '../../db/queries/guardrail-settings';
import { findHibernation, hibernationStats } from '../../db/queries/hibernation';
import { findMessage } from '../../db/queries/messages';
import { messageIdFor } from '../email/deliver';
import { recordOpen } from '../email/tracking';
import { markHibernatedContacts } from './hibernation';
import { checkSend } from './index';
import { DAY, HOUR, request, send, T0, visit, world } from './test/world';

describe('hibernation', () => {
  it('excludes a contact with no activity for 90 days from promotional sends, not from reminders', async () => {
    const w = await world('st_hib_idle', { createdAt: T0 - 120 * DAY });
    expect(await checkSend(w.ctx(T0), request())).toEqual({ action: 'skip', reason: 'hibernated' });
    expect((await checkSend(w.ctx(T0), request({ transactional: true }))).action).toBe('send');
  });

  it('counts visits, orders and clicks recorded by ingestion as activity; the window is configurable', async () => {
    const w = await world('st_hib_active', { createdAt: T0 - 400 * DAY });
    await visit(w, T0 - 60 * DAY);
    expect((await checkSend(w.ctx(T0), request())).action).toBe('send');
    await updateGuardrailSettings(w.d, w.store.id, { hibernationDays: 30 }, T0);
    expect(await checkSend(w.ctx(T0), request())).toEqual({ action: 'skip', reason: 'hibernated' });
    await visit(w, T0 - 10 * DAY, 'message.clicked');
    expect((await checkSend(w.ctx(T0), request())).action).toBe('send');
  });

  it('is marked by the scheduled job for the counts, and new activity wakes the contact at once', async () => {
    const w = await world('st_hib_job', { createdAt: T0 - 200 * DAY });
    const awake = await world('st_hib_job', { createdAt: T0 - 200 * DAY, email: 'awake@example.com' });
    await visit(awake, T0 - DAY);
    await markHibernatedContacts(env, T0);
    expect(await hibernationStats(w.d, w.store.id)).toMatchObject({ hibernated: 1, checked: 2, lastCheckedAt: T0 });
    expect((await findHibernation(w.d, w.store.id, w.contact.id))?.hibernatedAt).toBe(T0);

    await visit(w, T0 + 1000, 'product_view');
    expect((await checkSend(w.ctx(T0 + 2000), request())).action).toBe('send');
    expect(await hibernationStats(w.d, w.store.id)).toMatchObject({ hibernated: 0 });
    await markHibernatedContacts(env, T0 + DAY);
    expect((await findHibernation(w.d, w.store.id, w.contact.id))?.hibernatedAt).toBeNull();
  });

  it('runs in its turn: a send an earlier rule blocks neither wakes a marked contact nor reports hibernation', async () => {
    const w = await world('st_hib_turn', { createdAt: T0 - 200 * DAY });
    await markHibernatedContacts(env, T0);
    const grant = { storeId: w.store.id, contactId: w.contact.id, channel: 'email' as const, purpose: 'marketing' as const, source: 'api' as const };
    await appendConsents(w.d, [{ ...grant, granted: false, occurredAt: T0 + 500 }]);
    // Withdrawn consent comes first in the order, though the contact is hibernated too.
    expect(await checkSend(w.ctx(T0 + 600), request())).toEqual({ action: 'skip', reason: 'email_consent_withdrawn' });
    await visit(w, T0 + 1000, 'product_view');
    expect(await checkSend(w.ctx(T0 + 2000), request())).toEqual({ action: 'skip', reason: 'email_consent_withdrawn' });
    expect((await findHibernation(w.d, w.store.id, w.contact.id))?.hibernatedAt).toBe(T0);
    await appendConsents(w.d, [{ ...grant, granted: true, occurredAt: T0 + 3000 }]);
    expect((await checkSend(w.ctx(T0 + 4000), request())).action).toBe('send');
    expect((await findHibernation(w.d, w.store.id, w.contact.id))?.hibernatedAt).toBeNull();
  });

  it('wakes at once when the contact opens a reminder through the tracking pixel', async () => {
    const w = await world('st_hib_open', { createdAt: T0 - 120 * DAY });
    const reminder = request({ transactional: true, flowId: 'abandoned-cart' });
    expect((await send(w, reminder, T0)).action).toBe('send');
    expect(await checkSend(w.ctx(T0 + HOUR), request())).toEqual({ action: 'skip', reason: 'hibernated' });
    const message = await findMessage(w.d, w.store.id, await messageIdFor(w.store.id, reminder.idempotencyKey));
    await recordOpen(env, w.d, message!, T0 + 2 * HOUR);
    expect((await checkSend(w.ctx(T0 + 3 * HOUR), request())).action).toBe('send');
  });

  it('scans a store about once a day, not on every cron tick', async () => {
    const w = await world('st_hib_daily', { createdAt: T0 - 200 * DAY });
    await markHibernatedContacts(env, T0);
    await visit(w, T0 + 1000);
    await markHibernatedContacts(env, T0 + 15 * 60_000);
    expect(await hibernationStats(w.d, w.store.id)).toMatchObject({ hibernated: 1, lastCheckedAt: T0 });
    await markHibernatedContacts(env, T0 + DAY);
    expect(await hibernationStats(w.d, w.store.id)).toMatchObject({ hibernated: 0, lastCheckedAt: T0 + DAY });
  });
});
