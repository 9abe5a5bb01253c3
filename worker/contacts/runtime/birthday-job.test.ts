import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { findOrCreateContactByEmail, updateContactProfile } from '../../db/queries/contacts';
import { upsertStore } from '../../db/queries/stores';
import { daysInProgress, isBirthdayToday, publishBirthdays } from './birthday-job';
import { contactAgentName } from '../domain-events';

const d = () => db(env.DB);
const auth = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
/** 2026-03-10 23:30 UTC: already the 11th in Tokyo, still the 10th in New York. */
const NOW = Date.UTC(2026, 2, 10, 23, 30);

describe('birthdays', () => {
  it('knows which calendar days are in progress somewhere and keeps 29 February on the 28th', () => {
    expect(daysInProgress(NOW)).toEqual(['03-10', '03-11']);
    expect(isBirthdayToday('1990-03-11', NOW, 'Asia/Tokyo')).toEqual({ year: 2026 });
    expect(isBirthdayToday('1990-03-11', NOW, 'America/New_York')).toBeNull();
    expect(isBirthdayToday('1992-02-29', Date.UTC(2026, 1, 28, 12), 'Europe/Paris')).toEqual({ year: 2026 });
    expect(isBirthdayToday('1992-02-29', Date.UTC(2028, 1, 28, 12), 'Europe/Paris')).toBeNull();
  });

  it('tells each contact their birthday has come, in their own time zone, once a year, and the VIP flow enrolls them', async () => {
    const store = 'bd-store';
    await upsertStore(d(), { id: store, name: 'Shop', webhookSecret: 'whsec_birthday_0001', siteKey: `pk_${store}`, timezone: 'Asia/Tokyo', createdAt: 1, updatedAt: 1 });
    const res = await SELF.fetch(`https://ns.test/api/flows/vip-loyalty?store=${store}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ enabled: true, holdoutPercent: 0 }) });
    expect(res.status).toBe(200);
    const { contact: today } = await findOrCreateContactByEmail(d(), store, 'today@example.com', 1);
    const { contact: tomorrow } = await findOrCreateContactByEmail(d(), store, 'tomorrow@example.com', 1);
    await updateContactProfile(d(), store, today.id, { birthday: '1990-03-11' }, 2);
    await updateContactProfile(d(), store, tomorrow.id, { birthday: '1990-03-12' }, 2);

    await publishBirthdays(env, NOW);
    await publishBirthdays(env, NOW + 15 * 60_000);
    const agent = env.CONTACT_AGENT.getByName(contactAgentName(store, today.id));
    expect((await agent.listEvents()).map((e) => e.id)).toEqual([`date:birthday:${today.id}:2026`]);
    expect((await agent.journeyStatus()).running).toMatchObject([{ flowId: 'vip-loyalty', cursor: 'morning' }]);
    const other = env.CONTACT_AGENT.getByName(contactAgentName(store, tomorrow.id));
    expect(await other.listEvents()).toEqual([]);
  });
});
