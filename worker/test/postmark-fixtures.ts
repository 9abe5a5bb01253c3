import { env, SELF } from 'cloudflare:test';
import bounce from '../../../shared/fixtures/postmark/bounce.json';
import click from '../../../shared/fixtures/postmark/click.json';
import delivery from '../../../shared/fixtures/postmark/delivery.json';
import open from '../../../shared/fixtures/postmark/open.json';
import spamComplaint from '../../../shared/fixtures/postmark/spam-complaint.json';
import subscriptionChange from '../../../shared/fixtures/postmark/subscription-change.json';
import { db } from '../db/client';
import { findOrCreateContactByEmail } from '../db/queries/contacts';
import { claimMessage, completeMessage } from '../db/queries/messages';
import { updateStoreSettings } from '../db/queries/store-settings';
import { upsertStore } from '../db/queries/stores';
import { sha256Hex } from '../lib/hmac';

/** The Postmark webhook bodies of ../shared/fixtures/postmark, as parsed JSON. */
export const postmark = { bounce, click, delivery, open, spamComplaint, subscriptionChange };
export type PostmarkFixture = Record<string, unknown> & { Metadata?: Record<string, string> | null };

export const WEBHOOK_USER = 'postmark';
export const WEBHOOK_PASSWORD = 'pm-webhook-password-1';

export function basicAuth(user = WEBHOOK_USER, password = WEBHOOK_PASSWORD): string {
  return `Basic ${btoa(`${user}:${password}`)}`;
}

export async function seedPostmarkStore(id: string, opts: { credentials?: boolean; adminEmail?: string | null; locale?: string } = {}): Promise<void> {
  const d = db(env.DB);
  await upsertStore(d, {
    id,
    name: `Shop ${id}`,
    webhookSecret: 'w'.repeat(32),
    siteKey: `pk_${id}`,
    adminEmail: opts.adminEmail === undefined ? 'owner@shop.example.com' : opts.adminEmail,
    locale: opts.locale ?? 'fr',
    createdAt: 1,
    updatedAt: 1,
  });
  if (opts.credentials === false) return;
  await updateStoreSettings(d, id, { postmarkWebhookUser: WEBHOOK_USER, postmarkWebhookPasswordHash: await sha256Hex(WEBHOOK_PASSWORD), fromEmail: 'news@shop.example.com' }, 1);
}

export async function seedContact(storeId: string, email: string): Promise<string> {
  return (await findOrCreateContactByEmail(db(env.DB), storeId, email, 1)).contact.id;
}

/** A message we sent (status `sent`), as the messaging layer records it. */
export async function seedSentMessage(
  storeId: string,
  contactId: string,
  m: { id: string; providerMessageId: string; sentAt: number; enrollmentId?: string; stepId?: string; flowId?: string | null },
): Promise<void> {
  const d = db(env.DB);
  await claimMessage(d, {
    id: m.id,
    storeId,
    contactId,
    flowId: m.flowId === undefined ? 'flow_test' : m.flowId,
    stepId: m.stepId ?? null,
    enrollmentId: m.enrollmentId ?? null,
    idempotencyKey: `key:${m.id}`,
    channel: 'email',
    subject: 's',
    html: '<p>h</p>',
    text: 't',
    to: 'x@example.com',
    createdAt: m.sentAt,
  });
  await completeMessage(d, storeId, m.id, { status: 'sent', providerMessageId: m.providerMessageId, sentAt: m.sentAt });
}

/** `count` sent flow emails to one placeholder contact, quickly (one statement). */
export async function seedBulkSends(storeId: string, count: number, sentAt: number, prefix = 'bulk'): Promise<void> {
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
     INSERT INTO messages (id, store_id, contact_id, flow_id, idempotency_key, channel, status, text, "to", provider_message_id, created_at, sent_at)
     SELECT ?2 || '_' || i, ?3, 'ct_bulk', 'flow_bulk', ?2 || ':' || i, 'email', 'sent', 't', 'bulk@example.com', ?2 || '-pm-' || i, ?4, ?4 FROM n`,
  )
    .bind(count, `${prefix}_${storeId}`, storeId, sentAt)
    .run();
}

/** A fixture body re-addressed to our store, contact and send, with any field overridden. */
export function variant(base: PostmarkFixture, meta: { storeId: string; contactId?: string; sendId?: string }, fields: Record<string, unknown> = {}): Record<string, unknown> {
  const metadata = { ...(base.Metadata ?? {}), store_id: meta.storeId, contact_id: meta.contactId ?? 'ct_none', send_id: meta.sendId ?? 'snd_none' };
  return { ...base, Metadata: metadata, ...fields };
}

export function postWebhook(storeId: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return SELF.fetch(`https://ns.test/webhooks/postmark/${storeId}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: basicAuth(), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export async function providerEventCount(storeId: string): Promise<number> {
  const row = await env.DB.prepare('SELECT count(*) AS n FROM provider_events WHERE store_id = ?').bind(storeId).first<{ n: number }>();
  return row?.n ?? 0;
}
