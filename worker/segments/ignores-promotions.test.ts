import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { db } from '../db/client';
import { appendConsents } from '../db/queries/consents';
import { findOrCreateContactByEmail } from '../db/queries/contacts';
import { listContactEnrollments } from '../db/queries/enrollments';
import { insertEvents } from '../db/queries/events';
import { lastActivityAt } from '../db/queries/send-history';
import { upsertStore } from '../db/queries/stores';
import { contactAgentName } from '../contacts/domain-events';
import { installPresetFlows } from '../contacts/runtime/flow-presets';
import { middayZone } from '../test/clock';
import { publishPromotionIgnorers } from './ignores-promotions';

const DAY = 86_400_000;
const d = () => db(env.DB);

async function seedStore(storeId: string, now: number) {
  await upsertStore(d(), {
    id: storeId, name: 'Shop', siteUrl: 'https://shop.example', webhookSecret: 'whsec_segments_0001', siteKey: `pk_${storeId}`,
    timezone: middayZone(now), createdAt: 1, updatedAt: 1,
  });
  await installPresetFlows(d(), storeId, now);
  const res = await SELF.fetch(`https://ns.test/api/flows/win-back?store=${storeId}`, {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ enabled: true, holdoutPercent: 0 }),
  });
  expect(res.status).toBe(200);
}

/** A contact who was sent one promotional email at each of the given days ago. */
async function contactWithPromotions(storeId: string, name: string, daysAgo: number[], now: number) {
  const { contact } = await findOrCreateContactByEmail(d(), storeId, `${name}@example.com`, now - 90 * DAY);
  await appendConsents(d(), [{ storeId, contactId: contact.id, channel: 'email', purpose: 'marketing', granted: true, source: 'checkout', occurredAt: now - 90 * DAY }]);
  for (const [i, ago] of daysAgo.entries()) {
    await env.DB.prepare(
      `INSERT INTO messages (id, store_id, contact_id, flow_id, step_id, enrollment_id, idempotency_key, channel, status, subject, html, text, "to", created_at)
       VALUES (?, ?, ?, 'welcome', 'email_1', ?, ?, 'email', 'sent', 's', 'h', 't', ?, ?)`,
    )
      .bind(`snd_${name}_${i}`, storeId, contact.id, `enr_${name}_${i}`, `enr_${name}_${i}:email_1`, contact.email, now - ago * DAY)
      .run();
  }
  return contact;
}

async function segmentEvents(storeId: string) {
  const { results } = await env.DB.prepare(`SELECT contact_id FROM events WHERE store_id = ? AND type = 'segment.entered'`)
    .bind(storeId)
    .all<{ contact_id: string }>();
  return results.map((r) => r.contact_id);
}

describe('ignores-promotions segment', () => {
  it('enrolls contacts who ignored three promotions into win-back, once per window', async () => {
    const storeId = 'seg-ignorers';
    const now = Date.now();
    await seedStore(storeId, now);
    const ignorer = await contactWithPromotions(storeId, 'quiet', [20, 10, 5], now);
    const engaged = await contactWithPromotions(storeId, 'lively', [20, 10, 5], now);
    await insertEvents(d(), [{ storeId, eventKey: 'pv-lively', type: 'page_view', visitorId: null, contactId: engaged.id, properties: {}, source: 'browser', occurredAt: now - 8 * DAY, receivedAt: now - 8 * DAY }]);
    await contactWithPromotions(storeId, 'fresh', [10, 5], now);

    await publishPromotionIgnorers(env, now);
    await publishPromotionIgnorers(env, now + 60_000);

    expect(await segmentEvents(storeId)).toEqual([ignorer.id]);
    const agentEvents = await env.CONTACT_AGENT.getByName(contactAgentName(storeId, ignorer.id)).listEvents();
    expect(agentEvents.filter((e) => e.type === 'segment.entered')).toHaveLength(1);
    const enrollments = await listContactEnrollments(d(), storeId, ignorer.id);
    expect(enrollments.map((e) => e.flowId)).toEqual(['win-back']);
  });

  it('does not count the segment event itself as activity', async () => {
    const storeId = 'seg-activity';
    const now = Date.now();
    await seedStore(storeId, now);
    const ignorer = await contactWithPromotions(storeId, 'still', [25, 15, 3], now);
    await publishPromotionIgnorers(env, now);
    expect(await segmentEvents(storeId)).toEqual([ignorer.id]);
    // Our own schedule says nothing about the contact being alive (hibernation reads the same signal).
    expect(await lastActivityAt(d(), storeId, ignorer.id)).toBeNull();
  });
});
