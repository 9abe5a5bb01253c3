import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../../db/client';
import { findContactByEmail } from '../../db/queries/contacts';
import { upsertStore } from '../../db/queries/stores';
import { contactTimeZone } from '../../contacts/time-zone';
import { processCollectMessage } from './collect-processor';
import type { CollectMessage } from '../messages';

const T0 = 1_700_000_000_000;
const d = () => db(env.DB);

async function seed(id: string) {
  await upsertStore(d(), { id, name: id, webhookSecret: 'whsec_geo_test_secret', siteKey: `pk_${id}`, timezone: 'Europe/Paris', createdAt: 1, updatedAt: 1 });
}

function batch(storeId: string, visitorId: string, over: Partial<CollectMessage>, events: Record<string, unknown>[]): CollectMessage {
  return { kind: 'collect', storeId, trusted: false, visitorId, receivedAt: T0, ipHash: null, userAgent: null, events, ...over };
}

const identify = (id: string, email: string) => ({ id, type: 'identify', ts: T0, email, consent: { emailMarketing: true } });

describe('where the edge saw the shopper', () => {
  it("a browser batch records the visit's time zone on the contact, and it becomes their clock", async () => {
    await seed('geo-browser');
    await processCollectMessage(env, batch('geo-browser', 'v_geo_browser_1', { trusted: true }, [identify('id-geo-1', 'ana@example.com')]));
    await processCollectMessage(env, batch('geo-browser', 'v_geo_browser_1', { geoTimezone: 'America/Montreal' }, [{ id: 'pv-geo-1', type: 'page_view', ts: T0, url: 'https://shop.example/' }]));
    const contact = await findContactByEmail(d(), 'geo-browser', 'ana@example.com');
    expect(contact?.geoTimezone).toBe('America/Montreal');
    expect(contactTimeZone(contact!, { timezone: 'Europe/Paris' })).toBe('America/Montreal');

    await processCollectMessage(env, batch('geo-browser', 'v_geo_browser_1', { geoTimezone: 'Asia/Tokyo', receivedAt: T0 + 1 }, [{ id: 'pv-geo-2', type: 'page_view', ts: T0 + 1, url: 'https://shop.example/' }]));
    expect((await findContactByEmail(d(), 'geo-browser', 'ana@example.com'))?.geoTimezone).toBe('Asia/Tokyo');
  });

  it("ignores the store server's location on signed batches and invalid zones", async () => {
    await seed('geo-server');
    await processCollectMessage(env, batch('geo-server', 'v_geo_server_1', { trusted: true, geoTimezone: 'Europe/Dublin' }, [identify('id-geo-3', 'ben@example.com')]));
    expect((await findContactByEmail(d(), 'geo-server', 'ben@example.com'))?.geoTimezone).toBeNull();
    await processCollectMessage(env, batch('geo-server', 'v_geo_server_2', { geoTimezone: 'Mars/Olympus' }, [identify('id-geo-4', 'cy@example.com')]));
    expect((await findContactByEmail(d(), 'geo-server', 'cy@example.com'))?.geoTimezone).toBeNull();
  });
});
